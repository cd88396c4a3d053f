/**
 * Pull collectors (state read at scrape time) and the drift check, as a Prometheus scrape sees them.
 * The drift check runs on the real Redis and Postgres backends.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDataLayer } from '../../src/backends/postgres/index.js';
import { toUserRow } from '../../src/backends/postgres/mappers/user.js';
import { users } from '../../src/backends/postgres/schema.js';
import { createRedisDataLayer } from '../../src/backends/redis/index.js';
import type { DataLayer } from '../../src/domain/data-layer.js';
import type { User } from '../../src/domain/user.js';
import { encodeUser } from '../../src/legacy/codecs/user.js';
import { legacyKeys } from '../../src/legacy/keys.js';
import { attachMigrationCollectors } from '../../src/ops/collectors.js';
import { checkDrift, compareLevels, dataLayerDriftReader } from '../../src/ops/drift.js';
import { createMetrics, METRIC } from '../../src/ops/metrics.js';
import type { MigrationControl, RouterCounters } from '../../src/ops/migration-control.js';
import { usePostgres, useRedis } from '../support/harness.js';
import { memoryControl, sampleState } from './support/memory-control.js';
import { sampleValue } from './support/prom-text.js';

const pg = usePostgres();
const redis = useRedis();

describe('pull collectors', () => {
  const now = new Date('2026-01-10T12:00:00.000Z');

  it('publish stages, journal, verify, shadow, backfill and counts at scrape time', async () => {
    const metrics = createMetrics();
    attachMigrationCollectors(
      metrics,
      memoryControl(sampleState(now), () => now),
    );
    const text = await metrics.registry.metrics();
    const v = (name: string, labels: Record<string, string> = {}) => sampleValue(text, name, labels);
    expect(v(METRIC.stage, { domain: 'orders' })).toBe(2);
    expect(v(METRIC.stage, { domain: 'alcoholTypes' })).toBe(5);
    expect(v(METRIC.journalDepth, { domain: 'refunds' })).toBe(1);
    expect(v(METRIC.journalDepth, { domain: 'orders' })).toBe(0);
    expect(v(METRIC.journalOldestAge, { domain: 'refunds' })).toBe(42 * 60);
    expect(v(METRIC.verifyClean, { entity: 'users' })).toBe(1);
    expect(v(METRIC.verifyClean, { entity: 'products' })).toBe(0);
    expect(v(METRIC.verifyMismatched, { entity: 'products' })).toBe(2);
    expect(v(METRIC.verifyMissing, { entity: 'points_transactions', side: 'postgres' })).toBe(1);
    expect(v(METRIC.verifyTimestamp, { entity: 'users' })).toBe((now.getTime() - 12 * 60_000) / 1000);
    expect(v(METRIC.shadowMismatchRatio, { domain: 'products' })).toBeCloseTo(6 / 4210, 10);
    expect(v(METRIC.backfillProgress, { entity: 'points_transactions' })).toBeCloseTo(6120 / 9120, 10);
    expect(v(METRIC.backfillProgress, { entity: 'users' })).toBe(1);
    expect(v(METRIC.backfillTotal, { entity: 'refunds' })).toBeUndefined();
    expect(v(METRIC.backfillRate, { entity: 'points_transactions' })).toBe(220);
    expect(v(METRIC.storeRecords, { entity: 'points_transactions', store: 'postgres' })).toBe(6120);
  });

  it('keeps the last values and counts the failure when a store does not answer', async () => {
    const metrics = createMetrics();
    const control = memoryControl(sampleState(now), () => now);
    let verifyDown = false;
    attachMigrationCollectors(metrics, {
      ...control,
      lastVerify: () => (verifyDown ? Promise.reject(new Error('connection refused')) : control.lastVerify()),
    });
    await metrics.registry.metrics();
    verifyDown = true;
    await new Promise((r) => setTimeout(r, 1100)); // past the per-scrape reuse window
    const text = await metrics.registry.metrics();
    expect(sampleValue(text, METRIC.collectErrors, { source: 'verify' })).toBe(1);
    expect(sampleValue(text, METRIC.verifyClean, { entity: 'products' })).toBe(0);
    expect(sampleValue(text, METRIC.stage, { domain: 'orders' })).toBe(2);
  });

  it("turns the router's cumulative counters into Prometheus counters without double counting", async () => {
    const metrics = createMetrics();
    const counters: RouterCounters = { fallbacks: { users: 3 }, journaled: { orders: 2 } };
    const control: MigrationControl = {
      ...memoryControl(sampleState(now), () => now),
      routerCounters: async () => structuredClone(counters),
    };
    attachMigrationCollectors(metrics, control);
    let text = await metrics.registry.metrics();
    expect(sampleValue(text, METRIC.fallbackReads, { domain: 'users', result: 'unreported' })).toBe(3);
    expect(sampleValue(text, METRIC.shadowWriteFailures, { domain: 'orders' })).toBe(2);
    counters.fallbacks.users = 5;
    await new Promise((r) => setTimeout(r, 1100));
    text = await metrics.registry.metrics();
    expect(sampleValue(text, METRIC.fallbackReads, { domain: 'users', result: 'unreported' })).toBe(5);
    expect(sampleValue(text, METRIC.shadowWriteFailures, { domain: 'orders' })).toBe(2);
  });

  it('splits fallback reads into records Postgres lacks and genuine not-founds when the router says which', async () => {
    const metrics = createMetrics();
    const counters: RouterCounters = { fallbacks: { users: 4 }, fallbackHits: { users: 1 }, journaled: {} };
    attachMigrationCollectors(metrics, {
      ...memoryControl(sampleState(now), () => now),
      routerCounters: async () => structuredClone(counters),
    });
    let text = await metrics.registry.metrics();
    expect(sampleValue(text, METRIC.fallbackReads, { domain: 'users', result: 'found_in_fallback' })).toBe(1);
    expect(sampleValue(text, METRIC.fallbackReads, { domain: 'users', result: 'missing_in_both' })).toBe(3);
    counters.fallbacks.users = 6;
    counters.fallbackHits = { users: 3 };
    await new Promise((r) => setTimeout(r, 1100));
    text = await metrics.registry.metrics();
    expect(sampleValue(text, METRIC.fallbackReads, { domain: 'users', result: 'found_in_fallback' })).toBe(3);
    expect(sampleValue(text, METRIC.fallbackReads, { domain: 'users', result: 'missing_in_both' })).toBe(3);
  });
});

describe('drift between Redis and Postgres', () => {
  let r: DataLayer;
  let p: DataLayer;
  const now = () => new Date();

  beforeAll(() => {
    r = createRedisDataLayer({ client: redis.client, keys: legacyKeys(redis.prefix), now });
    p = createPostgresDataLayer({ pg: pg.handle, now });
  });

  it('compares only keys present on both sides', () => {
    const a = new Map([
      ['x', 5],
      ['y', 1],
      ['only-a', 9],
    ]);
    const b = new Map([
      ['x', 2],
      ['y', 1],
      ['only-b', 4],
    ]);
    expect(compareLevels(a, b)).toEqual({ items: 1, units: 3, examples: ['x'] });
  });

  it('finds base and variant stock that differ, and balances that differ', async () => {
    const slug = `drift-${randomUUID().slice(0, 8)}`;
    const product = {
      slug,
      name: 'Drift Candle',
      priceCents: 1999,
      sku: 'DCW-0303',
      stock: 5,
      variantConfig: {
        wickTypes: [{ id: 'standard', name: 'Standard Wick' }],
        variantData: { 'standard-amber': { stock: 4 } },
      },
    };
    await r.products.upsert(product);
    await p.products.upsert(product);
    const user: User = {
      id: randomUUID(),
      email: `drift.${randomUUID().slice(0, 8)}@example.com`,
      passwordHash: `$2b$10$${'c'.repeat(53)}`,
      firstName: 'Dee',
      lastName: 'Rift',
      points: 10,
      emailVerified: true,
      createdAt: '2025-12-01T10:00:00.000Z',
      updatedAt: '2025-12-01T10:00:00.000Z',
    };
    const keys = legacyKeys(redis.prefix);
    await redis.client.set(keys.user(user.id), encodeUser(user));
    await redis.client.set(keys.userEmail(user.email), user.id);
    await redis.client.sAdd(keys.usersIndex(), user.id);
    await pg.handle.db.insert(users).values(toUserRow(user));

    const metrics = createMetrics();
    const opts = { metrics, redis: dataLayerDriftReader(r), postgres: dataLayerDriftReader(p) };
    const clean = await checkDrift(opts);
    expect(clean.stock?.items).toBe(0);
    expect(clean.points?.items).toBe(0);

    // A checkout that reached only Redis: base and variant stock move, points are earned.
    await r.products.adjustStock(slug, -2);
    await r.products.adjustVariantStock(slug, 'standard-amber', -1);
    await r.points.earn(user.id, 7, 'Purchase #cs_test_');
    const report = await checkDrift(opts);
    expect(report.stock).toMatchObject({ items: 2, units: 3 });
    expect(report.stock?.examples.sort()).toEqual([slug, `${slug}/standard-amber`].sort());
    expect(report.points).toMatchObject({ items: 1, units: 7, examples: [user.id] });
    const text = await metrics.registry.metrics();
    expect(sampleValue(text, METRIC.stockDriftItems, {})).toBe(2);
    expect(sampleValue(text, METRIC.stockDriftUnits, {})).toBe(3);
    expect(sampleValue(text, METRIC.pointsDriftUsers, {})).toBe(1);
    expect(sampleValue(text, METRIC.pointsDriftPoints, {})).toBe(7);
    expect(sampleValue(text, METRIC.driftCheckTimestamp, { kind: 'stock' })).toBeGreaterThan(0);
  });

  it('skips the checks a stage makes meaningless', async () => {
    const metrics = createMetrics();
    const report = await checkDrift({
      metrics,
      redis: dataLayerDriftReader(r),
      postgres: dataLayerDriftReader(p),
      enabled: async () => ({ stock: false, points: false }),
    });
    expect(report).toEqual({ stock: null, points: null });
    const text = await metrics.registry.metrics();
    expect(sampleValue(text, METRIC.driftCheckTimestamp, { kind: 'stock' })).toBeUndefined();
    expect(sampleValue(text, METRIC.driftCheckTimestamp, { kind: 'points' })).toBeUndefined();
  });
});
