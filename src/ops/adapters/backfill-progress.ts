/**
 * Backfill progress from the backfill engine's own bookkeeping in Postgres (`backfill_runs`,
 * `backfill_checkpoints`, `backfill_keys`): per entity step of the latest run, records processed
 * (`counts.scanned`) of the keys discovered for that entity. The rate is measured between two reads
 * of the same checkpoint, so it is the current speed, not an average over the run.
 */
import type { PgHandle } from '../../backends/postgres/client.js';
import type { BackfillProgress } from '../migration-control.js';

/** Steps of a run that are not entities. */
const NON_ENTITY_STEPS = new Set(['discover', 'indexes', 'finish']);

interface CheckpointRow {
  step: string;
  done: boolean;
  counts: Record<string, number> | string;
  updated_at: Date | string;
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

export function backfillProgressReader(pg: PgHandle): () => Promise<BackfillProgress[]> {
  const last = new Map<string, { processed: number; at: number; rate: number | null }>();
  return async () => {
    const [run] = await pg.query<{
      id: string;
      started_at: Date | string;
      finished_at: Date | string | null;
    }>('SELECT id, started_at, finished_at FROM backfill_runs ORDER BY started_at DESC LIMIT 1');
    if (!run) return [];
    const [checkpoints, keys] = await Promise.all([
      pg.query<CheckpointRow>(
        'SELECT step, done, counts, updated_at FROM backfill_checkpoints WHERE run_id = $1 ORDER BY updated_at',
        [run.id],
      ),
      pg.query<{ entity: string; n: number | string }>(
        'SELECT entity, count(*)::int AS n FROM backfill_keys GROUP BY entity',
      ),
    ]);
    const totals = new Map(keys.map((k) => [k.entity, Number(k.n)]));
    const out: BackfillProgress[] = [];
    for (const cp of checkpoints) {
      if (NON_ENTITY_STEPS.has(cp.step)) continue;
      const counts =
        typeof cp.counts === 'string' ? (JSON.parse(cp.counts) as Record<string, number>) : cp.counts;
      const processed = counts.scanned ?? 0;
      const at = new Date(cp.updated_at).getTime();
      const prev = last.get(cp.step);
      let rate = prev?.rate ?? null;
      if (cp.done) rate = null;
      else if (prev && at > prev.at)
        rate = Math.max(0, (processed - prev.processed) / ((at - prev.at) / 1000));
      last.set(cp.step, { processed, at, rate });
      out.push({
        entity: cp.step,
        status: cp.done ? 'done' : run.finished_at ? 'failed' : 'running',
        processed,
        total: totals.get(cp.step) ?? null,
        startedAt: iso(run.started_at),
        updatedAt: iso(cp.updated_at),
        ratePerSecond: rate,
      });
    }
    return out;
  };
}
