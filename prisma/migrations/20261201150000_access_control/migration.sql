-- Issue 13: member management, sign-in throttling.

-- A deleted project (soft delete, owner only) vanishes from lists and refuses sync and
-- Yjs; its rows stay so that a mistaken delete can be undone by hand.
ALTER TABLE "projects" ADD COLUMN "deleted_at" BIGINT;

-- The address a code was requested from: a new request supersedes only the earlier codes
-- of that email requested from the same address, so a stranger's requests can't kill the
-- code the owner of the email is about to type.
ALTER TABLE "sign_in_codes" ADD COLUMN "requested_from" TEXT NOT NULL DEFAULT '';

-- Fixed-window counters of sign-in requests and wrong codes (packages/api SPEC A4):
-- per address, per email, per (email, address), per (code, address). Shared by every
-- server instance; rows of windows long past are deleted as new ones are written.
CREATE TABLE "sign_in_throttle" (
    "bucket" TEXT NOT NULL,
    "window_start" BIGINT NOT NULL,
    "count" INTEGER NOT NULL,
    CONSTRAINT "sign_in_throttle_pkey" PRIMARY KEY ("bucket", "window_start")
);
CREATE INDEX "sign_in_throttle_window_start_idx" ON "sign_in_throttle"("window_start");
