CREATE TABLE "migration_verify_mismatches" (
	"run_id" bigint NOT NULL,
	"entity" text NOT NULL,
	"record_id" text NOT NULL,
	"kind" text NOT NULL,
	"redis_key" text,
	"diff" jsonb,
	"detail" text,
	"repair_run_id" bigint,
	"repaired_at" timestamp with time zone,
	"repair_outcome" text,
	"repair_error" text,
	CONSTRAINT "migration_verify_mismatches_pkey" PRIMARY KEY("run_id","entity","record_id")
);
--> statement-breakpoint
CREATE TABLE "migration_verify_results" (
	"run_id" bigint NOT NULL,
	"entity" text NOT NULL,
	"domain" text NOT NULL,
	"verified_at" timestamp with time zone DEFAULT now() NOT NULL,
	"clean" boolean NOT NULL,
	"counts" jsonb NOT NULL,
	"samples" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "migration_verify_results_pkey" PRIMARY KEY("run_id","entity")
);
--> statement-breakpoint
CREATE TABLE "migration_verify_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"status" text NOT NULL,
	"entities" text[] NOT NULL,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"summary" jsonb,
	"error" text
);
--> statement-breakpoint
ALTER TABLE "migration_verify_mismatches" ADD CONSTRAINT "migration_verify_mismatches_run_id_migration_verify_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."migration_verify_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "migration_verify_results" ADD CONSTRAINT "migration_verify_results_run_id_migration_verify_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."migration_verify_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "migration_verify_mismatches_open_idx" ON "migration_verify_mismatches" USING btree ("entity","run_id") WHERE "migration_verify_mismatches"."repair_outcome" IS DISTINCT FROM 'fixed';--> statement-breakpoint
CREATE INDEX "migration_verify_results_entity_idx" ON "migration_verify_results" USING btree ("entity","verified_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "migration_verify_results_domain_idx" ON "migration_verify_results" USING btree ("domain","verified_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "migration_verify_runs_kind_started_idx" ON "migration_verify_runs" USING btree ("kind","started_at" DESC NULLS LAST);