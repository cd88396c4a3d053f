/**
 * The run's persistent state: which run is in progress, per-step checkpoints (cursor or last key and
 * cumulative counts) and the quarantine. Every write here happens inside the transaction of the work
 * it records, so a run killed at any moment resumes exactly at the last committed batch.
 *
 * A dry run shadows the engine tables with session-local TEMP tables of the same names (the temp
 * schema is searched first), so it runs the same code and leaves nothing behind.
 */
import { randomUUID } from 'node:crypto';
import type { SqlSession } from './session.js';
import { bulkInsert, type ColumnSpec } from './tables.js';

const ENGINE_TABLES = [
  'backfill_runs',
  'backfill_checkpoints',
  'backfill_keys',
  'backfill_index_members',
  'backfill_quarantine',
] as const;

/** Cumulative counts of one step (entity stats, or discovery tallies). */
export type Counts = Record<string, number>;

export interface Checkpoint {
  scanCursor: string | null;
  lastKey: string | null;
  done: boolean;
  counts: Counts;
}

/**
 * A batch committed beyond a step's low-water mark: the keys in (`after`, `last`] in byte order, with
 * the counts of that batch alone. Batches written on parallel connections commit out of order; a
 * checkpoint only claims the contiguous prefix (`lastKey`), the others wait here until it reaches them.
 */
export interface BatchRange {
  after: string;
  last: string;
  counts: Counts;
}

/** Where a resumed step continues: its low-water mark, the counts up to it, and the batches beyond it. */
export interface StepProgress {
  lastKey: string;
  counts: Counts;
  pending: BatchRange[];
}

/** One quarantined record or key. */
export interface QuarantineRow {
  key: string;
  entity: string;
  field: string;
  reason: string;
  raw: Uint8Array | null;
}

/** An unfinished run was found for another key prefix. */
export class RunPrefixMismatchError extends Error {
  constructor(
    readonly runId: string,
    readonly runPrefix: string,
    readonly prefix: string,
  ) {
    super(`unfinished backfill run ${runId} read prefix "${runPrefix}", not "${prefix}"`);
    this.name = 'RunPrefixMismatchError';
  }
}

const QUARANTINE_COLUMNS: ColumnSpec[] = [
  { field: 'key', name: 'key', type: 'PgText' },
  { field: 'entity', name: 'entity', type: 'PgText' },
  { field: 'field', name: 'field', type: 'PgText' },
  { field: 'reason', name: 'reason', type: 'PgText' },
  { field: 'raw', name: 'raw', type: 'bytea' },
  { field: 'runId', name: 'run_id', type: 'PgText' },
];

export class RunState {
  private constructor(
    readonly session: SqlSession,
    readonly runId: string,
    readonly mode: 'fresh' | 'resumed' | 'dry-run',
  ) {}

  /** Resumes the unfinished run, or starts a fresh one (always fresh with `restart` or `dryRun`). */
  static async open(
    session: SqlSession,
    opts: { prefix: string; restart: boolean; dryRun: boolean; options: Record<string, unknown> },
  ): Promise<RunState> {
    if (opts.dryRun) {
      for (const t of ENGINE_TABLES) {
        await session.query(`CREATE TEMP TABLE IF NOT EXISTS ${t} (LIKE public.${t} INCLUDING ALL)`);
      }
    }
    if (!opts.restart && !opts.dryRun) {
      const open = await session.query<{ id: string; key_prefix: string }>(
        'SELECT id, key_prefix FROM backfill_runs WHERE finished_at IS NULL ORDER BY started_at DESC LIMIT 1',
      );
      const run = open[0];
      if (run) {
        if (run.key_prefix !== opts.prefix)
          throw new RunPrefixMismatchError(run.id, run.key_prefix, opts.prefix);
        return new RunState(session, run.id, 'resumed');
      }
    }
    const id = randomUUID();
    await session.transaction(async () => {
      await session.query('DELETE FROM backfill_checkpoints');
      await session.query('DELETE FROM backfill_runs');
      for (const t of ['backfill_keys', 'backfill_index_members', 'backfill_quarantine']) {
        await session.query(`TRUNCATE ${t}`);
      }
      await session.query('INSERT INTO backfill_runs (id, key_prefix, options) VALUES ($1, $2, $3::jsonb)', [
        id,
        opts.prefix,
        JSON.stringify(opts.options),
      ]);
    });
    return new RunState(session, id, opts.dryRun ? 'dry-run' : 'fresh');
  }

  async checkpoint(step: string): Promise<Checkpoint> {
    const rows = await this.session.query<{
      scan_cursor: string | null;
      last_key: string | null;
      done: boolean;
      counts: Counts | string;
    }>(
      'SELECT scan_cursor, last_key, done, counts FROM backfill_checkpoints WHERE run_id = $1 AND step = $2',
      [this.runId, step],
    );
    const r = rows[0];
    if (!r) return { scanCursor: null, lastKey: null, done: false, counts: {} };
    const counts = typeof r.counts === 'string' ? (JSON.parse(r.counts) as Counts) : r.counts;
    return { scanCursor: r.scan_cursor, lastKey: r.last_key, done: r.done, counts };
  }

