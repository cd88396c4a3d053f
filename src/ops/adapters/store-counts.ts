/**
 * Live record counts per entity on both stores, through the sync layer's id listings (the same
 * listings verify uses: SCAN ∪ index members on Redis, keyset pages on Postgres). Counting walks
 * every id, so results are cached (default 60 s) and one count runs at a time; a store that fails is
 * shown as `null` for that entity rather than failing the whole table.
 */
import type { AnyEntitySync, SyncContext } from '../../migration/entities/types.js';
import type { StoreCounts } from '../migration-control.js';

async function countIds(ids: AsyncIterable<string[]>): Promise<number> {
  const seen = new Set<string>();
  for await (const batch of ids) for (const id of batch) seen.add(id);
  return seen.size;
}

export function storeCountsReader(
  ctx: SyncContext,
  entities: readonly AnyEntitySync[],
  ttlMs = 60_000,
): () => Promise<StoreCounts[]> {
  let cached: { at: number; value: StoreCounts[] } | undefined;
  let running: Promise<StoreCounts[]> | undefined;
  const count = async (): Promise<StoreCounts[]> => {
    const out: StoreCounts[] = [];
    for (const e of entities) {
      const [redis, postgres] = await Promise.all([
        countIds(e.listRedisIds(ctx, 1000)).catch(() => null),
        countIds(e.listPostgresIds(ctx, 1000)).catch(() => null),
      ]);
      out.push({ entity: e.name, redis, postgres });
    }
    return out;
  };
  return () => {
    if (cached && Date.now() - cached.at < ttlMs) return Promise.resolve(cached.value);
    running ??= count()
      .then((value) => {
        cached = { at: Date.now(), value };
        return value;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
}
