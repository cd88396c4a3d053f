/**
 * Deletes expired rows of the short-lived Postgres tables in batches. Each batch is one statement
 * that locks its rows with `FOR UPDATE SKIP LOCKED` and deletes them by `ctid`, so two runners
 * working at once take disjoint rows (never wait on or fight each other) and every row is counted by
 * exactly one of them. Idempotent: a second run finds nothing. `now()` is read per batch, so rows
 * that expire while the job runs may be taken too.
 */
import type { PgHandle } from '../backends/postgres/client.js';

/** The tables the job cleans and which of their rows are expired. */
export const CLEANUP_TARGETS = [
  { table: 'password_reset_tokens', expired: 'expires_at < now()' },
  { table: 'email_verification_tokens', expired: 'expires_at < now()' },
  { table: 'invoice_access_tokens', expired: 'expires_at < now()' },
  // Claimed rows stay: their lease logic handles them, and deleting one would allow a second run.
  { table: 'webhook_events', expired: `status = 'done' and expires_at < now()` },
] as const;

export type CleanupTable = (typeof CLEANUP_TARGETS)[number]['table'];

export interface CleanupOptions {
  /** Rows per DELETE statement. Default 1000. */
  batchSize?: number;
  /** Count what would be removed, remove nothing. */
  dryRun?: boolean;
  /** Restrict to some tables (default: all of `CLEANUP_TARGETS`). */
  tables?: CleanupTable[];
}

export interface TableCleanupResult {
  table: CleanupTable;
  /** Rows deleted (in a dry run: rows that are expired now). */
  removed: number;
  /** DELETE statements run (0 in a dry run). */
  batches: number;
}

export interface CleanupReport {
  dryRun: boolean;
  batchSize: number;
  tables: TableCleanupResult[];
  totalRemoved: number;
}

/** A table the job expects is missing: the database is not migrated. */
export class CleanupTableMissingError extends Error {
  override name = 'CleanupTableMissingError';
  constructor(readonly tables: string[]) {
    super(`missing table(s): ${tables.join(', ')}`);
  }
}

export const DEFAULT_CLEANUP_BATCH_SIZE = 1000;

export async function runCleanup(pg: PgHandle, opts: CleanupOptions = {}): Promise<CleanupReport> {
  const batchSize = opts.batchSize ?? DEFAULT_CLEANUP_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
  }
  const dryRun = opts.dryRun ?? false;
  const targets = CLEANUP_TARGETS.filter((t) => !opts.tables || opts.tables.includes(t.table));

  const present = await pg.query<{ name: string }>(
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = current_schema() and c.relkind in ('r', 'p') and c.relname = any($1::text[])`,
    [targets.map((t) => t.table)],
  );
  const missing = targets.map((t) => t.table).filter((t) => !present.some((p) => p.name === t));
  if (missing.length > 0) throw new CleanupTableMissingError(missing);

  const tables: TableCleanupResult[] = [];
  for (const t of targets) {
    if (dryRun) {
      const [row] = await pg.query<{ n: number }>(
        `select count(*)::int as n from ${t.table} where ${t.expired}`,
      );
      tables.push({ table: t.table, removed: row?.n ?? 0, batches: 0 });
      continue;
    }
    let removed = 0;
    let batches = 0;
    for (;;) {
      const [row] = await pg.query<{ n: number }>(
        `with doomed as (
           select ctid from ${t.table} where ${t.expired} limit $1 for update skip locked
         ), gone as (
           delete from ${t.table} where ctid in (select ctid from doomed) returning 1
         )
         select count(*)::int as n from gone`,
        [batchSize],
      );
      const n = row?.n ?? 0;
      batches++;
      removed += n;
      // A short batch means no unlocked expired rows are left (locked ones belong to another runner).
      if (n < batchSize) break;
    }
    tables.push({ table: t.table, removed, batches });
  }
  return { dryRun, batchSize, tables, totalRemoved: tables.reduce((s, t) => s + t.removed, 0) };
}
