-- Yjs update log: seq comes from one sequence, so several server instances appending to
-- the same doc never collide. seq orders rows only loosely across instances (a row can
-- commit after a higher seq), so readers load every log row present and compaction
-- deletes exactly the rows it merged; Yjs updates commute, so order never matters.
CREATE SEQUENCE "yjs_updates_seq_seq" AS BIGINT OWNED BY "yjs_updates"."seq";
ALTER TABLE "yjs_updates" ALTER COLUMN "seq" SET DEFAULT nextval('"yjs_updates_seq_seq"');
