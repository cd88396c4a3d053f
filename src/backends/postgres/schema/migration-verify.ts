/**
 * Results of `migrate:verify` and `migrate:repair`: one row per run, the outcome per entity of each
 * verify run (the router's guard rails and the dashboard read the latest one per entity), and every
 * record a verify found different or missing (repair re-copies exactly those and records how it went).
 */
import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { tstz } from './columns.js';

export const migrationVerifyRuns = pgTable(
  'migration_verify_runs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** `verify` or `repair`. */
    kind: text('kind').notNull(),
    startedAt: tstz('started_at').notNull().defaultNow(),
    finishedAt: tstz('finished_at'),
    /** `running`, then `clean`, `mismatch` (verify: differences; repair: some still different) or `error`. */
    status: text('status').notNull(),
    /** The entities the run covered. */
    entities: text('entities').array().notNull(),
    /** Options as given (batch size, sample, `--from`, …). */
    options: jsonb('options').$type<Record<string, unknown>>().notNull().default({}),
    /** The run's report (counts, drift and relationship sections, samples). */
    summary: jsonb('summary').$type<Record<string, unknown>>(),
    /** The fatal error of an `error` run. */
    error: text('error'),
  },
  (t) => [index('migration_verify_runs_kind_started_idx').on(t.kind, t.startedAt.desc())],
);

export const migrationVerifyResults = pgTable(
  'migration_verify_results',
  {
    runId: bigint('run_id', { mode: 'number' })
      .notNull()
      .references(() => migrationVerifyRuns.id, { onDelete: 'cascade' }),
    /** The Postgres parent table of the entity, e.g. `orders`. */
    entity: text('entity').notNull(),
    /** The data-access domain (router stages are per domain). */
    domain: text('domain').notNull(),
    verifiedAt: tstz('verified_at').notNull().defaultNow(),
    /** No difference, no missing record, no undecodable record, no unlinked reference. */
    clean: boolean('clean').notNull(),
    counts: jsonb('counts').$type<Record<string, number>>().notNull(),
    /** The first mismatches with their field diffs (`--sample`). */
    samples: jsonb('samples').$type<unknown[]>().notNull().default([]),
  },
  (t) => [
    primaryKey({ name: 'migration_verify_results_pkey', columns: [t.runId, t.entity] }),
    index('migration_verify_results_entity_idx').on(t.entity, t.verifiedAt.desc()),
    index('migration_verify_results_domain_idx').on(t.domain, t.verifiedAt.desc()),
  ],
);

export const migrationVerifyMismatches = pgTable(
  'migration_verify_mismatches',
  {
    runId: bigint('run_id', { mode: 'number' })
      .notNull()
      .references(() => migrationVerifyRuns.id, { onDelete: 'cascade' }),
    entity: text('entity').notNull(),
    /** The entity id (slug for products, token digest for tokens). */
    recordId: text('record_id').notNull(),
    /** `different`, `missing_in_postgres`, `missing_in_redis`, `undecodable` or `unlinked_ref`. */
    kind: text('kind').notNull(),
    redisKey: text('redis_key'),
    /** Field diffs of a `different` record (first ones only). */
    diff: jsonb('diff').$type<unknown[]>(),
    /** Why, for the kinds that have no diff (decode error, the reference not linked). */
    detail: text('detail'),
    /** Set by the last repair that handled this record. */
    repairRunId: bigint('repair_run_id', { mode: 'number' }),
    repairedAt: tstz('repaired_at'),
    /** `fixed`, `still_different`, `not_copyable` or `failed`. */
    repairOutcome: text('repair_outcome'),
    repairError: text('repair_error'),
  },
  (t) => [
    primaryKey({ name: 'migration_verify_mismatches_pkey', columns: [t.runId, t.entity, t.recordId] }),
    index('migration_verify_mismatches_open_idx')
      .on(t.entity, t.runId)
      .where(sql`${t.repairOutcome} IS DISTINCT FROM 'fixed'`),
  ],
);

export type MigrationVerifyRunRow = typeof migrationVerifyRuns.$inferSelect;
export type MigrationVerifyResultRow = typeof migrationVerifyResults.$inferSelect;
export type MigrationVerifyMismatchRow = typeof migrationVerifyMismatches.$inferSelect;
