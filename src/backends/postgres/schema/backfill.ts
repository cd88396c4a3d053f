/**
 * Bookkeeping of the Redis → Postgres backfill (`npm run migrate:redis-to-postgres`), so a run killed
 * at any moment resumes where it stopped: the run, its checkpoints (SCAN cursor or last key per step,
 * cumulative counts), the keys it discovered, the members of every legacy index, the records it
 * quarantined, and the points balances that disagree with their ledger.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { tstz } from './columns.js';

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

/** One backfill run. A run that has no `finished_at` is resumed by the next invocation. */
export const backfillRuns = pgTable('backfill_runs', {
  id: text('id').primaryKey(),
  startedAt: tstz('started_at').notNull().defaultNow(),
  finishedAt: tstz('finished_at'),
  /** The legacy key prefix the run read; resuming under another prefix is refused. */
  keyPrefix: text('key_prefix').notNull(),
  /** The options the run was started with (entities, batch size…), for the report. */
  options: jsonb('options').$type<Record<string, unknown>>().notNull().default({}),
});

/**
 * Progress of one step of a run (`discover`, `indexes`, one per entity, `finish`): where to continue
 * and the counts so far. Updated in the same transaction as the work it describes.
 */
export const backfillCheckpoints = pgTable(
  'backfill_checkpoints',
  {
    runId: text('run_id')
      .notNull()
      .references(() => backfillRuns.id, { onDelete: 'cascade' }),
    step: text('step').notNull(),
    /** Redis SCAN cursor (discovery); `0` once the scan has wrapped around. */
    scanCursor: text('scan_cursor'),
    /** Last key processed, in key order (keyset pagination over `backfill_keys`). */
    lastKey: text('last_key'),
    done: boolean('done').notNull().default(false),
    counts: jsonb('counts').$type<Record<string, number>>().notNull().default({}),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'backfill_checkpoints_pkey', columns: [t.runId, t.step] })],
);

/** Every key under the prefix, found by SCAN or through an index, with its family and entity. */
export const backfillKeys = pgTable(
  'backfill_keys',
  {
    key: text('key').primaryKey(),
    family: text('family').notNull(),
    /** The report entity (a Postgres table name, `indexes`, or an ephemeral family name). */
    entity: text('entity').notNull(),
    /** `scan`, or `index` for a record only found through an index entry (written during the scan). */
    source: text('source').notNull().default('scan'),
  },
  // Keys are paged in byte order (COLLATE "C"): stable across servers and locales.
  (t) => [index('backfill_keys_entity_key_idx').on(t.entity, sql`${t.key} COLLATE "C"`)],
);

/**
 * Members of the legacy index sets and lists (and the `user:email:*` pointers), with the record key
 * each one names. `ord` is the list position (0 for set members), so duplicate list entries show.
 */
export const backfillIndexMembers = pgTable(
  'backfill_index_members',
  {
    indexKey: text('index_key').notNull(),
    family: text('family').notNull(),
    ord: integer('ord').notNull(),
    member: text('member').notNull(),
    targetKey: text('target_key').notNull(),
  },
  (t) => [
    uniqueIndex('backfill_index_members_unique').on(t.indexKey, t.ord, t.member),
    index('backfill_index_members_target_idx').on(t.targetKey),
  ],
);

/** Records (or keys) the backfill could not migrate, with the reason and the raw bytes. */
export const backfillQuarantine = pgTable(
  'backfill_quarantine',
  {
    key: text('key').primaryKey(),
    entity: text('entity').notNull(),
    /** Path of the offending field (`items[2].quantity`), `''` for the value as a whole. */
    field: text('field').notNull().default(''),
    reason: text('reason').notNull(),
    /** The value exactly as read from Redis (NULL when the key itself is the problem). */
    raw: bytea('raw'),
    runId: text('run_id'),
    quarantinedAt: tstz('quarantined_at').notNull().defaultNow(),
  },
  (t) => [index('backfill_quarantine_entity_idx').on(t.entity)],
);

/**
 * Users whose stored `points` balance differs from the sum of their ledger (legacy-redis-format.md
 * §8.5). Policy: the stored balance is authoritative (it is what the customer saw) and is migrated
 * unchanged; each difference is recorded here for an explicit decision.
 */
export const pointsDiscrepancies = pgTable('points_discrepancies', {
  userId: text('user_id').primaryKey(),
  storedBalance: integer('stored_balance').notNull(),
  ledgerSum: bigint('ledger_sum', { mode: 'number' }).notNull(),
  /** stored − ledger. */
  difference: bigint('difference', { mode: 'number' }).notNull(),
  ledgerEntries: integer('ledger_entries').notNull(),
  resolution: text('resolution').notNull().default('stored_balance_kept'),
  detectedAt: tstz('detected_at').notNull().default(sql`now()`),
});

export type BackfillCheckpointRow = typeof backfillCheckpoints.$inferSelect;
export type BackfillQuarantineRow = typeof backfillQuarantine.$inferSelect;
export type PointsDiscrepancyRow = typeof pointsDiscrepancies.$inferSelect;
