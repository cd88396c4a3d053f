/**
 * The metrics an operator reads on /metrics, produced by real calls on real Redis and Postgres:
 * operation counts and latency per domain and store, statement timeouts (SQLSTATE 57014), pool usage.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type PgHandle } from '../../src/backends/postgres/client.js';
import { createPostgresDataLayer } from '../../src/backends/postgres/index.js';
import { createRedisDataLayer } from '../../src/backends/redis/index.js';
import type { DataLayer } from '../../src/domain/data-layer.js';
import { ValidationError } from '../../src/domain/errors.js';
import { legacyKeys } from '../../src/legacy/keys.js';
import { instrumentDataLayer } from '../../src/ops/instrument.js';
import { createMetrics, METRIC, type OpsMetrics } from '../../src/ops/metrics.js';
import { createPoolTracker, effectivePoolMax, trackPgHandle } from '../../src/ops/pg-pool.js';
import { usePostgres, useRedis } from '../support/harness.js';
import { lockUserRow } from '../support/row-lock.js';
import { sampleValue } from './support/prom-text.js';

const pg = usePostgres();
const redis = useRedis();
const now = () => new Date();
const newUser = () => ({
  email: `m.${randomUUID().slice(0, 8)}@example.com`,
  passwordHash: `$2b$04$${'b'.repeat(53)}`,
  firstName: 'Mia',
  lastName: 'Metrics',
});

describe('repository instrumentation', () => {
  let metrics: OpsMetrics;
  let layer: DataLayer;
  let raw: DataLayer;

  beforeAll(() => {
    metrics = createMetrics();
    raw = createRedisDataLayer({ client: redis.client, keys: legacyKeys(redis.prefix), now });
    layer = instrumentDataLayer(raw, { metrics, store: 'redis' });
  });

  it('counts each call by domain, store, method and outcome, and times it', async () => {
    const user = await layer.users.create(newUser());
    expect(await layer.users.getById(user.id)).toEqual(user);
    expect(await layer.users.getById(randomUUID())).toBeNull();
    await expect(layer.users.create({ ...newUser(), email: 'nope' })).rejects.toBeInstanceOf(ValidationError);

    const text = await metrics.registry.metrics();
    const ops = (method: string, outcome: string) =>
      sampleValue(text, METRIC.operations, { domain: 'users', store: 'redis', method, outcome });
    expect(ops('create', 'ok')).toBe(1);
    expect(ops('getById', 'ok')).toBe(1);
    expect(ops('getById', 'not_found')).toBe(1);
    expect(ops('create', 'domain_error')).toBe(1);
    expect(
      sampleValue(text, `${METRIC.operationSeconds}_count`, {
        domain: 'users',
        store: 'redis',
        method: 'getById',
      }),
    ).toBe(2);
  });

  it('passes results and errors through unchanged', async () => {
    const err = await layer.users.create({ ...newUser(), email: 'bad' }).catch((e: unknown) => e);
    const direct = await raw.users.create({ ...newUser(), email: 'bad' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as Error).message).toBe((direct as Error).message);
    expect(layer.users.getById).toBe(layer.users.getById); // stable identity: wrapped once
  });
});

describe('Postgres statement timeouts and pool usage', () => {
  let slow: PgHandle;
  let metrics: OpsMetrics;

  beforeAll(async () => {
    metrics = createMetrics();
    slow = await openPostgres({ url: pg.url, max: 2, statementTimeoutMs: 150, driver: 'postgres-js' });
  });
  afterAll(async () => {
    await slow?.close();
  });

  it('counts a raw query cancelled after the statement timeout (SQLSTATE 57014) once', async () => {
    const tracker = createPoolTracker(metrics, 2);
    const handle = trackPgHandle(slow, tracker);
    await expect(handle.query('select pg_sleep(1)')).rejects.toMatchObject({ code: '57014' });
    const text = await metrics.registry.metrics();
    expect(sampleValue(text, METRIC.pgStatementTimeouts, { source: 'raw' })).toBe(1);
  });

  it('counts a repository call that waits on a locked row past the timeout, labelled with its domain', async () => {
    const tracker = createPoolTracker(metrics, 2);
    const fast = createPostgresDataLayer({ pg: pg.handle, now });
    const user = await fast.users.create(newUser());
    // On a tracked handle, as the ops runtime builds it: Drizzle's queries are nested in the call.
    const layer = instrumentDataLayer(createPostgresDataLayer({ pg: trackPgHandle(slow, tracker), now }), {
      metrics,
      store: 'postgres',
      pool: tracker,
    });
    const lock = await lockUserRow(pg.handle.postgresJs!, user.id);
    try {
      await expect(layer.users.updateProfile(user.id, { firstName: 'Locked' })).rejects.toBeTruthy();
    } finally {
      await lock.release();
    }
    const text = await metrics.registry.metrics();
    expect(sampleValue(text, METRIC.pgStatementTimeouts, { source: 'users' })).toBe(1);
    expect(sampleValue(text, METRIC.pgStatementTimeouts, { source: 'db' })).toBeUndefined();
    expect(
      sampleValue(text, METRIC.operations, {
        domain: 'users',
        store: 'postgres',
        method: 'updateProfile',
        outcome: 'timeout',
      }),
    ).toBe(1);
  });

  it('shows operations beyond the pool size as waiting, and counts the waits', async () => {
    const local = createMetrics();
    const tracker = createPoolTracker(local, 2);
    const handle = trackPgHandle(pg.handle, tracker);
    const running = Array.from({ length: 4 }, () => handle.query('select pg_sleep(0.3)'));
    await new Promise((r) => setTimeout(r, 100));
    let text = await local.registry.metrics();
    expect(sampleValue(text, METRIC.pgPoolMax, {})).toBe(2);
    expect(sampleValue(text, METRIC.pgPoolInUse, {})).toBe(2);
    expect(sampleValue(text, METRIC.pgPoolWaiting, {})).toBe(2);
    await Promise.all(running);
    text = await local.registry.metrics();
    expect(sampleValue(text, METRIC.pgPoolInUse, {})).toBe(0);
    expect(sampleValue(text, METRIC.pgPoolWaiting, {})).toBe(0);
    expect(sampleValue(text, METRIC.pgPoolWaits, {})).toBe(2);
  });

  it("tracks Drizzle's queries and transactions on db (shadow copies, verify, the reconciler use it)", async () => {
    const local = createMetrics();
    const tracker = createPoolTracker(local, 2);
    const handle = trackPgHandle(pg.handle, tracker);
    expect(handle.db).not.toBe(pg.handle.db);
    const gauges = async () => {
      const text = await local.registry.metrics();
      return [METRIC.pgPoolInUse, METRIC.pgPoolWaiting, METRIC.pgPoolWaits].map((n) =>
        sampleValue(text, n, {}),
      );
    };
    const transactions = Array.from({ length: 3 }, () =>
      handle.db.transaction(async (tx) => {
        await tx.execute(sql`select pg_sleep(0.3)`);
        await tx.execute(sql`select 1`);
      }),
    );
    await new Promise((r) => setTimeout(r, 100));
    expect(await gauges()).toEqual([2, 1, 1]);
    await Promise.all(transactions);
    const built = handle.db.select({ n: sql<number>`1` }).from(sql`pg_sleep(0.3)`);
    const pending = built.then((rows) => rows);
    await new Promise((r) => setTimeout(r, 100));
    expect(await gauges()).toEqual([1, 0, 1]);
    expect(await pending).toEqual([{ n: 1 }]);
    expect(await gauges()).toEqual([0, 0, 1]);
  });

  it('reports one connection for a driver without parallel connections (PGlite)', () => {
    expect(effectivePoolMax(slow, 8)).toBe(8);
    expect(effectivePoolMax({ capabilities: { parallelConnections: false, copyFromStdin: false } }, 8)).toBe(
      1,
    );
  });

  it('counts a Drizzle statement cancelled by the timeout under source db', async () => {
    const local = createMetrics();
    const handle = trackPgHandle(slow, createPoolTracker(local, 2));
    await expect(handle.db.execute(sql`select pg_sleep(1)`)).rejects.toBeTruthy();
    const text = await local.registry.metrics();
    expect(sampleValue(text, METRIC.pgStatementTimeouts, { source: 'db' })).toBe(1);
    expect(sampleValue(text, METRIC.pgPoolInUse, {})).toBe(0);
  });
});
