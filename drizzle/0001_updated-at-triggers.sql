-- updated_at maintenance (docs/decisions.md §10). drizzle-kit does not model functions or triggers,
-- so they live in this custom migration; test/schema.test.ts checks that every table with an
-- updated_at column has the trigger.
--
-- The trigger sets now() only when the UPDATE left updated_at unchanged. An UPDATE that writes
-- updated_at itself (the backfill copying a legacy updatedAt, a dual-write mirroring Redis) keeps
-- the value it wrote. (Writing the same value the row already holds counts as "unchanged".)
CREATE OR REPLACE FUNCTION "public"."set_updated_at"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
    NEW.updated_at := now();
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "users_set_updated_at" BEFORE UPDATE ON "public"."users"
  FOR EACH ROW EXECUTE FUNCTION "public"."set_updated_at"();--> statement-breakpoint
CREATE TRIGGER "orders_set_updated_at" BEFORE UPDATE ON "public"."orders"
  FOR EACH ROW EXECUTE FUNCTION "public"."set_updated_at"();--> statement-breakpoint
CREATE TRIGGER "products_set_updated_at" BEFORE UPDATE ON "public"."products"
  FOR EACH ROW EXECUTE FUNCTION "public"."set_updated_at"();--> statement-breakpoint
CREATE TRIGGER "alcohol_types_set_updated_at" BEFORE UPDATE ON "public"."alcohol_types"
  FOR EACH ROW EXECUTE FUNCTION "public"."set_updated_at"();--> statement-breakpoint
CREATE TRIGGER "purchases_set_updated_at" BEFORE UPDATE ON "public"."purchases"
  FOR EACH ROW EXECUTE FUNCTION "public"."set_updated_at"();--> statement-breakpoint
CREATE TRIGGER "promotions_set_updated_at" BEFORE UPDATE ON "public"."promotions"
  FOR EACH ROW EXECUTE FUNCTION "public"."set_updated_at"();--> statement-breakpoint
CREATE TRIGGER "refunds_set_updated_at" BEFORE UPDATE ON "public"."refunds"
  FOR EACH ROW EXECUTE FUNCTION "public"."set_updated_at"();--> statement-breakpoint
CREATE TRIGGER "scents_set_updated_at" BEFORE UPDATE ON "public"."scents"
  FOR EACH ROW EXECUTE FUNCTION "public"."set_updated_at"();--> statement-breakpoint
CREATE TRIGGER "base_oils_set_updated_at" BEFORE UPDATE ON "public"."base_oils"
  FOR EACH ROW EXECUTE FUNCTION "public"."set_updated_at"();--> statement-breakpoint
CREATE TRIGGER "containers_set_updated_at" BEFORE UPDATE ON "public"."containers"
  FOR EACH ROW EXECUTE FUNCTION "public"."set_updated_at"();--> statement-breakpoint
CREATE TRIGGER "calculator_settings_set_updated_at" BEFORE UPDATE ON "public"."calculator_settings"
  FOR EACH ROW EXECUTE FUNCTION "public"."set_updated_at"();--> statement-breakpoint
CREATE TRIGGER "calculator_wicks_set_updated_at" BEFORE UPDATE ON "public"."calculator_wicks"
  FOR EACH ROW EXECUTE FUNCTION "public"."set_updated_at"();--> statement-breakpoint
CREATE TRIGGER "admin_users_set_updated_at" BEFORE UPDATE ON "public"."admin_users"
  FOR EACH ROW EXECUTE FUNCTION "public"."set_updated_at"();--> statement-breakpoint
CREATE TRIGGER "admin_legacy_two_factor_set_updated_at" BEFORE UPDATE ON "public"."admin_legacy_two_factor"
  FOR EACH ROW EXECUTE FUNCTION "public"."set_updated_at"();
