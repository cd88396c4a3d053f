import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDataLayer } from '../../src/backends/postgres/index.js';
import { openRedis, type RedisClient } from '../../src/backends/redis/client.js';
import type { DataLayer } from '../../src/domain/data-layer.js';
import { InsufficientStockError } from '../../src/domain/errors.js';
import type { ProductRepository } from '../../src/domain/product.js';
import { withQueryCache } from '../../src/ephemeral/cached-data-layer.js';
import { ephemeralKeys } from '../../src/ephemeral/keys.js';
import { CACHE_TAGS, queryCache } from '../../src/ephemeral/query-cache.js';
import { deferred } from '../support/deferred.js';
import { TEST_REDIS_URL } from '../support/env.js';
import { candle, short } from '../contract/fixtures/commerce.js';
import { usePostgres, useRedis } from '../support/harness.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { inParallel, sleep, useRedisClients } from './clients.js';

const redis = useRedis();
const processes = useRedisClients(5);
const pg = usePostgres({ max: 10 });

const READS = ['list', 'listResolved', 'get', 'getResolved'] as const;
type ReadName = (typeof READS)[number];

/**
 * The real Postgres product repository with a call counter on its reads, and two hooks: `afterRead`
 * runs after a read has read the database and before it returns, `afterWrite` after a stock write
 * has committed and before it returns.
 */
function counting(inner: ProductRepository) {
  const reads: Record<ReadName, number> = { list: 0, listResolved: 0, get: 0, getResolved: 0 };
  const hooks: { afterRead?: () => Promise<void>; afterWrite?: (slug: string) => Promise<void> } = {};
  const read = async <T>(name: ReadName, run: () => Promise<T>): Promise<T> => {
    reads[name]++;
    const value = await run();
    await hooks.afterRead?.();
    return value;
  };
  const repo: ProductRepository = {
    list: () => read('list', () => inner.list()),
    listResolved: () => read('listResolved', () => inner.listResolved()),
    get: (slug) => read('get', () => inner.get(slug)),
    getResolved: (slug) => read('getResolved', () => inner.getResolved(slug)),
    upsert: (p) => inner.upsert(p),
    delete: (slug) => inner.delete(slug),
    setStock: (slug, n) => inner.setStock(slug, n),
    adjustStock: async (slug, delta) => {
      const stock = await inner.adjustStock(slug, delta);
      await hooks.afterWrite?.(slug);
      return stock;
    },
    setVariantStock: (slug, v, n) => inner.setVariantStock(slug, v, n),
    adjustVariantStock: (slug, v, d) => inner.adjustVariantStock(slug, v, d),
  };
  return { repo, reads, hooks, total: () => READS.reduce((sum, r) => sum + reads[r], 0) };
}

let layers = 0;
/** A cached layer over the test database, with its own cache prefix (versions are per prefix). */
function setup(client: RedisClient = redis.client, cacheOpts: { commandTimeoutMs?: number } = {}) {
  const base = createPostgresDataLayer({ pg: pg.handle, now: () => new Date() });
  const counter = counting(base.products);
  const prefix = `${redis.prefix}layer${++layers}:`;
  const errors: string[] = [];
  const data = withQueryCache(
    { ...base, products: counter.repo },
    queryCache(client, { prefix, ...cacheOpts }),
    {
      ttlMs: 60_000,
      onCacheError: (_err, operation) => errors.push(operation),
    },
  );
  const version = async (tag: string) =>
    Number((await redis.client.get(ephemeralKeys(prefix).cacheVersion(tag))) ?? 0);
  return { base, data, counter, errors, version };
}

/** Every product read of `data`, so a test can see which ones were served from the cache. */
const readAll = (data: DataLayer, slug: string) =>
  Promise.all([
    data.products.list(),
    data.products.listResolved(),
    data.products.get(slug),
    data.products.getResolved(slug),
  ]);

