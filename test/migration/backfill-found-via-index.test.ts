/**
 * A record written while the backfill runs, after SCAN passed its slot but before the index audit
 * read the index naming it (§2c, legacy-redis-format.md §8.1): SCAN never returned it, the index does.
 * The backfill must migrate it (counted as found only through an index), and an index entry whose
 * record never appears must stay a dangling id.
 */
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../src/backends/postgres/schema.js';
import { legacyKeys } from '../../src/legacy/keys.js';
import { runBackfill } from '../../src/migration/backfill/engine.js';
import type { BackfillReport } from '../../src/migration/backfill/types.js';
import { usePostgres, useRedis } from '../support/harness.js';
import { seed, unbalancedEntities } from './backfill-support.js';

const pg = usePostgres();
const redis = useRedis();
const LATE = 'ord_written_during_the_run';
const GHOST = 'ord_never_written';
let report: BackfillReport;

beforeAll(async () => {
  await seed(redis.client, redis.prefix, { scale: 1, edgeRate: 0 });
  const keys = legacyKeys(redis.prefix);
  const [someOrder] = await redis.client.sMembers(keys.ordersIndex());
  const template = await redis.client.get(keys.order(someOrder as string));
  if (!template) throw new Error('the seeded dataset has no order');
  // Both ids are in the index before the run; neither record exists when SCAN runs.
  await redis.client.sAdd(keys.ordersIndex(), [LATE, GHOST]);
  let written = false;
  report = await runBackfill({
    redis: redis.client,
    pg: pg.handle,
    prefix: redis.prefix,
    batchSize: 200,
    onProgress: (e) => {
      // Discovery is over once the index audit reports progress: the write lands behind SCAN.
      if (e.step !== 'indexes' || written) return;
      written = true;
      void redis.client.set(keys.order(LATE), JSON.stringify({ ...JSON.parse(template), id: LATE }));
    },
  });
  expect(written).toBe(true);
}, 120_000);

describe('backfill: records only an index names', () => {
  it('migrates a record written after SCAN passed it, and counts it as found through the index', async () => {
    expect(report.discovery.foundOnlyViaIndex).toBe(1);
    const [row] = await pg.handle.db.select().from(s.orders).where(eq(s.orders.id, LATE));
    expect(row?.id).toBe(LATE);
    const dangling = report.discovery.danglingIndexIds.items.map((i) => i.member);
    expect(dangling).not.toContain(LATE);
    expect(unbalancedEntities(report)).toEqual([]);
  });

  it('keeps an id whose record never appears as a dangling index entry, with the exact count', () => {
    const d = report.discovery.danglingIndexIds;
    expect(d.items).toContainEqual({ index: legacyKeys(redis.prefix).ordersIndex(), member: GHOST });
    expect(d.count).toBe(d.items.length);
    const entityKeys = Object.values(report.entities).reduce((a, e) => a + e.keys, 0);
    expect(entityKeys + report.discovery.indexKeys).toBe(
      report.discovery.keysScanned + report.discovery.foundOnlyViaIndex,
    );
  });
});
