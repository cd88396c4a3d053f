/**
 * The hot-path benchmark against the real servers, at a tiny size: the baselines must do the same
 * work as the layer (same reads, same stock and points movements), round trips must be counted, and
 * everything the benchmark created must be gone afterwards.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { type BackendName, type OpenedBackend, openBackend } from '../../bench/lib/hot-path-backends.js';
import { HOT_PATHS } from '../../bench/lib/hot-path-ops.js';
import { BaselineMismatchError, benchBackend, benchPath } from '../../bench/lib/hot-path-runner.js';
import { openPostgres } from '../../src/backends/postgres/client.js';
import { openRedis } from '../../src/backends/redis/client.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../support/env.js';

const sizes = { users: 12, orders: 6, products: 5, itemsPerOrder: 3 };
const iterations = 4;
const warmup = 1;

async function open(name: BackendName, tag: string): Promise<OpenedBackend> {
  return openBackend(name, { redisUrl: TEST_REDIS_URL, postgresServerUrl: TEST_DATABASE_URL, tag, sizes });
}

describe.each(['redis', 'postgres', 'pglite'] as const)('hot paths on %s', (name) => {
  const tag = `t${randomBytes(4).toString('hex')}`;
  let backend: OpenedBackend | undefined;
  afterAll(async () => backend?.cleanup());

  it('measures every path with a baseline that reads and writes exactly what the layer does', async () => {
    backend = await open(name, tag);
    const { bench } = backend;
    const results = await benchBackend(bench, { iterations, warmup, runTag: tag });

    expect(results.map((r) => r.path)).toEqual([...HOT_PATHS]);
    for (const r of results) {
      expect(r.layer.n).toBe(iterations);
      expect(r.baseline.n).toBe(iterations);
      expect(r.layer.p50Ms).toBeLessThanOrEqual(r.layer.p99Ms);
      expect(r.slowdownP50).toBeCloseTo(r.layer.p50Ms / r.baseline.p50Ms);
      expect(r.trips !== undefined).toBe(name !== 'pglite');
    }
    // Over the network a layer read costs no more round trips than the hand-written one (on
    // postgres.js this needs Drizzle's statements to be prepared, see openPostgres).
    const byEmail = results.find((r) => r.path === 'user-by-email')?.trips;
    if (byEmail) expect(byEmail.layer.roundTrips).toBe(byEmail.baseline.roundTrips);
    const checked = Object.fromEntries(results.map((r) => [r.path, r.checked]));
    expect(checked['user-by-email']).toMatch(/^[0-9a-f-]{36}$/);
    expect(checked['order-with-items']).toContain(`${sizes.itemsPerOrder} items`);
    expect(checked['product-list']).toMatch(new RegExp(`^${sizes.products + 4} products, `));
    expect(checked.checkout).toBe('completed, 2 items, 75 points');

    // Every checkout of either side (check, warm-up, timed, trip count) sold the same units.
    const checkouts = 1 + warmup + iterations + (bench.countTrips ? 1 : 0);
    for (const side of ['layer', 'baseline'] as const) {
      for (const line of bench.data.checkout[side].lines) {
        const product = await backend.dataLayer.products.get(line.slug);
        expect(product?.variantConfig?.variantData[line.variantId]?.stock).toBe(
          1_000_000_000 - checkouts * line.quantity,
        );
      }
    }
  });

  it('refuses to compare against a baseline that does different work', async () => {
    if (!backend) throw new Error('the first test did not open the backend');
    const broken = {
      ...backend.bench,
      baseline: { ...backend.bench.baseline, userByEmail: async () => 'none' },
    };
    await expect(
      benchPath(broken, 'user-by-email', { iterations: 1, warmup: 0, runTag: tag }),
    ).rejects.toThrow(BaselineMismatchError);
  });

  it('removes its key prefix or scratch database when it is done', async () => {
    const done = backend;
    if (!done) throw new Error('the first test did not open the backend');
    backend = undefined;
    await done.cleanup();
    if (name === 'pglite') {
      // In memory: closing it is removing it.
      await expect(done.dataLayer.products.list()).rejects.toThrow();
    } else if (name === 'redis') {
      const client = await openRedis({ url: TEST_REDIS_URL });
      const left: string[] = [];
      for await (const keys of client.scanIterator({ MATCH: `bench:hp:${tag}:*`, COUNT: 10_000 }))
        left.push(...keys);
      await client.quit();
      expect(left).toEqual([]);
    } else if (name === 'postgres') {
      const admin = await openPostgres({ url: TEST_DATABASE_URL, max: 1, driver: 'postgres-js' });
      const rows = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [`dcw_bench_hp_${tag}`]);
      await admin.close();
      expect(rows).toEqual([]);
    }
  });
});