describe('withQueryCache: reads', () => {
  it('serves the second read of each product query from the cache, with the same value', async () => {
    const { base, data, counter } = setup();
    const p = await base.products.upsert(candle());
    const first = await readAll(data, p.slug);
    expect(counter.reads).toEqual({ list: 1, listResolved: 1, get: 1, getResolved: 1 });
    const second = await readAll(data, p.slug);
    expect(counter.reads).toEqual({ list: 1, listResolved: 1, get: 1, getResolved: 1 });
    expect(second).toStrictEqual(first);
    expect(second).toStrictEqual(await readAll(base, p.slug));
    // A static-only slug and a missing one are cached answers too.
    expect((await data.products.getResolved('titos-candle'))?.slug).toBe('titos-candle');
    expect(await data.products.get('no-such-candle')).toBeNull();
    expect(await data.products.get('no-such-candle')).toBeNull();
    expect(counter.reads.get).toBe(2);
  });

  it('a failing database read reaches the caller and is not cached', async () => {
    const { data, counter, errors } = setup();
    await expect(data.products.get('')).rejects.toThrow(/slug/);
    await expect(data.products.get('')).rejects.toThrow(/slug/);
    expect(counter.reads.get).toBe(2);
    expect(errors).toEqual([]);
  });

  it('50 concurrent cold reads in 5 processes load once', async () => {
    const base = createPostgresDataLayer({ pg: pg.handle, now: () => new Date() });
    const counter = counting(base.products);
    counter.hooks.afterRead = () => sleep(150);
    const p = await base.products.upsert(candle());
    const prefix = `${redis.prefix}stampede:`;
    const shops = processes.map((c) =>
      withQueryCache({ ...base, products: counter.repo }, queryCache(c, { prefix, pollMs: 10 })),
    );
    const lists = await inParallel(50, (i) => shops[i % shops.length]!.products.listResolved());
    const items = await inParallel(50, (i) => shops[i % shops.length]!.products.getResolved(p.slug));
    expect(counter.reads.listResolved).toBe(1);
    expect(counter.reads.getResolved).toBe(1);
    expect(new Set(lists.map((l) => JSON.stringify(l))).size).toBe(1);
    expect(items.every((x) => x?.stock === 5)).toBe(true);
  });
});

