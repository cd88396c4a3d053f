/**
 * Writes one batch of mapped records: rows are staged in session-local tables (COPY or JSON chunks),
 * then merged with one `INSERT … ON CONFLICT DO UPDATE` per table. The update is conditional
 * (decisions.md §8): it skips rows whose `sync_hash` is unchanged and never overwrites a row a live
 * write touched after the backfill read the key. Child rows of a parent that was written are
 * replaced in the same transaction, so an aggregate is all-or-nothing. A batch the database rejects
 * (a UNIQUE or CHECK violation) is split in halves until the offending records are isolated; those
 * are returned with the database's reason and the rest is written.
 */
import { redactText } from '../../config.js';
import { quoteIdent, type SqlSession } from './session.js';
import { bulkInsert, rowColumns, type TableSpec } from './tables.js';

/** One record ready to write: its parent row and its child rows per child table. */
export interface StagedRecord {
  key: string;
  raw: Uint8Array;
  parent: Record<string, unknown>;
  children: Record<string, Record<string, unknown>[]>;
}

/** How an entity's rows are merged. */
export interface WriteSpec {
  parent: TableSpec;
  children: { spec: TableSpec; parentColumn: string }[];
  /** Column → SQL expression over the staged row `s`, replacing the staged value (refs, conflict flags). */
  computed?: Record<string, string>;
}

export interface WriteOutcome {
  migrated: number;
  unchanged: number;
  liveNewer: number;
  rejected: { record: StagedRecord; reason: string }[];
}

const stageName = (table: string) => `bf_stage_${table}`;

/**
 * Creates the session-local staging tables of `spec` (once per session, outside transactions). They
 * empty themselves at each commit, so call {@link writeRecords} at most once per transaction.
 */
export async function prepareStaging(session: SqlSession, spec: WriteSpec): Promise<void> {
  for (const t of [spec.parent, ...spec.children.map((c) => c.spec)]) {
    await session.query(
      `CREATE TEMP TABLE IF NOT EXISTS ${quoteIdent(stageName(t.name))} (LIKE ${quoteIdent(t.name)} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`,
    );
  }
}

function pkValue(spec: TableSpec, row: Record<string, unknown>): string {
  const column = spec.columns.find((c) => c.name === spec.pk[0]);
  return String(row[column?.field ?? '']);
}

async function attempt(
  session: SqlSession,
  spec: WriteSpec,
  records: readonly StagedRecord[],
  readAt: Date,
): Promise<{ migrated: number; liveNewer: number }> {
  const p = spec.parent;
  const parents = records.map((r) => r.parent);
  const columns = rowColumns(p, parents);
  const stageParent = quoteIdent(stageName(p.name));
  // The staging tables are empty here: ON COMMIT DELETE ROWS empties them at every commit, and
  // whatever an attempt staged is undone with its savepoint (one writeRecords per transaction).
  await bulkInsert(session, stageName(p.name), columns, parents);

  const computed = spec.computed ?? {};
  const names = [...new Set([...columns.map((c) => c.name), ...Object.keys(computed)])];
  const select = names.map((n) => computed[n] ?? `s.${quoteIdent(n)}`).join(', ');
  const pk = p.pk.map(quoteIdent).join(', ');
  const updates = names
    .filter((n) => !p.pk.includes(n))
    .map((n) => `${quoteIdent(n)} = EXCLUDED.${quoteIdent(n)}`);
  const written = await session.query<{ k: string; inserted: boolean }>(
    `INSERT INTO ${quoteIdent(p.name)} AS t (${names.map(quoteIdent).join(', ')})
     SELECT ${select} FROM ${stageParent} s
     ON CONFLICT (${pk}) DO UPDATE SET ${updates.join(', ')}
     WHERE t.sync_hash IS DISTINCT FROM EXCLUDED.sync_hash
       AND (t.sync_written_at IS NULL OR t.sync_written_at <= $1::timestamptz)
     RETURNING t.${quoteIdent(p.pk[0] ?? '')}::text AS k, (t.xmax = 0) AS inserted`,
    [readAt.toISOString()],
  );
  const ids = written.map((w) => w.k);
  const all = ids.length === records.length;
  // Rows not written kept their hash, or are newer in Postgres (a live write): count the latter.
  const newer = all
    ? [{ n: 0 }]
    : await session.query<{ n: number | string }>(
        `SELECT count(*)::int AS n FROM ${stageParent} s JOIN ${quoteIdent(p.name)} t USING (${pk})
          WHERE t.sync_hash IS DISTINCT FROM s.sync_hash`,
      );
  // A freshly inserted parent has no children yet; only updated parents need theirs removed.
  const updated = written.filter((w) => !w.inserted).map((w) => w.k);

  for (const child of spec.children) {
    if (ids.length === 0) continue;
    const parentCol = quoteIdent(child.parentColumn);
    if (updated.length > 0) {
      await session.query(`DELETE FROM ${quoteIdent(child.spec.name)} WHERE ${parentCol} = ANY($1::text[])`, [
        updated,
      ]);
    }
    const rows = records.flatMap((r) => r.children[child.spec.name] ?? []);
    if (rows.length === 0) continue;
    const cols = rowColumns(child.spec, rows);
    if (all) {
      // Every parent was written, so every child row goes in: straight into the table, no staging.
      await bulkInsert(session, child.spec.name, cols, rows);
      continue;
    }
    const stage = stageName(child.spec.name);
    await bulkInsert(session, stage, cols, rows);
    const list = cols.map((c) => quoteIdent(c.name)).join(', ');
    await session.query(
      `INSERT INTO ${quoteIdent(child.spec.name)} (${list}) SELECT ${list} FROM ${quoteIdent(stage)} WHERE ${parentCol} = ANY($1::text[])`,
      [ids],
    );
  }
  return { migrated: ids.length, liveNewer: Number(newer[0]?.n ?? 0) };
}

/**
 * Merges `records` inside the caller's transaction. With `dryRun` every change is rolled back to a
 * savepoint after it was counted, so the outcome says exactly what a real run would do.
 */
export async function writeRecords(
  session: SqlSession,
  spec: WriteSpec,
  records: readonly StagedRecord[],
  readAt: Date,
  dryRun: boolean,
): Promise<WriteOutcome> {
  const out: WriteOutcome = { migrated: 0, unchanged: 0, liveNewer: 0, rejected: [] };
  if (records.length === 0) return out;
  await session.query('SAVEPOINT bf_write');
  try {
    const r = await attempt(session, spec, records, readAt);
    await session.query(dryRun ? 'ROLLBACK TO SAVEPOINT bf_write' : 'RELEASE SAVEPOINT bf_write');
    out.migrated = r.migrated;
    out.liveNewer = r.liveNewer;
    out.unchanged = records.length - r.migrated;
    return out;
  } catch (err) {
    await session.query('ROLLBACK TO SAVEPOINT bf_write');
    if (records.length === 1) {
      const reason = redactText(err instanceof Error ? err.message : String(err));
      out.rejected.push({ record: records[0] as StagedRecord, reason: `rejected by Postgres: ${reason}` });
      return out;
    }
    const mid = Math.ceil(records.length / 2);
    for (const half of [records.slice(0, mid), records.slice(mid)]) {
      const r = await writeRecords(session, spec, half, readAt, dryRun);
      out.migrated += r.migrated;
      out.unchanged += r.unchanged;
      out.liveNewer += r.liveNewer;
      out.rejected.push(...r.rejected);
    }
    return out;
  }
}

export { pkValue };
