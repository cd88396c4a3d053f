/**
 * `/metrics` as Prometheus scrapes it from a process that serves real traffic: the ops runtime (router
 * with both backends instrumented, pool tracking, collectors, drift timer) on this file's Postgres
 * database and Redis prefix, a seeded legacy dataset, a backfill, stage steps, store API requests, a
 * verify, and a shadow write cancelled by the statement timeout. Every metric family must be on the
 * page, and the series the traffic produced must carry plausible values.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStoreApi } from '../../src/api/app.js';
import { openPostgres, type PgHandle } from '../../src/backends/postgres/client.js';
import { seedDataset } from '../../src/demo/fixtures.js';
import { rateLimiter } from '../../src/ephemeral/rate-limit.js';
import { adminSessionStore, userSessionStore } from '../../src/ephemeral/sessions.js';
import { legacyKeys } from '../../src/legacy/keys.js';
import { runBackfill } from '../../src/migration/backfill/engine.js';
import { createSyncContext } from '../../src/migration/entities/index.js';
import { runVerify } from '../../src/migration/verify/engine.js';
import { createDashboard } from '../../src/ops/dashboard/app.js';
import { METRIC } from '../../src/ops/metrics.js';
import type { Stage } from '../../src/ops/migration-control.js';
import { type OpsRuntime, startOpsRuntime } from '../../src/ops/server.js';
import { ApiClient, testPasswords } from '../api/support/api-fixture.js';
import { usePostgres, useRedis } from '../support/harness.js';
import { lockUserRow } from '../support/row-lock.js';
import { sampleValue } from './support/prom-text.js';

const pg = usePostgres();
const redis = useRedis();
const TOKEN = 'scrape-test-token-0123456789';
const POOL_MAX = 3;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Polls until `check` returns true (or fails the test after `ms`). */
async function until(what: string, check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('/metrics after real traffic', () => {
  let appPg: PgHandle;
  let runtime: OpsRuntime;
  let scrape: () => Promise<string>;
  let text: string;
  const started = Date.now() / 1000;
  let lockedUser: string;

  beforeAll(async () => {
    const keys = legacyKeys(redis.prefix);
    await seedDataset(redis.client, { scale: 1, seed: 'scrape', prefix: redis.prefix, now: new Date() });
    // The app's connections, with a short statement timeout so a lock wait is cancelled quickly.
    appPg = await openPostgres({
      url: pg.url,
      max: POOL_MAX,
      statementTimeoutMs: 400,
      driver: 'postgres-js',
    });
    runtime = await startOpsRuntime({
      pg: appPg,
      pgPoolMax: POOL_MAX,
      redis: { client: redis.client, keys },
      reconcile: true,
      driftIntervalMs: 200,
      env: {},
      log: quiet,
      router: {
        stages: { pollMs: 50, switchDelayMs: 0, quiesceMs: 0 },
        shadowReads: { sampleRate: { default: 1 } },
      },
    });
    const dashboard = createDashboard({ control: runtime.control, metrics: runtime.metrics, token: TOKEN });
    scrape = async () => {
      const res = await dashboard.request('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      return res.text();
    };

    const migration = runtime.routed.migration;
    const stepAll = async (stage: Stage) => {
      for (const domain of migration.model.domains) {
        if (migration.stageOf(domain) === stage) continue;
        const r = await migration.setStage({ target: domain, stage, by: 'test' });
        expect(r.ok, JSON.stringify(r.reasons)).toBe(true);
      }
      await until(`every domain at ${stage}`, () =>
        migration.model.domains.every((d) => migration.stageOf(d) === stage),
      );
    };

    // Dual-write, then the backfill (on a tools connection, as the CLI runs it), then shadow-read.
    await stepAll('dual-write');
    const backfill = await runBackfill({ redis: redis.client, pg: pg.handle, prefix: redis.prefix });
    expect(backfill.totals.migrated).toBeGreaterThan(0);
    await stepAll('shadow-read');

    // Store API traffic over the instrumented router.
    const api = createStoreApi({
      data: runtime.data,
      userSessions: userSessionStore(redis.client, { prefix: redis.prefix }),
      adminSessions: adminSessionStore(redis.client, { prefix: redis.prefix }),
      limiter: rateLimiter(redis.client, { prefix: redis.prefix }),
      passwords: testPasswords,
      trustedProxies: 1,
      secureCookies: false,
    });
    const customer = new ApiClient(api, '198.51.100.7');
    const email = `scrape.${randomUUID().slice(0, 8)}@example.com`;
    const reg = await customer.call('POST', '/api/auth/register', {
      email,
      password: 'correct horse',
      firstName: 'Sam',
      lastName: 'Scrape',
    });
    expect(reg.status, JSON.stringify(reg.body)).toBe(201);
    expect((await customer.call('POST', '/api/auth/logout')).status).toBeLessThan(400);
    const login = await customer.call('POST', '/api/auth/login', { email, password: 'correct horse' });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    const products = await customer.call('GET', '/api/products');
    expect(products.status).toBe(200);
    type Listed = { slug: string; stock: number; variants: { id: string; stock: number }[] };
    const listed = products.body.products as Listed[];
    const line =
      listed
        .filter((p) => p.variants.length === 0 && p.stock > 2)
        .map((p) => ({ slug: p.slug, quantity: 1 }))[0] ??
      listed.flatMap((p) =>
        p.variants.filter((x) => x.stock > 2).map((x) => ({ slug: p.slug, variantId: x.id, quantity: 1 })),
      )[0];
    expect(line, 'a product with stock').toBeDefined();
    const placed = await customer.call('POST', '/api/checkout', { lines: [line] });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect((await customer.call('GET', '/api/orders')).body.orders).toHaveLength(1);
    expect((await customer.call('GET', `/api/products/${line!.slug}`)).status).toBe(200);

    const ctx = createSyncContext({ redis: redis.client, keys, pg: pg.handle });
    await runVerify({ ctx, sample: 3 });

    // Both stores agree now: wait for a drift check that started after the traffic.
    const afterTraffic = Date.now() / 1000;
    await until('a drift check after the traffic', async () => {
      const t = await scrape();
      return (sampleValue(t, METRIC.driftCheckTimestamp, { kind: 'stock' }) ?? 0) > afterTraffic + 0.001;
    });

    // More operations than connections: the extra ones wait.
    await Promise.all(Array.from({ length: POOL_MAX + 2 }, () => runtime.pg.query('select pg_sleep(0.2)')));

    // A shadow write that waits on a locked row past the statement timeout: cancelled (57014),
    // journaled for repair. The lock is held until the scrape below.
    lockedUser = (
      await runtime.data.users.create({
        email: `locked.${randomUUID().slice(0, 8)}@example.com`,
        passwordHash: `$2b$04$${'d'.repeat(53)}`,
        firstName: 'Lo',
        lastName: 'Cked',
      })
    ).id;
    const lock = await lockUserRow(pg.handle.postgresJs!, lockedUser);
    try {
      // Redis is the primary at shadow-read: the customer's write succeeds.
      await runtime.data.users.updateProfile(lockedUser, { firstName: 'Renamed' });
      await expect(
        runtime.pg.query('update users set first_name = first_name where id = $1', [lockedUser]),
      ).rejects.toMatchObject({ code: '57014' });
      text = await scrape();
    } finally {
      await lock.release();
    }
  }, 120_000);

  afterAll(async () => {
    await runtime?.close();
    await appPg?.close();
  });

  const v = (name: string, labels: Record<string, string> = {}) => sampleValue(text, name, labels);

  it('exposes every metric family the registry defines', () => {
    for (const name of Object.values(METRIC)) {
      expect(text, name).toMatch(new RegExp(`^# TYPE ${name} (counter|gauge|histogram)$`, 'm'));
    }
  });

  it('counts and times operations per domain and store', () => {
    const ops = (store: string, domain: string, method: string, outcome = 'ok') =>
      v(METRIC.operations, { store, domain, method, outcome });
    expect(ops('router', 'users', 'create')).toBeGreaterThanOrEqual(2);
    expect(ops('redis', 'users', 'create')).toBeGreaterThanOrEqual(2);
    expect(ops('router', 'checkout', 'placeOrder')).toBe(1);
    expect(ops('router', 'orders', 'byUser')).toBe(1);
    // At shadow-read every read is compared with Postgres through the Postgres repositories.
    expect(ops('postgres', 'products', 'listResolved')).toBeGreaterThanOrEqual(1);
    const count = v(`${METRIC.operationSeconds}_count`, {
      store: 'router',
      domain: 'users',
      method: 'create',
    })!;
    const sum = v(`${METRIC.operationSeconds}_sum`, { store: 'router', domain: 'users', method: 'create' })!;
    expect(count).toBeGreaterThanOrEqual(2);
    expect(sum).toBeGreaterThan(0);
    expect(sum / count).toBeLessThan(5);
    expect(
      v(`${METRIC.operationSeconds}_bucket`, {
        store: 'router',
        domain: 'users',
        method: 'create',
        le: '+Inf',
      }),
    ).toBe(count);
  });

  it('reports stages, shadow reads, the failed shadow write and its journal entry', () => {
    for (const domain of ['users', 'orders', 'products']) expect(v(METRIC.stage, { domain })).toBe(2);
    expect(v(METRIC.shadowWriteFailures, { domain: 'users' })).toBeGreaterThanOrEqual(1);
    expect(v(METRIC.journalDepth, { domain: 'users' })).toBeGreaterThanOrEqual(1);
    expect(v(METRIC.journalDepth, { domain: 'purchases' })).toBe(0);
    const age = v(METRIC.journalOldestAge, { domain: 'users' })!;
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(60);
    const ratio = v(METRIC.shadowMismatchRatio, { domain: 'products' });
    expect(ratio).toBeGreaterThanOrEqual(0);
    expect(ratio).toBeLessThanOrEqual(1);
  });

  it('reports the backfill, the last verify and the record counts per store', () => {
    expect(v(METRIC.backfillProcessed, { entity: 'users' })).toBeGreaterThan(0);
    expect(v(METRIC.backfillTotal, { entity: 'users' })).toBe(
      v(METRIC.backfillProcessed, { entity: 'users' }),
    );
    expect(v(METRIC.backfillProgress, { entity: 'orders' })).toBe(1);
    expect(v(METRIC.backfillRate, { entity: 'orders' })).toBeGreaterThanOrEqual(0);
    expect(v(METRIC.verifyClean, { entity: 'products' })).toBe(1);
    expect(v(METRIC.verifyMismatched, { entity: 'products' })).toBe(0);
    expect(v(METRIC.verifyMissing, { entity: 'users', side: 'postgres' })).toBe(0);
    const verifiedAt = v(METRIC.verifyTimestamp, { entity: 'users' })!;
    expect(verifiedAt).toBeGreaterThan(started - 1);
    expect(verifiedAt).toBeLessThanOrEqual(Date.now() / 1000);
    const redisUsers = v(METRIC.storeRecords, { entity: 'users', store: 'redis' })!;
    expect(redisUsers).toBeGreaterThan(0);
    expect(v(METRIC.storeRecords, { entity: 'users', store: 'postgres' })).toBeGreaterThan(0);
  });

  it('reports no stock or points drift once both stores agree', () => {
    expect(v(METRIC.stockDriftItems)).toBe(0);
    expect(v(METRIC.stockDriftUnits)).toBe(0);
    expect(v(METRIC.pointsDriftUsers)).toBe(0);
    expect(v(METRIC.pointsDriftPoints)).toBe(0);
    expect(v(METRIC.driftCheckTimestamp, { kind: 'points' })).toBeGreaterThan(started);
  });

  it('reports pool usage and waits, and the statements the timeout cancelled', () => {
    expect(v(METRIC.pgPoolMax)).toBe(POOL_MAX);
    const inUse = v(METRIC.pgPoolInUse)!;
    expect(inUse).toBeGreaterThanOrEqual(0);
    expect(inUse).toBeLessThanOrEqual(POOL_MAX);
    expect(v(METRIC.pgPoolWaiting)).toBeGreaterThanOrEqual(0);
    expect(v(METRIC.pgPoolWaits)).toBeGreaterThanOrEqual(2);
    // The shadow copy runs on Drizzle (`db`), the explicit query on the raw handle.
    expect(v(METRIC.pgStatementTimeouts, { source: 'db' })).toBeGreaterThanOrEqual(1);
    expect(v(METRIC.pgStatementTimeouts, { source: 'raw' })).toBe(1);
    expect(v(METRIC.collectErrors, { source: 'verify' })).toBeUndefined();
  });

  it('sets a 5 s statement_timeout on the app connections by default', async () => {
    const fresh = await openPostgres({ url: pg.url, max: 1, driver: 'postgres-js' });
    try {
      const [row] = await fresh.query<{ statement_timeout: string }>('show statement_timeout');
      expect(row?.statement_timeout).toBe('5s');
    } finally {
      await fresh.close();
    }
  });
});