describe('withQueryCache: invalidation after writes', () => {
  it('a stock adjustment invalidates after it committed: that product and the listings reload, others stay', async () => {
    const { base, data, counter, version } = setup();
    const p = await base.products.upsert(candle({ stock: 5 }));
    const other = await base.products.upsert(candle({ stock: 7 }));
    await readAll(data, p.slug);
    await data.products.getResolved(other.slug);
    const before = counter.total();

    const seenAtCommit: number[] = [];
    counter.hooks.afterWrite = async (slug) => {
      seenAtCommit.push(await version(CACHE_TAGS.product(slug)));
    };
    expect(await data.products.adjustStock(p.slug, -2)).toBe(3);
    counter.hooks.afterWrite = undefined;
    expect(seenAtCommit).toEqual([0]); // not invalidated before the write returned
    expect(await version(CACHE_TAGS.product(p.slug))).toBe(1);

    const [list, listResolved, got, resolved] = await readAll(data, p.slug);
    expect([got?.stock, resolved?.stock]).toEqual([3, 3]);
    expect(list.find((x) => x.slug === p.slug)?.stock).toBe(3);
    expect(listResolved.find((x) => x.slug === p.slug)?.stock).toBe(3);
    expect(counter.total()).toBe(before + 4);
    expect((await data.products.getResolved(other.slug))?.stock).toBe(7);
    expect(counter.total()).toBe(before + 4); // the other product was still cached
  });

  it('variant writes, upserts and deletes invalidate the product', async () => {
    const { base, data, counter } = setup();
    const p = await base.products.upsert(candle({ stock: 5 }, 10));
    const variant = async () => (await data.products.getResolved(p.slug))?.variantConfig?.variantData;

    expect((await variant())?.['standard-vanilla']?.stock).toBe(10);
    await data.products.adjustVariantStock(p.slug, 'standard-vanilla', -4);
    expect((await variant())?.['standard-vanilla']?.stock).toBe(6);
    await data.products.setVariantStock(p.slug, 'standard-lavender', 3);
    expect((await variant())?.['standard-lavender']?.stock).toBe(3);
    await data.products.setStock(p.slug, 9);
    expect((await data.products.getResolved(p.slug))?.stock).toBe(9);
    await data.products.upsert({ ...p, name: 'Renamed candle' });
    expect((await data.products.get(p.slug))?.name).toBe('Renamed candle');
    expect(counter.reads.getResolved).toBe(4); // each read after a write reloaded

    expect((await data.products.list()).some((x) => x.slug === p.slug)).toBe(true);
    expect(await data.products.delete(p.slug)).toBe(true);
    expect(await data.products.get(p.slug)).toBeNull();
    expect(await data.products.getResolved(p.slug)).toBeNull();
    expect((await data.products.list()).some((x) => x.slug === p.slug)).toBe(false);
  });

  it('a checkout invalidates every ordered product; a replay does not', async () => {
    const { base, data, counter, version } = setup();
    const a = await base.products.upsert(candle({ stock: 5 }, 10));
    const b = await base.products.upsert(candle({ stock: 4 }, 0));
    await readAll(data, a.slug);
    await data.products.getResolved(b.slug);
    const input = {
      orderId: `cs_test_${short()}`,
      email: 'Guest@Example.com',
      lines: [
        { slug: a.slug, variantId: 'standard-vanilla', quantity: 2, priceCents: 4998 },
        { slug: b.slug, quantity: 1, priceCents: 2499 },
      ],
    };
    await data.checkout.placeOrder(input);
    expect(
      (await data.products.getResolved(a.slug))?.variantConfig?.variantData['standard-vanilla']?.stock,
    ).toBe(8);
    expect((await data.products.getResolved(b.slug))?.stock).toBe(3);
    expect((await data.products.listResolved()).find((x) => x.slug === b.slug)?.stock).toBe(3);

    const lists = await version(CACHE_TAGS.productLists);
    const reads = counter.total();
    expect((await data.checkout.placeOrder(input)).replayed).toBe(true);
    expect(await version(CACHE_TAGS.productLists)).toBe(lists);
    await data.products.getResolved(b.slug);
    expect(counter.total()).toBe(reads);
  });

  it('a completed refund that restores inventory invalidates the restocked products', async () => {
    const { base, data } = setup();
    const p = await base.products.upsert(candle({ stock: 5 }));
    const order = await data.checkout.placeOrder({
      orderId: `cs_test_${short()}`,
      email: 'Guest@Example.com',
      lines: [{ slug: p.slug, quantity: 3, priceCents: 7497 }],
    });
    expect((await data.products.getResolved(p.slug))?.stock).toBe(2);
    const refund = await data.refunds.create({ orderId: order.order.id, reason: 'damaged_product' });
    expect((await data.products.getResolved(p.slug))?.stock).toBe(2); // creating it changes no stock
    const done = await data.refunds.completeRefund(refund.id);
    expect(done.restock.map((r) => r.status)).toEqual(['restored']);
    expect((await data.products.getResolved(p.slug))?.stock).toBe(5);
  });

  it('a domain error invalidates nothing; an unknown outcome invalidates', async () => {
    const { base, data, counter, version } = setup();
    const p = await base.products.upsert(candle({ stock: 2 }));
    await data.products.getResolved(p.slug);
    await expect(data.products.adjustStock(p.slug, -5)).rejects.toBeInstanceOf(InsufficientStockError);
    await expect(
      data.checkout.placeOrder({
        orderId: `cs_test_${short()}`,
        email: 'Guest@Example.com',
        lines: [{ slug: p.slug, quantity: 9, priceCents: 1 }],
      }),
    ).rejects.toBeInstanceOf(InsufficientStockError);
    expect(await version(CACHE_TAGS.product(p.slug))).toBe(0);
    await data.products.getResolved(p.slug);
    expect(counter.reads.getResolved).toBe(1);

    // The write commits, then the connection "breaks" before the answer arrives.
    counter.hooks.afterWrite = async () => {
      throw new Error('Connection terminated unexpectedly');
    };
    await expect(data.products.adjustStock(p.slug, -1)).rejects.toThrow('Connection terminated');
    counter.hooks.afterWrite = undefined;
    expect((await data.products.getResolved(p.slug))?.stock).toBe(1);
    expect(counter.reads.getResolved).toBe(2);
  });

  it('scent and alcohol type writes invalidate every entry', async () => {
    const { base, data, counter } = setup();
    const p = await base.products.upsert(candle());
    await readAll(data, p.slug);
    await data.catalogue.scents.upsert({ id: `scent-${short()}`, name: 'Vanilla Bean' });
    await readAll(data, p.slug);
    expect(counter.total()).toBe(8);
    await data.alcoholTypes.add({ name: `Mezcal ${short()}` });
    await readAll(data, p.slug);
    expect(counter.total()).toBe(12);
    await data.catalogue.baseOils.list(); // passes through
    await readAll(data, p.slug);
    expect(counter.total()).toBe(12);
  });

  it('a write racing a slow load: the old value is not served after the write', async () => {
    const { base, data, counter } = setup();
    const p = await base.products.upsert(candle({ stock: 5 }));
    for (const query of ['item', 'list'] as const) {
      const gate = deferred();
      const read = deferred();
      const stockNow = async () =>
        query === 'item'
          ? (await data.products.getResolved(p.slug))?.stock
          : (await data.products.listResolved()).find((x) => x.slug === p.slug)?.stock;
      const before = (await base.products.getResolved(p.slug))?.stock ?? 0;
      counter.hooks.afterRead = async () => {
        read.resolve();
        await gate.promise;
      };
      const racing = stockNow(); // reads the old stock, then stalls before it can store it
      await read.promise;
      counter.hooks.afterRead = undefined;
      await data.products.adjustStock(p.slug, -1); // commits and invalidates meanwhile
      gate.resolve();
      expect(await racing).toBe(before); // it began before the write: the old value is its answer
      expect(await stockNow()).toBe(before - 1);
      expect(await stockNow()).toBe(before - 1);
    }
  });
});

