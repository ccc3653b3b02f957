-- Synced schema version 2 (issue 11): cast & crew, castings, the breakdown, call sheets
-- with their cast and crew calls, and scenes.number_locked. Like every synced table they
-- are keyed by (project_id, id), pulls scan (project_id, updated_at), and references
-- within a project are checked at commit (order within a push never matters).
ALTER TABLE "scenes" ADD COLUMN "number_locked" BOOLEAN NOT NULL DEFAULT false;

CREATE TABLE "people" (
    "project_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "department" TEXT NOT NULL DEFAULT '',
    "role" TEXT NOT NULL DEFAULT '',
    "email" TEXT NOT NULL DEFAULT '',
    "phone" TEXT NOT NULL DEFAULT '',
    "notes" TEXT NOT NULL DEFAULT '',
    "cast_number" DOUBLE PRECISION,
    "created_at" BIGINT NOT NULL,
    "updated_at" BIGINT NOT NULL,
    "deleted_at" BIGINT,
    CONSTRAINT "people_pkey" PRIMARY KEY ("project_id","id")
);
CREATE INDEX "people_project_id_updated_at_idx" ON "people"("project_id", "updated_at");

CREATE TABLE "castings" (
    "project_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "person_id" TEXT NOT NULL DEFAULT '',
    "character" TEXT NOT NULL DEFAULT '',
    "created_at" BIGINT NOT NULL,
    "updated_at" BIGINT NOT NULL,
    "deleted_at" BIGINT,
    CONSTRAINT "castings_pkey" PRIMARY KEY ("project_id","id")
);
CREATE INDEX "castings_project_id_updated_at_idx" ON "castings"("project_id", "updated_at");

CREATE TABLE "breakdown_items" (
    "project_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "scene_id" TEXT NOT NULL DEFAULT '',
    "category" TEXT NOT NULL DEFAULT '',
    "name" TEXT NOT NULL DEFAULT '',
    "notes" TEXT NOT NULL DEFAULT '',
    "created_at" BIGINT NOT NULL,
    "updated_at" BIGINT NOT NULL,
    "deleted_at" BIGINT,
    CONSTRAINT "breakdown_items_pkey" PRIMARY KEY ("project_id","id")
);
CREATE INDEX "breakdown_items_project_id_updated_at_idx" ON "breakdown_items"("project_id", "updated_at");

CREATE TABLE "call_sheets" (
    "project_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "day_banner_id" TEXT NOT NULL DEFAULT '',
    "crew_call" TEXT NOT NULL DEFAULT '',
    "shooting_call" TEXT NOT NULL DEFAULT '',
    "locations" TEXT NOT NULL DEFAULT '',
    "parking" TEXT NOT NULL DEFAULT '',
    "hospital" TEXT NOT NULL DEFAULT '',
    "weather" TEXT NOT NULL DEFAULT '',
    "notes" TEXT NOT NULL DEFAULT '',
    "created_at" BIGINT NOT NULL,
    "updated_at" BIGINT NOT NULL,
    "deleted_at" BIGINT,
    CONSTRAINT "call_sheets_pkey" PRIMARY KEY ("project_id","id")
);
CREATE INDEX "call_sheets_project_id_updated_at_idx" ON "call_sheets"("project_id", "updated_at");

CREATE TABLE "cast_calls" (
    "project_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "call_sheet_id" TEXT NOT NULL DEFAULT '',
    "person_id" TEXT NOT NULL DEFAULT '',
    "pickup" TEXT NOT NULL DEFAULT '',
    "makeup" TEXT NOT NULL DEFAULT '',
    "on_set" TEXT NOT NULL DEFAULT '',
    "notes" TEXT NOT NULL DEFAULT '',
    "created_at" BIGINT NOT NULL,
    "updated_at" BIGINT NOT NULL,
    "deleted_at" BIGINT,
    CONSTRAINT "cast_calls_pkey" PRIMARY KEY ("project_id","id")
);
CREATE INDEX "cast_calls_project_id_updated_at_idx" ON "cast_calls"("project_id", "updated_at");

CREATE TABLE "crew_calls" (
    "project_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "call_sheet_id" TEXT NOT NULL DEFAULT '',
    "person_id" TEXT NOT NULL DEFAULT '',
    "call" TEXT NOT NULL DEFAULT '',
    "notes" TEXT NOT NULL DEFAULT '',
    "created_at" BIGINT NOT NULL,
    "updated_at" BIGINT NOT NULL,
    "deleted_at" BIGINT,
    CONSTRAINT "crew_calls_pkey" PRIMARY KEY ("project_id","id")
);
CREATE INDEX "crew_calls_project_id_updated_at_idx" ON "crew_calls"("project_id", "updated_at");

ALTER TABLE "castings" ADD CONSTRAINT "castings_person_fkey" FOREIGN KEY ("project_id", "person_id") REFERENCES "people"("project_id", "id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "breakdown_items" ADD CONSTRAINT "breakdown_items_scene_fkey" FOREIGN KEY ("project_id", "scene_id") REFERENCES "scenes"("project_id", "id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "call_sheets" ADD CONSTRAINT "call_sheets_day_banner_fkey" FOREIGN KEY ("project_id", "day_banner_id") REFERENCES "day_banners"("project_id", "id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "cast_calls" ADD CONSTRAINT "cast_calls_call_sheet_fkey" FOREIGN KEY ("project_id", "call_sheet_id") REFERENCES "call_sheets"("project_id", "id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "cast_calls" ADD CONSTRAINT "cast_calls_person_fkey" FOREIGN KEY ("project_id", "person_id") REFERENCES "people"("project_id", "id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "crew_calls" ADD CONSTRAINT "crew_calls_call_sheet_fkey" FOREIGN KEY ("project_id", "call_sheet_id") REFERENCES "call_sheets"("project_id", "id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "crew_calls" ADD CONSTRAINT "crew_calls_person_fkey" FOREIGN KEY ("project_id", "person_id") REFERENCES "people"("project_id", "id") DEFERRABLE INITIALLY DEFERRED;
