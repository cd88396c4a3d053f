/**
 * Tables of the migration router (src/migration/router): the current stage of each domain with its
 * audit trail, the repair journal used while Postgres is a domain's source of truth (while Redis is,
 * the journal is a sorted set in Redis), and the shadow-read mismatches and counters that the
 * cut-over guard rails read. Stages are text with a CHECK, not an enum, so a new stage needs no
 * `ALTER TYPE`.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
} from 'drizzle-orm/pg-core';
import { tstz } from './columns.js';

const STAGE_CHECK = `('redis','dual-write','shadow-read','postgres-read','postgres','postgres-only')`;

/** One row per domain that has a stored stage; domains without a row use the env defaults. */
export const migrationStages = pgTable(
  'migration_stages',
  {
    /** DataLayer member name: `orders`, `users`, … */
    domain: text('domain').primaryKey(),
    stage: text('stage').notNull(),
    /** The stage in force until `effective_at` (NULL: the env default was). */
    previousStage: text('previous_stage'),
    /** When the stage was set. */
    since: tstz('since').notNull().defaultNow(),
    /**
     * When processes switch to it: a little after `since`, so every polling process switches at the
     * same moment (see stage-store/poller.ts).
     */
    effectiveAt: tstz('effective_at').notNull().defaultNow(),
    changedBy: text('changed_by').notNull(),
    reason: text('reason'),
    forced: boolean('forced').notNull().default(false),
    /** Bumped on every change, so a poller notices a change even within one clock tick. */
    version: integer('version').notNull().default(1),
  },
  (t) => [check('migration_stages_stage_check', sql`${t.stage} IN ${sql.raw(STAGE_CHECK)}`)],
);

/** Every stage change and every refused attempt: who, when, from → to, why, forced. */
export const migrationStageAudit = pgTable(
  'migration_stage_audit',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    domain: text('domain').notNull(),
    /** The stage before the move (an env default when the domain had no stored stage yet). */
    fromStage: text('from_stage'),
    toStage: text('to_stage').notNull(),
    changedBy: text('changed_by').notNull(),
    reason: text('reason'),
    forced: boolean('forced').notNull().default(false),
    /** `applied` or `refused`. */
    outcome: text('outcome').notNull(),
    /** Why a move was refused (or, when forced, what was overridden): `[{code, message}]`. */
    findings: jsonb('findings').$type<{ code: string; message: string }[]>().notNull().default([]),
    at: tstz('at').notNull().defaultNow(),
  },
  (t) => [
    index('migration_stage_audit_domain_at_idx').on(t.domain, t.at.desc()),
    check('migration_stage_audit_outcome_check', sql`${t.outcome} IN ('applied', 'refused')`),
  ],
);

/**
 * Repair journal while Postgres is the source of truth: records whose copy to Redis failed. Copied
 * again by the reconciler until the row is gone. `gen` changes on every new failure, so a reconciler
 * that started before it does not delete the row.
 */
export const migrationJournal = pgTable(
  'migration_journal',
  {
    /** Sync-layer entity (`users`, `orders`, …) and its id. */
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    domain: text('domain').notNull(),
    firstAt: tstz('first_at').notNull().defaultNow(),
    lastAt: tstz('last_at').notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: tstz('next_attempt_at').notNull().defaultNow(),
    lastError: text('last_error'),
    /** Retries exhausted: kept with its last error until an operator drains it (`migrate:status -- --drain`). */
    parked: boolean('parked').notNull().default(false),
    gen: integer('gen').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.entity, t.entityId] }),
    index('migration_journal_domain_first_idx').on(t.domain, t.firstAt),
    index('migration_journal_next_attempt_idx').on(t.nextAttemptAt),
  ],
);

/** Shadow reads whose results differed (after a re-check), with both values. */
export const migrationShadowMismatches = pgTable(
  'migration_shadow_mismatches',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    domain: text('domain').notNull(),
    /** `users.getById`, `catalogue.scents.list`, … */
    method: text('method').notNull(),
    /** The entity key(s) involved, e.g. `users:6f1c…`, or the call when no key is known. */
    key: text('key').notNull(),
    /** Store the caller was served from, and the store compared against. */
    servedFrom: text('served_from').notNull(),
    comparedWith: text('compared_with').notNull(),
    /** Field paths that differ: `[{path, primary, shadow}]` (first 50). */
    diff: jsonb('diff').notNull(),
    primaryValue: jsonb('primary_value'),
    shadowValue: jsonb('shadow_value'),
    /** True for calibration runs (the same store compared with itself). */
    calibration: boolean('calibration').notNull().default(false),
    at: tstz('at').notNull().defaultNow(),
  },
  (t) => [index('migration_shadow_mismatches_domain_at_idx').on(t.domain, t.at.desc())],
);

/** Shadow-read counters per domain and minute, summed by every process (mismatch rate = Σ mismatched / Σ compared). */
export const migrationShadowStats = pgTable(
  'migration_shadow_stats',
  {
    domain: text('domain').notNull(),
    bucket: tstz('bucket').notNull(),
    calibration: boolean('calibration').notNull().default(false),
    compared: bigint('compared', { mode: 'number' }).notNull().default(0),
    mismatched: bigint('mismatched', { mode: 'number' }).notNull().default(0),
    /** The shadow side threw or timed out: neither compared nor mismatched. */
    errors: bigint('errors', { mode: 'number' }).notNull().default(0),
    /** A lasting difference on a record whose copy was still on its way: neither compared nor mismatched. */
    inFlight: bigint('in_flight', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.domain, t.bucket, t.calibration] })],
);

export type MigrationStageRow = typeof migrationStages.$inferSelect;
export type MigrationJournalRow = typeof migrationJournal.$inferSelect;
