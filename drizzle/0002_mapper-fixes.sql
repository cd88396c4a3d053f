ALTER TABLE "purchase_items" DROP CONSTRAINT "purchase_items_quantity_check";--> statement-breakpoint
ALTER TABLE "email_verification_tokens" ADD COLUMN "legacy_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "invoice_access_tokens" ADD COLUMN "legacy_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "password_reset_tokens" ADD COLUMN "legacy_expires_at" timestamp with time zone;