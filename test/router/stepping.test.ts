/**
 * Every stage, forward and back, while traffic runs through two router "processes" sharing the
 * stores: no user operation fails, and at the end Redis and Postgres verify clean. The two stages that
 * write one store only (`redis`, `postgres-only`) leave the other behind by design; the runbook's
 * verify + repair (from the source of truth) is run when coming back from them, as an operator would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSyncContext } from '../../src/migration/entities/index.js';
import type { RoutedDataLayer } from '../../src/migration/router/index.js';
import type { Stage, StoreName } from '../../src/migration/router/stages.js';
import { runVerify } from '../../src/migration/verify/engine.js';
import { usePostgres, useRedis } from '../support/harness.js';
import { buildRouter, keysOf, waitFor } from './fixtures.js';
import { seedWorld, startTraffic } from './traffic.js';

const pg = usePostgres();
const redis = useRedis();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ctx = () => createSyncContext({ redis: redis.client, keys: keysOf(redis), pg: pg.handle });

let processes: RoutedDataLayer[] = [];
beforeAll(async () => {
  processes = [await buildRouter(pg, redis, { env: {} }), await buildRouter(pg, redis, { env: {} })];
});
afterAll(async () => {
  for (const p of processes) await p.migration.close();
});

async function moveTo(stage: Stage): Promise<void> {
  const r = await processes[0]!.migration.setStage({
    target: 'all',
    stage,
    force: true,
    by: 'test',
    reason: 'stepping',
  });
  expect(r.ok).toBe(true);
  await waitFor(`every process in ${stage}`, async () =>
    processes.every((p) => p.migration.model.domains.every((d) => p.migration.stageOf(d) === stage)),
  );
  await sleep(800); // traffic under the new stage
}

/**
 * The runbook's catch-up after a stage that wrote one store only, while traffic runs: verify, then
 * hand the differences to the reconciler (copies from the source of truth with the re-read loop).
 */
async function catchUp(from: StoreName): Promise<void> {
  await runVerify({ ctx: ctx(), recheckDelayMs: 100 });
  const r = await processes[0]!.migration.requeueMismatches({ from });
  expect(Object.values(r.journaled).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  expect(await processes[0]!.migration.drain(30_000)).toEqual([]);
}

describe('stepping through every stage under traffic', () => {
  it('forward to postgres-only and back to redis: no failed operation, clean at the end', async () => {
    await moveTo('dual-write');
    const world = await seedWorld(processes[0]!);
    const traffic = startTraffic(processes, world, 2);
    const seen: Stage[] = [];
    for (const stage of ['shadow-read', 'postgres-read', 'postgres', 'postgres-only', 'postgres'] as const) {
      await moveTo(stage);
      seen.push(stage);
    }
    await catchUp('postgres'); // Redis missed the postgres-only writes
    for (const stage of ['postgres-read', 'shadow-read', 'dual-write', 'redis', 'dual-write'] as const) {
      await moveTo(stage);
      seen.push(stage);
    }
    await catchUp('redis'); // Postgres missed the redis-stage writes
    await sleep(500);
    const report = await traffic.stop();

    expect(report.failures).toEqual([]);
    expect(report.ok).toBeGreaterThan(200);
    expect(seen).toHaveLength(10);
    expect(await processes[0]!.migration.drain(30_000)).toEqual([]);
    const verify = await runVerify({ ctx: ctx(), recheckDelayMs: 100, store: false });
    const bad = Object.values(verify.entities).filter((e) => !e.clean);
    expect(bad.map((e) => ({ entity: e.entity, counts: e.counts, samples: e.samples }))).toEqual([]);
    expect(verify.clean).toBe(true);
  }, 180_000);
});
