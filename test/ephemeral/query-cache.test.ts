import { describe, expect, it } from 'vitest';
import { queryCache, scopeTags } from '../../src/ephemeral/query-cache.js';
import { useRedis } from '../support/harness.js';
import { inParallel, sleep, useRedisClients } from './clients.js';

const redis = useRedis();
const processes = useRedisClients(5);

let n = 0;
/** Each test gets its own prefix: version counters are global to a prefix. */
const isolated = () => `${redis.prefix}${++n}:`;

/** A stand-in catalogue table with a read counter. */
function catalogue(initial: Record<string, number>) {
  const prices = { ...initial };
  let reads = 0;
  return {
    prices,
    reads: () => reads,
    item: (slug: string) => async () => {
      reads++;
      return { slug, price: prices[slug] ?? null };
    },
    list: () => async () => {
      reads++;
      return Object.entries(prices).map(([slug, price]) => ({ slug, price }));
    },
  };
}

describe('catalogue query cache', () => {
  it('serves repeated reads from Redis until the TTL passes (null values included)', async () => {
    const cache = queryCache(redis.client, { prefix: isolated() });
    const db = catalogue({ titos: 2499 });
    const opts = { ttlMs: 300, scope: { products: ['titos'] } };
    expect(await cache.getOrLoad('item:titos', db.item('titos'), opts)).toEqual({
      slug: 'titos',
      price: 2499,
    });
    expect(await cache.getOrLoad('item:titos', db.item('titos'), opts)).toEqual({
      slug: 'titos',
      price: 2499,
    });
    expect(db.reads()).toBe(1);
    await cache.getOrLoad('item:gone', async () => null, opts);
    expect(await cache.getOrLoad('item:gone', async () => 'loaded again', opts)).toBeNull();
    await sleep(400);
    await cache.getOrLoad('item:titos', db.item('titos'), opts);
    expect(db.reads()).toBe(2);
  });

  it('50 concurrent misses in 5 processes run the loader once', async () => {
    const prefix = isolated();
    const caches = processes.map((c) => queryCache(c, { prefix, pollMs: 10 }));
    let loads = 0;
    const loader = async () => {
      loads++;
      await sleep(150);
      return [{ slug: 'casamigos', price: 2499 }];
    };
    const results = await inParallel(50, (i) =>
      caches[i % caches.length]!.getOrLoad('list:best-sellers', loader, {
        ttlMs: 60_000,
        scope: { list: true },
      }),
    );
    expect(loads).toBe(1);
    expect(results.every((r) => r[0]?.slug === 'casamigos')).toBe(true);
  });

  it('invalidateProduct makes that product and every listing stale at once, nothing else', async () => {
    const prefix = isolated();
    const cache = queryCache(redis.client, { prefix });
    const db = catalogue({ titos: 2499, bulleit: 2499 });
    const long = { ttlMs: 60_000 };
    const read = () =>
      Promise.all([
        cache.getOrLoad('item:titos', db.item('titos'), { ...long, scope: { products: ['titos'] } }),
        cache.getOrLoad('item:bulleit', db.item('bulleit'), { ...long, scope: { products: ['bulleit'] } }),
        cache.getOrLoad('list:all', db.list(), { ...long, scope: { list: true } }),
      ]);
    await read();
    expect(db.reads()).toBe(3);

    db.prices.titos = 1999; // the repository writes, then invalidates
    await cache.invalidateProduct('titos');
    const [titos, bulleit, list] = await read();
    expect(titos.price).toBe(1999);
    expect(list.find((p) => p.slug === 'titos')?.price).toBe(1999);
    expect(bulleit.price).toBe(2499);
    expect(db.reads()).toBe(5); // titos and the list reloaded, bulleit still cached

    await cache.invalidateCatalogue();
    await read();
    expect(db.reads()).toBe(8);
  });

  it('a load that read the database before an invalidation cannot serve its stale result afterwards', async () => {
    const prefix = isolated();
    const cache = queryCache(redis.client, { prefix });
    const db = catalogue({ titos: 2499 });
    const scope = { products: ['titos'] };
    const slowOld = cache.getOrLoad(
      'item:titos',
      async () => {
        const v = await db.item('titos')();
        await sleep(150); // the write and the invalidation happen meanwhile
        return v;
      },
      { ttlMs: 60_000, scope },
    );
    await sleep(50);
    db.prices.titos = 1799;
    await cache.invalidateProduct('titos');
    expect((await slowOld).price).toBe(2499);
    expect((await cache.getOrLoad('item:titos', db.item('titos'), { ttlMs: 60_000, scope })).price).toBe(
      1799,
    );
  });

  it('a failing loader is not cached and does not block the next caller', async () => {
    const cache = queryCache(redis.client, { prefix: isolated() });
    await expect(
      cache.getOrLoad(
        'item:x',
        async () => {
          throw new Error('db down');
        },
        { ttlMs: 60_000 },
      ),
    ).rejects.toThrow('db down');
    expect(await cache.getOrLoad('item:x', async () => 'ok', { ttlMs: 60_000 })).toBe('ok');
  });

  it('a caller waiting on a stuck loader in another process loads for itself after the wait limit', async () => {
    const prefix = isolated();
    const stuck = queryCache(processes[0]!, { prefix });
    const impatient = queryCache(processes[1]!, { prefix, waitTimeoutMs: 150, pollMs: 10 });
    const never = stuck.getOrLoad('item:slow', () => sleep(1000).then(() => 'slow'), { ttlMs: 60_000 });
    await sleep(30);
    const started = Date.now();
    expect(await impatient.getOrLoad('item:slow', async () => 'direct', { ttlMs: 60_000 })).toBe('direct');
    expect(Date.now() - started).toBeLessThan(900);
    expect(await never).toBe('slow');
  });

  it('every entry depends on the catalogue tag', () => {
    expect(scopeTags()).toEqual(['catalogue']);
    expect(scopeTags({ list: true, products: ['b', 'a', 'b'] })).toEqual([
      'catalogue',
      'product-lists',
      'product:a',
      'product:b',
    ]);
  });
});