describe('withQueryCache: Redis down', () => {
  let proxy: TcpProxy;
  let via: RedisClient;
  beforeAll(async () => {
    proxy = await startTcpProxy({ port: Number(new URL(TEST_REDIS_URL).port || 6379) });
    via = await openRedis({ url: `redis://127.0.0.1:${proxy.port}`, reconnect: true });
  });
  afterAll(async () => {
    await proxy.restore();
    if (via.isOpen) await via.quit().catch(() => undefined);
    await proxy.close();
  });
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 500 && !check(); i++) await sleep(20);
    expect(check()).toBe(true);
  };

  it('Redis unreachable: reads go to the database, writes succeed, and no stale entry is served after', async () => {
    const { base, data, counter, errors } = setup(via);
    const p = await base.products.upsert(candle({ stock: 5 }));
    await data.products.getResolved(p.slug);
    await data.products.getResolved(p.slug);
    expect(counter.reads.getResolved).toBe(1);

    proxy.cut();
    await until(() => !via.isReady);
    expect((await data.products.getResolved(p.slug))?.stock).toBe(5);
    expect(await data.products.adjustStock(p.slug, -1)).toBe(4);
    expect((await data.products.getResolved(p.slug))?.stock).toBe(4);
    expect(counter.reads.getResolved).toBe(3);
    expect(errors.length).toBeGreaterThan(0);

    await proxy.restore();
    await until(() => via.isReady);
    // The entry cached before the outage (stock 5) is still in Redis; it must not come back.
    expect((await data.products.getResolved(p.slug))?.stock).toBe(4);
    expect((await data.products.getResolved(p.slug))?.stock).toBe(4);
    expect(counter.reads.getResolved).toBe(4);
  });

  it('Redis not answering (partition): reads and writes go on after the command timeout', async () => {
    const { base, data, counter, errors } = setup(via, { commandTimeoutMs: 200 });
    await until(() => via.isReady);
    const p = await base.products.upsert(candle({ stock: 5 }));
    await data.products.getResolved(p.slug);

    proxy.partition();
    const started = Date.now();
    expect((await data.products.getResolved(p.slug))?.stock).toBe(5);
    expect(await data.products.adjustStock(p.slug, -2)).toBe(3);
    expect((await data.products.getResolved(p.slug))?.stock).toBe(3);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(errors.length).toBeGreaterThanOrEqual(2);

    await proxy.restore();
    await until(() => via.isReady);
    expect((await data.products.getResolved(p.slug))?.stock).toBe(3);
    const reads = counter.reads.getResolved;
    expect((await data.products.getResolved(p.slug))?.stock).toBe(3);
    expect(counter.reads.getResolved).toBe(reads);
  });
});