  /** Records progress (call inside the transaction of the work it describes, on its `session`). */
  async save(step: string, cp: Checkpoint, session: SqlSession = this.session): Promise<void> {
    await session.query(
      `INSERT INTO backfill_checkpoints (run_id, step, scan_cursor, last_key, done, counts, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, now())
       ON CONFLICT (run_id, step) DO UPDATE SET scan_cursor = EXCLUDED.scan_cursor, last_key = EXCLUDED.last_key,
         done = EXCLUDED.done, counts = EXCLUDED.counts, updated_at = now()`,
      [this.runId, step, cp.scanCursor, cp.lastKey, cp.done, JSON.stringify(cp.counts)],
    );
  }

  /**
   * Quarantines records (inside the caller's transaction, on `session`, by default the run's own);
   * a key quarantined again keeps the latest reason.
   */
  async quarantine(rows: readonly QuarantineRow[], session: SqlSession = this.session): Promise<void> {
    if (rows.length === 0) return;
    await session.query(
      'CREATE TEMP TABLE IF NOT EXISTS bf_stage_quarantine (LIKE backfill_quarantine INCLUDING DEFAULTS)',
    );
    await session.query('TRUNCATE bf_stage_quarantine');
    const unique = [...new Map(rows.map((r) => [r.key, { ...r, runId: this.runId }])).values()];
    await bulkInsert(session, 'bf_stage_quarantine', QUARANTINE_COLUMNS, unique);
    await session.query(
      `INSERT INTO backfill_quarantine (key, entity, field, reason, raw, run_id)
       SELECT key, entity, field, reason, raw, run_id FROM bf_stage_quarantine
       ON CONFLICT (key) DO UPDATE SET entity = EXCLUDED.entity, field = EXCLUDED.field, reason = EXCLUDED.reason,
         raw = EXCLUDED.raw, run_id = EXCLUDED.run_id, quarantined_at = now()`,
    );
  }

  /**
   * Where step `step` continues. Out-of-order batches are kept in the checkpoint's `scan_cursor` (JSON),
   * a column record steps do not otherwise use, so `backfill_checkpoints` keeps one row per step.
   */
  async progress(step: string): Promise<StepProgress> {
    const cp = await this.checkpoint(step);
    return { lastKey: cp.lastKey ?? '', counts: cp.counts, pending: parsePending(cp.scanCursor) };
  }

  /**
   * Records a committed batch (call inside the batch's transaction on `session`): locks the step's
   * checkpoint row, adds the batch, and advances the low-water mark over every batch now contiguous
   * with it. The row lock is taken last, so parallel batches only queue for the final UPDATE+COMMIT.
   * The row must exist ({@link save} it before dispatching batches).
   */
  async commitBatch(session: SqlSession, step: string, batch: BatchRange): Promise<void> {
    const rows = await session.query<{
      last_key: string | null;
      counts: Counts | string;
      scan_cursor: string | null;
    }>(
      'SELECT last_key, counts, scan_cursor FROM backfill_checkpoints WHERE run_id = $1 AND step = $2 FOR UPDATE',
      [this.runId, step],
    );
    const r = rows[0];
    if (!r) throw new Error(`no checkpoint row for step ${step}`);
    let lastKey = r.last_key ?? '';
    let counts = typeof r.counts === 'string' ? (JSON.parse(r.counts) as Counts) : r.counts;
    const pending = [...parsePending(r.scan_cursor), batch];
    for (;;) {
      const i = pending.findIndex((p) => p.after === lastKey);
      if (i < 0) break;
      const [p] = pending.splice(i, 1) as [BatchRange];
      lastKey = p.last;
      counts = sumCounts(counts, p.counts);
    }
    await session.query(
      `UPDATE backfill_checkpoints SET last_key = $3, counts = $4::jsonb, scan_cursor = $5, updated_at = now()
        WHERE run_id = $1 AND step = $2`,
      [
        this.runId,
        step,
        lastKey,
        JSON.stringify(counts),
        pending.length > 0 ? JSON.stringify(pending) : null,
      ],
    );
  }

  async finish(): Promise<void> {
    if (this.mode === 'dry-run') return;
    await this.session.query('UPDATE backfill_runs SET finished_at = now() WHERE id = $1', [this.runId]);
  }

  /** Quarantine rows in key order, page by page (for the report and the reject file). */
  async *quarantined(page = 1000): AsyncGenerator<QuarantineRow> {
    let after = '';
    for (;;) {
      const rows = await this.session.query<{
        key: string;
        entity: string;
        field: string;
        reason: string;
        raw: Uint8Array | string | null;
      }>(
        `SELECT key, entity, field, reason, raw FROM backfill_quarantine WHERE key COLLATE "C" > $1 ORDER BY key COLLATE "C" LIMIT ${page}`,
        [after],
      );
      for (const r of rows) yield { ...r, raw: toBytes(r.raw) };
      if (rows.length < page) return;
      after = rows[rows.length - 1]?.key ?? after;
    }
  }
}

function parsePending(scanCursor: string | null): BatchRange[] {
  if (scanCursor === null || !scanCursor.startsWith('[')) return [];
  return JSON.parse(scanCursor) as BatchRange[];
}

/** `a` + `b`, key by key. */
export function sumCounts(a: Counts, b: Counts): Counts {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** bytea as the drivers return it (Buffer / Uint8Array, or `\x…` text). */
function toBytes(raw: Uint8Array | string | null): Uint8Array | null {
  if (raw === null) return null;
  if (typeof raw === 'string') return Buffer.from(raw.startsWith('\\x') ? raw.slice(2) : raw, 'hex');
  return raw;
}
