/**
 * Fault tests on the real servers, through loopback TCP proxies between the data layer and each store:
 * with concurrent traffic (two router "processes", two workers each), the shadow store disappears for
 * 30 s (Postgres during dual-write, Redis while Postgres is the source of truth). No user operation
 * may fail; after recovery the journal drains on its own and the two stores verify clean.
 *
 * Redis is cut (connections reset, new ones refused). Postgres is partitioned instead (no byte gets
 * through, nothing is closed): a partition is the harsher case for the router, since calls hang
 * instead of failing fast. (Resets no longer crash the process: postgres.js 3.4.9 did,
 * porsager/postgres#1208; scripts/patch-postgres.mjs guards it, see postgres-driver-patch.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PgHandle } from '../../src/backends/postgres/client.js';
import { openRedis, type RedisClient } from '../../src/backends/redis/client.js';
import { createSyncContext } from '../../src/migration/entities/index.js';
import type { RoutedDataLayer } from '../../src/migration/router/index.js';
import type { Stage } from '../../src/migration/router/stages.js';
import { runVerify } from '../../src/migration/verify/engine.js';
import { usePostgres, useRedis } from '../support/harness.js';
import { TEST_REDIS_URL } from '../support/env.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { buildRouter, keysOf, openExtraPg, waitFor } from './fixtures.js';
import { seedWorld, startTraffic } from './traffic.js';

const pg = usePostgres();
const redis = useRedis();

const OUTAGE_MS = Number(process.env.ROUTER_OUTAGE_MS ?? 30_000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let pgProxy: TcpProxy;
let redisProxy: TcpProxy;
let pgVia: PgHandle;
let redisVia: RedisClient;

beforeAll(async () => {
  pgProxy = await startTcpProxy({ port: Number(new URL(pg.url).port || 5432) });
  redisProxy = await startTcpProxy({ port: Number(new URL(TEST_REDIS_URL).port || 6379) });
  const url = new URL(pg.url);
  url.port = String(pgProxy.port);
  pgVia = await openExtraPg(url.toString(), 10);
  // An app's Redis client reconnects forever; while disconnected it queues commands (they time out here).
  redisVia = await openRedis({ url: `redis://127.0.0.1:${redisProxy.port}`, reconnect: true });
});
afterAll(async () => {
  await pgProxy?.restore();
  await redisProxy?.restore();
  await redisVia?.quit().catch(() => undefined);
  await pgVia?.close();
  await pgProxy?.close();
  await redisProxy?.close();
});

/** A router whose every connection goes through the proxies, as an app process would. */
function router(stage: Stage): Promise<RoutedDataLayer> {
  return buildRouter(pg, redis, {
    stage,
    pg: pgVia,
    redis: redisVia,
    shadowReads: { sampleRate: { default: 0.05 } },
    // Long enough backoff not to park anything during a 30 s outage; the journal must drain by itself.
    reconciler: {
      intervalMs: 200,
      baseBackoffMs: 200,
      maxBackoffMs: 2000,
      maxAttempts: 1000,
      timeoutMs: 2000,
    },
  });
}

async function verifyClean() {
  const ctx = createSyncContext({ redis: redis.client, keys: keysOf(redis), pg: pg.handle });
  const report = await runVerify({ ctx, recheckDelayMs: 100, store: false });
  const bad = Object.values(report.entities).filter((e) => !e.clean);
  return {
    clean: report.clean,
    bad: bad.map((e) => ({ entity: e.entity, counts: e.counts, samples: e.samples })),
  };
}

async function outage(stage: Stage, proxy: () => TcpProxy, how: 'cut' | 'partition') {
  const layers = [await router(stage), await router(stage)];
  try {
    const world = await seedWorld(layers[0]!);
    const traffic = startTraffic(layers, world, 2);
    await sleep(1500);
    const before = traffic.report.ok;
    if (how === 'cut') proxy().cut();
    else proxy().partition();
    await sleep(OUTAGE_MS);
    const during = traffic.report.ok - before;
    const lagDuring = await layers[0]!.migration.status();
    await proxy().restore();
    await sleep(2000);
    const report = await traffic.stop();
    await waitFor(
      'the journal to drain by itself',
      async () => (await layers[0]!.migration.lag().catch(() => undefined))?.every((l) => l.depth === 0),
      60_000,
    );
    return { report, during, lagDuring, verify: await verifyClean() };
  } finally {
    for (const l of layers) await l.migration.close();
  }
}

describe('shadow store outages', () => {
  it('Postgres unreachable for 30 s during dual-write: no failed operation, the journal drains, verify is clean', async () => {
    const r = await outage('dual-write', () => pgProxy, 'partition');
    expect(r.report.failures).toEqual([]);
    expect(r.during).toBeGreaterThan(50); // traffic kept flowing while Postgres was gone
    const journaled = r.lagDuring.journalLag
      .filter((l) => l.source === 'redis')
      .reduce((n, l) => n + l.depth, 0);
    expect(journaled).toBeGreaterThan(0); // the failed copies were journaled in Redis, the primary
    expect(r.lagDuring.stageStore.stale).toBe(true); // and the stage store (Postgres) was reported unreachable
    expect(r.verify).toEqual({ clean: true, bad: [] });
  }, 180_000);

  it('Redis unreachable for 30 s in the postgres stage: no failed operation, the journal drains, verify is clean', async () => {
    const r = await outage('postgres', () => redisProxy, 'cut');
    expect(r.report.failures).toEqual([]);
    expect(r.during).toBeGreaterThan(20);
    const journaled = r.lagDuring.journalLag
      .filter((l) => l.source === 'postgres')
      .reduce((n, l) => n + l.depth, 0);
    expect(journaled).toBeGreaterThan(0);
    expect(r.verify).toEqual({ clean: true, bad: [] });
  }, 180_000);
});
