CREATE TABLE "migration_journal" (
	"entity" text NOT NULL,
	"entity_id" text NOT NULL,
	"domain" text NOT NULL,
	"first_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"parked" boolean DEFAULT false NOT NULL,
	"gen" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "migration_journal_entity_entity_id_pk" PRIMARY KEY("entity","entity_id")
);
--> statement-breakpoint
CREATE TABLE "migration_shadow_mismatches" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"domain" text NOT NULL,
	"method" text NOT NULL,
	"key" text NOT NULL,
	"served_from" text NOT NULL,
	"compared_with" text NOT NULL,
	"diff" jsonb NOT NULL,
	"primary_value" jsonb,
	"shadow_value" jsonb,
	"calibration" boolean DEFAULT false NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "migration_shadow_stats" (
	"domain" text NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"calibration" boolean DEFAULT false NOT NULL,
	"compared" bigint DEFAULT 0 NOT NULL,
	"mismatched" bigint DEFAULT 0 NOT NULL,
	"errors" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "migration_shadow_stats_domain_bucket_calibration_pk" PRIMARY KEY("domain","bucket","calibration")
);
--> statement-breakpoint
CREATE TABLE "migration_stage_audit" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"domain" text NOT NULL,
	"from_stage" text,
	"to_stage" text NOT NULL,
	"changed_by" text NOT NULL,
	"reason" text,
	"forced" boolean DEFAULT false NOT NULL,
	"outcome" text NOT NULL,
	"findings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "migration_stage_audit_outcome_check" CHECK ("migration_stage_audit"."outcome" IN ('applied', 'refused'))
);
--> statement-breakpoint
CREATE TABLE "migration_stages" (
	"domain" text PRIMARY KEY NOT NULL,
	"stage" text NOT NULL,
	"previous_stage" text,
	"since" timestamp with time zone DEFAULT now() NOT NULL,
	"effective_at" timestamp with time zone DEFAULT now() NOT NULL,
	"changed_by" text NOT NULL,
	"reason" text,
	"forced" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "migration_stages_stage_check" CHECK ("migration_stages"."stage" IN ('redis','dual-write','shadow-read','postgres-read','postgres','postgres-only'))
);
--> statement-breakpoint
CREATE INDEX "migration_journal_domain_first_idx" ON "migration_journal" USING btree ("domain","first_at");--> statement-breakpoint
CREATE INDEX "migration_journal_next_attempt_idx" ON "migration_journal" USING btree ("next_attempt_at");--> statement-breakpoint
CREATE INDEX "migration_shadow_mismatches_domain_at_idx" ON "migration_shadow_mismatches" USING btree ("domain","at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "migration_stage_audit_domain_at_idx" ON "migration_stage_audit" USING btree ("domain","at" DESC NULLS LAST);