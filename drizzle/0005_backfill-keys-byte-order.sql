DROP INDEX "backfill_keys_entity_key_idx";--> statement-breakpoint
CREATE INDEX "backfill_keys_entity_key_idx" ON "backfill_keys" USING btree ("entity","key" COLLATE "C");