-- backfill_checkpoints has an updated_at column, so it gets the same trigger as every other such
-- table (see 0001_updated-at-triggers).
CREATE TRIGGER "backfill_checkpoints_set_updated_at" BEFORE UPDATE ON "public"."backfill_checkpoints"
  FOR EACH ROW EXECUTE FUNCTION "public"."set_updated_at"();
