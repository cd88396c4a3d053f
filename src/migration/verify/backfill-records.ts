/**
 * What the backfill recorded and verify takes into account: the quarantine (records it could not
 * migrate, on purpose) and the points discrepancies it found. Both tables belong to the backfill;
 * when they do not exist (no backfill ran here) the lookups return nothing.
 */
import { inArray } from 'drizzle-orm';
import type { PgHandle } from '../../backends/postgres/client.js';
import { backfillQuarantine, pointsDiscrepancies } from '../../backends/postgres/schema/backfill.js';

async function tableExists(pg: PgHandle, table: string): Promise<boolean> {
  const rows = await pg.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table]);
  return rows[0]?.t !== null && rows[0]?.t !== undefined;
}

/** Looks up whether Redis keys are in the backfill's quarantine (memoised presence of the table). */
export class QuarantineLookup {
  private present: Promise<boolean> | undefined;

  constructor(private readonly pg: PgHandle) {}

  /** The subset of `keys` that the backfill quarantined. */
  async quarantined(keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    this.present ??= tableExists(this.pg, 'backfill_quarantine');
    if (!(await this.present)) return new Set();
    const rows = await this.pg.db
      .select({ key: backfillQuarantine.key })
      .from(backfillQuarantine)
      .where(inArray(backfillQuarantine.key, [...new Set(keys)]));
    return new Set(rows.map((r) => r.key));
  }
}

/** user id → recorded difference (stored − ledger); undefined when the backfill table is absent. */
export async function recordedPointsDiscrepancies(pg: PgHandle): Promise<Map<string, number> | undefined> {
  if (!(await tableExists(pg, 'points_discrepancies'))) return undefined;
  const rows = await pg.db
    .select({ userId: pointsDiscrepancies.userId, difference: pointsDiscrepancies.difference })
    .from(pointsDiscrepancies);
  return new Map(rows.map((r) => [r.userId, Number(r.difference)]));
}
