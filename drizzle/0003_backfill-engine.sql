CREATE TABLE "backfill_checkpoints" (
	"run_id" text NOT NULL,
	"step" text NOT NULL,
	"scan_cursor" text,
	"last_key" text,
	"done" boolean DEFAULT false NOT NULL,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "backfill_checkpoints_pkey" PRIMARY KEY("run_id","step")
);
--> statement-breakpoint
CREATE TABLE "backfill_index_members" (
	"index_key" text NOT NULL,
	"family" text NOT NULL,
	"ord" integer NOT NULL,
	"member" text NOT NULL,
	"target_key" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "backfill_keys" (
	"key" text PRIMARY KEY NOT NULL,
	"family" text NOT NULL,
	"entity" text NOT NULL,
	"source" text DEFAULT 'scan' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "backfill_quarantine" (
	"key" text PRIMARY KEY NOT NULL,
	"entity" text NOT NULL,
	"field" text DEFAULT '' NOT NULL,
	"reason" text NOT NULL,
	"raw" "bytea",
	"run_id" text,
	"quarantined_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "backfill_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"key_prefix" text NOT NULL,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "points_discrepancies" (
	"user_id" text PRIMARY KEY NOT NULL,
	"stored_balance" integer NOT NULL,
	"ledger_sum" bigint NOT NULL,
	"difference" bigint NOT NULL,
	"ledger_entries" integer NOT NULL,
	"resolution" text DEFAULT 'stored_balance_kept' NOT NULL,
	"detected_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "backfill_checkpoints" ADD CONSTRAINT "backfill_checkpoints_run_id_backfill_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."backfill_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "backfill_index_members_unique" ON "backfill_index_members" USING btree ("index_key","ord","member");--> statement-breakpoint
CREATE INDEX "backfill_index_members_target_idx" ON "backfill_index_members" USING btree ("target_key");--> statement-breakpoint
CREATE INDEX "backfill_keys_entity_key_idx" ON "backfill_keys" USING btree ("entity","key");--> statement-breakpoint
CREATE INDEX "backfill_quarantine_entity_idx" ON "backfill_quarantine" USING btree ("entity");
