-- Users, sessions and sign-in codes
CREATE TABLE "users" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" BIGINT NOT NULL,
    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

CREATE TABLE "sessions" (
    "token_hash" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "created_at" BIGINT NOT NULL,
    "expires_at" BIGINT NOT NULL,
    CONSTRAINT "sessions_pkey" PRIMARY KEY ("token_hash")
);
CREATE INDEX "sessions_user_id_idx" ON "sessions"("user_id");
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "sign_in_codes" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "code_hash" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "created_at" BIGINT NOT NULL,
    "expires_at" BIGINT NOT NULL,
    "used_at" BIGINT,
    CONSTRAINT "sign_in_codes_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "sign_in_codes_email_created_at_idx" ON "sign_in_codes"("email", "created_at");

-- Projects and membership
CREATE TABLE "projects" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "clock" BIGINT NOT NULL DEFAULT 0,
    "created_at" BIGINT NOT NULL,
    CONSTRAINT "projects_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "project_members" (
    "project_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "created_at" BIGINT NOT NULL,
    CONSTRAINT "project_members_pkey" PRIMARY KEY ("project_id","user_id"),
    CONSTRAINT "project_members_role_check" CHECK ("role" IN ('owner', 'editor', 'viewer'))
);
CREATE INDEX "project_members_user_id_idx" ON "project_members"("user_id");
ALTER TABLE "project_members" ADD CONSTRAINT "project_members_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "project_members" ADD CONSTRAINT "project_members_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "applied_pushes" (
    "project_id" TEXT NOT NULL,
    "push_id" TEXT NOT NULL,
    "timestamp" BIGINT NOT NULL,
    "created_at" BIGINT NOT NULL,
    CONSTRAINT "applied_pushes_pkey" PRIMARY KEY ("project_id","push_id")
);

-- Synced tables: keyed by (project_id, id); pulls scan (project_id, updated_at).
CREATE TABLE "scenes" (
    "project_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "number" TEXT NOT NULL DEFAULT '',
    "heading" TEXT NOT NULL DEFAULT '',
    "location" TEXT NOT NULL DEFAULT '',
    "time_of_day" TEXT NOT NULL DEFAULT '',
    "synopsis" TEXT NOT NULL DEFAULT '',
    "page_eighths" DOUBLE PRECISION,
    "sort_key" TEXT NOT NULL DEFAULT '',
    "created_at" BIGINT NOT NULL,
    "updated_at" BIGINT NOT NULL,
    "deleted_at" BIGINT,
    CONSTRAINT "scenes_pkey" PRIMARY KEY ("project_id","id")
);
CREATE INDEX "scenes_project_id_updated_at_idx" ON "scenes"("project_id", "updated_at");

CREATE TABLE "shots" (
    "project_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "scene_id" TEXT NOT NULL DEFAULT '',
    "sort_key" TEXT NOT NULL DEFAULT '',
    "label" TEXT NOT NULL DEFAULT '',
    "size" TEXT NOT NULL DEFAULT '',
    "movement" TEXT NOT NULL DEFAULT '',
    "lens" TEXT NOT NULL DEFAULT '',
    "description" TEXT NOT NULL DEFAULT '',
    "duration_s" DOUBLE PRECISION,
    "done" BOOLEAN NOT NULL DEFAULT false,
    "created_at" BIGINT NOT NULL,
    "updated_at" BIGINT NOT NULL,
    "deleted_at" BIGINT,
    CONSTRAINT "shots_pkey" PRIMARY KEY ("project_id","id")
);
CREATE INDEX "shots_project_id_updated_at_idx" ON "shots"("project_id", "updated_at");

CREATE TABLE "day_banners" (
    "project_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "scene_id" TEXT,
    "sort_key" TEXT NOT NULL DEFAULT '',
    "date" TEXT NOT NULL DEFAULT '',
    "label" TEXT NOT NULL DEFAULT '',
    "created_at" BIGINT NOT NULL,
    "updated_at" BIGINT NOT NULL,
    "deleted_at" BIGINT,
    CONSTRAINT "day_banners_pkey" PRIMARY KEY ("project_id","id")
);
CREATE INDEX "day_banners_project_id_updated_at_idx" ON "day_banners"("project_id", "updated_at");

CREATE TABLE "scripts" (
    "project_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL DEFAULT '',
    "created_at" BIGINT NOT NULL,
    "updated_at" BIGINT NOT NULL,
    "deleted_at" BIGINT,
    CONSTRAINT "scripts_pkey" PRIMARY KEY ("project_id","id")
);
CREATE INDEX "scripts_project_id_updated_at_idx" ON "scripts"("project_id", "updated_at");

-- References within a project, checked at commit so the order of records in one
-- push never matters (a bulk push may create a scene after the shots that name it).
ALTER TABLE "shots" ADD CONSTRAINT "shots_scene_fkey" FOREIGN KEY ("project_id", "scene_id") REFERENCES "scenes"("project_id", "id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "day_banners" ADD CONSTRAINT "day_banners_scene_fkey" FOREIGN KEY ("project_id", "scene_id") REFERENCES "scenes"("project_id", "id") DEFERRABLE INITIALLY DEFERRED;

-- Yjs documents: an append-only update log and a compacted snapshot per doc.
CREATE TABLE "yjs_updates" (
    "project_id" TEXT NOT NULL,
    "doc_name" TEXT NOT NULL,
    "seq" BIGINT NOT NULL,
    "data" BYTEA NOT NULL,
    "created_at" BIGINT NOT NULL,
    CONSTRAINT "yjs_updates_pkey" PRIMARY KEY ("project_id","doc_name","seq")
);

CREATE TABLE "yjs_snapshots" (
    "project_id" TEXT NOT NULL,
    "doc_name" TEXT NOT NULL,
    "upto_seq" BIGINT NOT NULL,
    "data" BYTEA NOT NULL,
    "updated_at" BIGINT NOT NULL,
    CONSTRAINT "yjs_snapshots_pkey" PRIMARY KEY ("project_id","doc_name")
);
