CREATE TYPE "public"."admin_role" AS ENUM('super_admin', 'admin');--> statement-breakpoint
CREATE TYPE "public"."order_status" AS ENUM('pending', 'completed', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."payment_method" AS ENUM('stripe', 'cash', 'card', 'other', 'square');--> statement-breakpoint
CREATE TYPE "public"."points_transaction_type" AS ENUM('earn', 'redeem', 'admin_adjustment', 'adjustment');--> statement-breakpoint
CREATE TYPE "public"."promotion_trigger" AS ENUM('code_required', 'automatic');--> statement-breakpoint
CREATE TYPE "public"."promotion_type" AS ENUM('percentage', 'fixed_amount', 'quantity_discount', 'bogo');--> statement-breakpoint
CREATE TYPE "public"."promotion_user_targeting" AS ENUM('all', 'first_time', 'returning', 'specific_users', 'order_count', 'lifetime_spend');--> statement-breakpoint
CREATE TYPE "public"."refund_status" AS ENUM('pending', 'processing', 'completed', 'failed');--> statement-breakpoint
CREATE TYPE "public"."shipping_status" AS ENUM('pending', 'shipped', 'delivered');--> statement-breakpoint
CREATE TYPE "public"."webhook_event_status" AS ENUM('claimed', 'done');--> statement-breakpoint
CREATE TABLE "admin_legacy_two_factor" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"secret" text,
	"backup_codes" text[],
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sync_hash" text,
	"sync_written_at" timestamp with time zone,
	CONSTRAINT "admin_legacy_two_factor_single_row_check" CHECK ("admin_legacy_two_factor"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "admin_logs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"logged_at" timestamp with time zone NOT NULL,
	"action" text NOT NULL,
	"admin_email" text,
	"ip" text,
	"user_agent" text,
	"details" jsonb,
	"success" boolean NOT NULL,
	"dedupe_key" text,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"legacy_nulls" text[] DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "admin_users" (
	"id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"password_hash" text NOT NULL,
	"two_factor_secret" text NOT NULL,
	"two_factor_backup_codes" text[] DEFAULT '{}' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_login_at" timestamp with time zone,
	"active" boolean NOT NULL,
	"role" "admin_role" NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"legacy_nulls" text[] DEFAULT '{}' NOT NULL,
	"sync_hash" text,
	"sync_written_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "alcohol_types" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"sort_order" double precision,
	"archived" boolean,
	"name_conflict" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"legacy_nulls" text[] DEFAULT '{}' NOT NULL,
	"sync_hash" text,
	"sync_written_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "product_variants" (
	"product_slug" text NOT NULL,
	"variant_id" text NOT NULL,
	"stock" integer,
	"stripe_price_id" text,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"legacy_nulls" text[] DEFAULT '{}' NOT NULL,
	CONSTRAINT "product_variants_pkey" PRIMARY KEY("product_slug","variant_id"),
	CONSTRAINT "product_variants_stock_check" CHECK ("product_variants"."stock" >= 0)
);
--> statement-breakpoint
CREATE TABLE "products" (
	"slug" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"price_cents" integer NOT NULL,
	"material_cost_cents" integer,
	"image" text,
	"images" text[],
	"sku" text,
	"stripe_price_id" text,
	"square_catalog_id" text,
	"square_variant_mapping" jsonb,
	"seo_description" text,
	"best_seller" boolean,
	"young_dumb" boolean,
	"stock" integer,
	"alcohol_type" text,
	"visible_on_website" boolean,
	"has_variant_config" boolean DEFAULT false NOT NULL,
	"wick_types" jsonb,
	"legacy_scents" jsonb,
	"variant_config_extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"legacy_nulls" text[] DEFAULT '{}' NOT NULL,
	"sync_hash" text,
	"sync_written_at" timestamp with time zone,
	CONSTRAINT "products_price_cents_check" CHECK ("products"."price_cents" >= 0),
	CONSTRAINT "products_material_cost_cents_check" CHECK ("products"."material_cost_cents" >= 0),
	CONSTRAINT "products_stock_check" CHECK ("products"."stock" >= 0),
	CONSTRAINT "products_variant_config_check" CHECK ("products"."has_variant_config" OR ("products"."wick_types" IS NULL AND "products"."legacy_scents" IS NULL AND "products"."variant_config_extra" = '{}'::jsonb))
);
--> statement-breakpoint
CREATE TABLE "order_items" (
	"order_id" text NOT NULL,
	"line_no" integer NOT NULL,
	"product_slug" text NOT NULL,
	"product_name" text NOT NULL,
	"variant_id" text,
	"quantity" integer NOT NULL,
	"price_cents" integer NOT NULL,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"legacy_nulls" text[] DEFAULT '{}' NOT NULL,
	CONSTRAINT "order_items_pkey" PRIMARY KEY("order_id","line_no"),
	CONSTRAINT "order_items_line_no_check" CHECK ("order_items"."line_no" >= 0)
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text,
	"user_ref" text,
	"email" text NOT NULL,
	"is_guest" boolean,
	"total_cents" integer NOT NULL,
	"product_subtotal_cents" integer,
	"shipping_cents" integer,
	"tax_cents" integer,
	"points_earned" integer DEFAULT 0 NOT NULL,
	"points_redeemed" integer,
	"promotion_id" text,
	"payment_method" "payment_method",
	"notes" text,
	"status" "order_status" DEFAULT 'pending' NOT NULL,
	"shipping_status" "shipping_status",
	"tracking_number" text,
	"shipped_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"phone" text,
	"has_shipping_address" boolean DEFAULT false NOT NULL,
	"shipping_name" text,
	"shipping_line1" text,
	"shipping_line2" text,
	"shipping_city" text,
	"shipping_state" text,
	"shipping_postal_code" text,
	"shipping_country" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"legacy_nulls" text[] DEFAULT '{}' NOT NULL,
	"sync_hash" text,
	"sync_written_at" timestamp with time zone,
	CONSTRAINT "orders_product_subtotal_cents_check" CHECK ("orders"."product_subtotal_cents" >= 0),
	CONSTRAINT "orders_shipping_cents_check" CHECK ("orders"."shipping_cents" >= 0),
	CONSTRAINT "orders_tax_cents_check" CHECK ("orders"."tax_cents" >= 0),
	CONSTRAINT "orders_points_redeemed_check" CHECK ("orders"."points_redeemed" >= 0),
	CONSTRAINT "orders_shipping_address_check" CHECK ("orders"."has_shipping_address" OR ("orders"."shipping_name" IS NULL AND "orders"."shipping_line1" IS NULL AND "orders"."shipping_line2" IS NULL AND "orders"."shipping_city" IS NULL AND "orders"."shipping_state" IS NULL AND "orders"."shipping_postal_code" IS NULL AND "orders"."shipping_country" IS NULL))
);
--> statement-breakpoint
CREATE TABLE "points_transactions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"user_ref" text,
	"amount" integer NOT NULL,
	"type" "points_transaction_type" NOT NULL,
	"description" text NOT NULL,
	"order_id" text,
	"order_ref" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"legacy_nulls" text[] DEFAULT '{}' NOT NULL,
	"sync_hash" text,
	"sync_written_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "promotions" (
	"id" text PRIMARY KEY NOT NULL,
	"stripe_coupon_id" text,
	"stripe_promotion_code_id" text,
	"code" text NOT NULL,
	"code_conflict" boolean DEFAULT false NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"trigger" "promotion_trigger" DEFAULT 'code_required' NOT NULL,
	"type" "promotion_type" NOT NULL,
	"discount_percent" numeric,
	"discount_amount_cents" integer,
	"min_quantity" integer,
	"apply_to_quantity" integer,
	"min_order_amount_cents" integer,
	"max_redemptions" integer,
	"max_redemptions_per_customer" integer,
	"applicable_product_slugs" text[],
	"user_targeting" "promotion_user_targeting" DEFAULT 'all' NOT NULL,
	"target_user_ids" text[],
	"min_order_count" integer,
	"min_lifetime_spend_cents" integer,
	"starts_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"active" boolean NOT NULL,
	"current_redemptions" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"legacy_nulls" text[] DEFAULT '{}' NOT NULL,
	"sync_hash" text,
	"sync_written_at" timestamp with time zone,
	CONSTRAINT "promotions_current_redemptions_check" CHECK ("promotions"."current_redemptions" >= 0)
);
--> statement-breakpoint
CREATE TABLE "purchase_items" (
	"purchase_id" text NOT NULL,
	"line_no" integer NOT NULL,
	"name" text NOT NULL,
	"quantity" numeric NOT NULL,
	"unit_cost_cents" numeric NOT NULL,
	"category" text NOT NULL,
	"notes" text,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"legacy_nulls" text[] DEFAULT '{}' NOT NULL,
	CONSTRAINT "purchase_items_pkey" PRIMARY KEY("purchase_id","line_no"),
	CONSTRAINT "purchase_items_line_no_check" CHECK ("purchase_items"."line_no" >= 0),
	CONSTRAINT "purchase_items_quantity_check" CHECK ("purchase_items"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "purchases" (
	"id" text PRIMARY KEY NOT NULL,
	"vendor_name" text NOT NULL,
	"purchase_date" date NOT NULL,
	"subtotal_cents" numeric NOT NULL,
	"shipping_cents" numeric DEFAULT 0 NOT NULL,
	"tax_cents" numeric DEFAULT 0 NOT NULL,
	"total_cents" numeric NOT NULL,
	"receipt_image_url" text,
	"notes" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"legacy_nulls" text[] DEFAULT '{}' NOT NULL,
	"sync_hash" text,
	"sync_written_at" timestamp with time zone,
	CONSTRAINT "purchases_shipping_cents_check" CHECK ("purchases"."shipping_cents" >= 0),
	CONSTRAINT "purchases_tax_cents_check" CHECK ("purchases"."tax_cents" >= 0)
);
--> statement-breakpoint
CREATE TABLE "refund_items" (
	"refund_id" text NOT NULL,
	"line_no" integer NOT NULL,
	"product_slug" text NOT NULL,
	"product_name" text NOT NULL,
	"variant_id" text,
	"quantity" integer NOT NULL,
	"refund_amount_cents" integer NOT NULL,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"legacy_nulls" text[] DEFAULT '{}' NOT NULL,
	CONSTRAINT "refund_items_pkey" PRIMARY KEY("refund_id","line_no"),
	CONSTRAINT "refund_items_line_no_check" CHECK ("refund_items"."line_no" >= 0)
);
--> statement-breakpoint
CREATE TABLE "refunds" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"order_ref" text,
	"stripe_refund_id" text,
	"email" text NOT NULL,
	"user_id" text,
	"user_ref" text,
	"amount_cents" integer NOT NULL,
	"reason" text NOT NULL,
	"reason_note" text,
	"status" "refund_status" NOT NULL,
	"restore_inventory" boolean DEFAULT true NOT NULL,
	"points_to_deduct" integer,
	"processed_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"legacy_nulls" text[] DEFAULT '{}' NOT NULL,
	"sync_hash" text,
	"sync_written_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "email_verification_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"user_ref" text,
	"email" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"legacy_nulls" text[] DEFAULT '{}' NOT NULL,
	"sync_hash" text,
	"sync_written_at" timestamp with time zone,
	CONSTRAINT "email_verification_tokens_token_hash_check" CHECK ("email_verification_tokens"."token_hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "invoice_access_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"order_ref" text,
	"email" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"legacy_nulls" text[] DEFAULT '{}' NOT NULL,
	"sync_hash" text,
	"sync_written_at" timestamp with time zone,
	CONSTRAINT "invoice_access_tokens_token_hash_check" CHECK ("invoice_access_tokens"."token_hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "password_reset_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"user_ref" text,
	"email" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"legacy_nulls" text[] DEFAULT '{}' NOT NULL,
	"sync_hash" text,
	"sync_written_at" timestamp with time zone,
	CONSTRAINT "password_reset_tokens_token_hash_check" CHECK ("password_reset_tokens"."token_hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"password_hash" text NOT NULL,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"points" integer DEFAULT 0 NOT NULL,
	"email_verified" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"legacy_nulls" text[] DEFAULT '{}' NOT NULL,
	"sync_hash" text,
	"sync_written_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "webhook_events" (
	"event_id" text PRIMARY KEY NOT NULL,
	"status" "webhook_event_status" DEFAULT 'claimed' NOT NULL,
	"claimed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_until" timestamp with time zone,
	"processed_at" timestamp with time zone,
	"expires_at" timestamp with time zone DEFAULT now() + interval '7 days' NOT NULL,
	"attempts" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "webhook_events_attempts_check" CHECK ("webhook_events"."attempts" >= 0),
	CONSTRAINT "webhook_events_lease_check" CHECK ("webhook_events"."status" <> 'claimed' OR "webhook_events"."lease_until" IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "base_oils" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"cost_per_oz" double precision NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"legacy_nulls" text[] DEFAULT '{}' NOT NULL,
	"sync_hash" text,
	"sync_written_at" timestamp with time zone,
	CONSTRAINT "base_oils_cost_per_oz_check" CHECK ("base_oils"."cost_per_oz" >= 0)
);
--> statement-breakpoint
CREATE TABLE "calculator_settings" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"wax_cost_per_oz" double precision NOT NULL,
	"water_to_wax_ratio" double precision NOT NULL,
	"default_fragrance_load" double precision NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"legacy_nulls" text[] DEFAULT '{}' NOT NULL,
	"sync_hash" text,
	"sync_written_at" timestamp with time zone,
	CONSTRAINT "calculator_settings_single_row_check" CHECK ("calculator_settings"."id" = 1),
	CONSTRAINT "calculator_settings_wax_cost_per_oz_check" CHECK ("calculator_settings"."wax_cost_per_oz" >= 0),
	CONSTRAINT "calculator_settings_water_to_wax_ratio_check" CHECK ("calculator_settings"."water_to_wax_ratio" > 0),
	CONSTRAINT "calculator_settings_default_fragrance_load_check" CHECK ("calculator_settings"."default_fragrance_load" >= 0 AND "calculator_settings"."default_fragrance_load" <= 1)
);
--> statement-breakpoint
CREATE TABLE "calculator_wicks" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"cost_per_wick" double precision NOT NULL,
	"appear_as" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"legacy_nulls" text[] DEFAULT '{}' NOT NULL,
	"sync_hash" text,
	"sync_written_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "containers" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"capacity_water_oz" double precision NOT NULL,
	"shape" text NOT NULL,
	"supplier" text,
	"cost_per_unit" double precision NOT NULL,
	"notes" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"legacy_nulls" text[] DEFAULT '{}' NOT NULL,
	"sync_hash" text,
	"sync_written_at" timestamp with time zone,
	CONSTRAINT "containers_capacity_water_oz_check" CHECK ("containers"."capacity_water_oz" > 0),
	CONSTRAINT "containers_cost_per_unit_check" CHECK ("containers"."cost_per_unit" >= 0)
);
--> statement-breakpoint
CREATE TABLE "scents" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"limited" boolean,
	"experimental" boolean,
	"enabled_products" text[],
	"sort_order" double precision,
	"notes" text[],
	"seasonal" boolean,
	"cost_per_oz" double precision,
	"composition" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"legacy_nulls" text[] DEFAULT '{}' NOT NULL,
	"sync_hash" text,
	"sync_written_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "product_variants" ADD CONSTRAINT "product_variants_product_slug_products_slug_fk" FOREIGN KEY ("product_slug") REFERENCES "public"."products"("slug") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_user_ref_users_id_fk" FOREIGN KEY ("user_ref") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_transactions" ADD CONSTRAINT "points_transactions_user_ref_users_id_fk" FOREIGN KEY ("user_ref") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_transactions" ADD CONSTRAINT "points_transactions_order_ref_orders_id_fk" FOREIGN KEY ("order_ref") REFERENCES "public"."orders"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_items" ADD CONSTRAINT "purchase_items_purchase_id_purchases_id_fk" FOREIGN KEY ("purchase_id") REFERENCES "public"."purchases"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "refund_items" ADD CONSTRAINT "refund_items_refund_id_refunds_id_fk" FOREIGN KEY ("refund_id") REFERENCES "public"."refunds"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_order_ref_orders_id_fk" FOREIGN KEY ("order_ref") REFERENCES "public"."orders"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_user_ref_users_id_fk" FOREIGN KEY ("user_ref") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_verification_tokens" ADD CONSTRAINT "email_verification_tokens_user_ref_users_id_fk" FOREIGN KEY ("user_ref") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_access_tokens" ADD CONSTRAINT "invoice_access_tokens_order_ref_orders_id_fk" FOREIGN KEY ("order_ref") REFERENCES "public"."orders"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "password_reset_tokens" ADD CONSTRAINT "password_reset_tokens_user_ref_users_id_fk" FOREIGN KEY ("user_ref") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "admin_logs_logged_at_idx" ON "admin_logs" USING btree ("logged_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "admin_logs_action_idx" ON "admin_logs" USING btree ("action");--> statement-breakpoint
CREATE UNIQUE INDEX "admin_logs_dedupe_key_unique" ON "admin_logs" USING btree ("dedupe_key");--> statement-breakpoint
CREATE UNIQUE INDEX "admin_users_email_lower_unique" ON "admin_users" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "alcohol_types_name_lower_idx" ON "alcohol_types" USING btree (lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "alcohol_types_name_lower_unique" ON "alcohol_types" USING btree (lower("name")) WHERE NOT "alcohol_types"."name_conflict";--> statement-breakpoint
CREATE INDEX "alcohol_types_sort_idx" ON "alcohol_types" USING btree ("sort_order","name");--> statement-breakpoint
CREATE INDEX "products_name_idx" ON "products" USING btree ("name");--> statement-breakpoint
CREATE INDEX "products_sku_idx" ON "products" USING btree ("sku");--> statement-breakpoint
CREATE INDEX "products_stripe_price_id_idx" ON "products" USING btree ("stripe_price_id") WHERE "products"."stripe_price_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "products_square_catalog_id_idx" ON "products" USING btree ("square_catalog_id") WHERE "products"."square_catalog_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "products_alcohol_type_idx" ON "products" USING btree ("alcohol_type");--> statement-breakpoint
CREATE INDEX "products_best_seller_idx" ON "products" USING btree ("best_seller") WHERE "products"."best_seller" = true;--> statement-breakpoint
CREATE INDEX "order_items_product_slug_idx" ON "order_items" USING btree ("product_slug");--> statement-breakpoint
CREATE INDEX "orders_user_id_idx" ON "orders" USING btree ("user_id") WHERE "orders"."user_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "orders_user_ref_idx" ON "orders" USING btree ("user_ref");--> statement-breakpoint
CREATE INDEX "orders_email_lower_idx" ON "orders" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "orders_status_idx" ON "orders" USING btree ("status");--> statement-breakpoint
CREATE INDEX "orders_shipping_status_idx" ON "orders" USING btree ("shipping_status");--> statement-breakpoint
CREATE INDEX "orders_created_at_idx" ON "orders" USING btree ("created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "orders_tracking_number_idx" ON "orders" USING btree ("tracking_number") WHERE "orders"."tracking_number" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "points_transactions_user_id_idx" ON "points_transactions" USING btree ("user_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "points_transactions_user_ref_idx" ON "points_transactions" USING btree ("user_ref");--> statement-breakpoint
CREATE INDEX "points_transactions_order_id_idx" ON "points_transactions" USING btree ("order_id") WHERE "points_transactions"."order_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "points_transactions_order_ref_idx" ON "points_transactions" USING btree ("order_ref");--> statement-breakpoint
CREATE INDEX "promotions_code_upper_idx" ON "promotions" USING btree (upper("code"));--> statement-breakpoint
CREATE UNIQUE INDEX "promotions_code_upper_unique" ON "promotions" USING btree (upper("code")) WHERE NOT "promotions"."code_conflict";--> statement-breakpoint
CREATE INDEX "promotions_active_idx" ON "promotions" USING btree ("active") WHERE "promotions"."active" = true;--> statement-breakpoint
CREATE INDEX "purchase_items_category_idx" ON "purchase_items" USING btree ("category");--> statement-breakpoint
CREATE INDEX "purchases_vendor_lower_idx" ON "purchases" USING btree (lower("vendor_name"));--> statement-breakpoint
CREATE INDEX "purchases_date_idx" ON "purchases" USING btree ("purchase_date" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "purchases_created_at_idx" ON "purchases" USING btree ("created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "refunds_order_id_idx" ON "refunds" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "refunds_order_ref_idx" ON "refunds" USING btree ("order_ref");--> statement-breakpoint
CREATE INDEX "refunds_user_ref_idx" ON "refunds" USING btree ("user_ref");--> statement-breakpoint
CREATE INDEX "refunds_status_idx" ON "refunds" USING btree ("status");--> statement-breakpoint
CREATE INDEX "refunds_created_at_idx" ON "refunds" USING btree ("created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "email_verification_tokens_user_id_idx" ON "email_verification_tokens" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "email_verification_tokens_user_ref_idx" ON "email_verification_tokens" USING btree ("user_ref");--> statement-breakpoint
CREATE INDEX "email_verification_tokens_expires_at_idx" ON "email_verification_tokens" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "invoice_access_tokens_order_id_idx" ON "invoice_access_tokens" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "invoice_access_tokens_order_ref_idx" ON "invoice_access_tokens" USING btree ("order_ref");--> statement-breakpoint
CREATE INDEX "invoice_access_tokens_expires_at_idx" ON "invoice_access_tokens" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "password_reset_tokens_user_id_idx" ON "password_reset_tokens" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "password_reset_tokens_user_ref_idx" ON "password_reset_tokens" USING btree ("user_ref");--> statement-breakpoint
CREATE INDEX "password_reset_tokens_expires_at_idx" ON "password_reset_tokens" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_unique" ON "users" USING btree ("email");--> statement-breakpoint
CREATE INDEX "users_created_at_idx" ON "users" USING btree ("created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "webhook_events_expires_at_idx" ON "webhook_events" USING btree ("expires_at");