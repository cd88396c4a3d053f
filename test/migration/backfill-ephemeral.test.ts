/**
 * The app's own ephemeral keys (`{prefix}eph:*`, src/ephemeral/keys.ts: holds, query cache, limiter
 * windows, session indexes, OAuth tokens and locks) sit next to the legacy data. The backfill counts
 * them as kept in Redis, never as unknown or quarantined, whatever Redis type they hold.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ephemeralKeys } from '../../src/ephemeral/keys.js';
import { runBackfill } from '../../src/migration/backfill/engine.js';
import { APP_EPHEMERAL_ENTITY, UNKNOWN_ENTITY } from '../../src/migration/backfill/entities.js';
import type { BackfillReport } from '../../src/migration/backfill/types.js';
import { usePostgres, useRedis } from '../support/harness.js';
import { seed, unbalancedEntities } from './backfill-support.js';

const pg = usePostgres();
const redis = useRedis();
let report: BackfillReport;
let written: string[];
let legacyKeys: number;

beforeAll(async () => {
  const manifest = await seed(redis.client, redis.prefix, { scale: 1, edgeRate: 0 });
  legacyKeys = manifest.keys;
  const eph = ephemeralKeys(redis.prefix);
  // One key from every builder (a new builder is covered without touching this test), in the
  // Redis types the services use: sorted sets, hashes, sets, strings.
  written = [];
  let i = 0;
  for (const [name, build] of Object.entries(eph)) {
    if (typeof build !== 'function') continue;
    const key = (build as (...a: string[]) => string)(`a:b*${i}`, `d${i}`);
    i++;
    written.push(key);
    if (name === 'rateLimit' || name === 'holdSku') await redis.client.zAdd(key, { score: 1, value: 'm' });
    else if (name === 'hold') await redis.client.hSet(key, { qty: '1' });
    else if (name.endsWith('Index') || name === 'holdCart') await redis.client.sAdd(key, 'x');
    else await redis.client.set(key, '{"v":1}', { PX: 600_000 });
  }
  report = await runBackfill({ redis: redis.client, pg: pg.handle, prefix: redis.prefix, batchSize: 200 });
}, 120_000);

describe('backfill: the app ephemeral keys (eph:*)', () => {
  it('counts every eph:* key as kept in Redis, under its own entity', () => {
    expect(written.length).toBeGreaterThanOrEqual(10);
    const e = report.entities[APP_EPHEMERAL_ENTITY];
    expect(e).toMatchObject({
      scanned: written.length,
      keptInRedis: written.length,
      keys: written.length,
      migrated: 0,
      quarantined: 0,
    });
    expect(unbalancedEntities(report)).toEqual([]);
  });

  it('neither quarantines them nor files them as unknown', () => {
    expect(report.entities[UNKNOWN_ENTITY]?.keys ?? 0).toBe(0);
    const listed = new Set(report.quarantine.map((q) => q.key));
    for (const key of written) expect(listed.has(key), key).toBe(false);
    expect(report.discovery.keysScanned).toBe(legacyKeys + written.length);
  });
});
