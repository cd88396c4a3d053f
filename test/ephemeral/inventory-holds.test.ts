import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPostgres, type PgHandle } from '../../src/backends/postgres/client.js';
import { type InventoryHolds, inventoryHolds, type StockPort } from '../../src/ephemeral/inventory-holds.js';
import { usePostgres, useRedis } from '../support/harness.js';
import { inParallel, sleep, useRedisClients } from './clients.js';

const redis = useRedis();
const processes = useRedisClients(5);
const pg = usePostgres({ max: 10 });
let second: PgHandle;

/** What the product repositories will provide, over a stock table of this test's own database. */
function pgStock(h: PgHandle): StockPort {
  return {
    async getStock(slug, variantId) {
      const [row] = await h.query<{ stock: number }>(
        'select stock from test_stock where slug = $1 and variant_id is not distinct from $2',
        [slug, variantId],
      );
      return row ? row.stock : null;
    },
    async decrementIfAvailable(slug, variantId, qty) {
      const rows = await h.query(
        `update test_stock set stock = stock - $3
          where slug = $1 and variant_id is not distinct from $2 and stock >= $3 returning stock`,
        [slug, variantId, qty],
      );
      return rows.length === 1;
    },
  };
}

beforeAll(async () => {
  await pg.handle.query(`create table test_stock (
    slug text not null, variant_id text, stock integer not null check (stock >= 0))`);
  await pg.handle.query(`create unique index on test_stock (slug, coalesce(variant_id, ''))`);
  second = await openPostgres({ url: pg.url, max: 10, driver: 'postgres-js' });
});
afterAll(async () => {
  await second?.close();
});

let sku = 0;
/** A new product row per test, so tests never share stock. */
async function product(stock: number, variantId: string | null = null): Promise<string> {
  const slug = `candle-${++sku}`;
  await pg.handle.query('insert into test_stock values ($1, $2, $3)', [slug, variantId, stock]);
  return slug;
}
const stockOf = async (slug: string, variantId: string | null = null) =>
  pgStock(pg.handle).getStock(slug, variantId);

let holds: InventoryHolds;
beforeEach(() => {
  holds = inventoryHolds(redis.client, pgStock(pg.handle), { prefix: redis.prefix });
});

describe('checkout inventory holds', () => {
  it('available = stock − active holds; a hold that does not fit is refused', async () => {
    const slug = await product(5);
    const a = await holds.reserve({ cartId: 'cart-a', slug, variantId: null, quantity: 2 });
    expect(a).toMatchObject({ status: 'held', availableAfter: 3 });
    expect(await holds.available(slug, null)).toBe(3);
    expect(await holds.reserve({ cartId: 'cart-b', slug, variantId: null, quantity: 4 })).toEqual({
      status: 'insufficient',
      available: 3,
    });
    expect(await holds.reserve({ cartId: 'cart-b', slug, variantId: null, quantity: 3 })).toMatchObject({
      status: 'held',
      availableAfter: 0,
    });
    expect(await holds.held(slug, null)).toBe(5);
    expect(await stockOf(slug)).toBe(5); // holds never touch stock
  });

  it('holds expire: their units come back and the expired hold cannot be committed', async () => {
    const slug = await product(3);
    const short = inventoryHolds(redis.client, pgStock(pg.handle), { prefix: redis.prefix, ttlMs: 300 });
    const h = await short.reserve({ cartId: 'slow-cart', slug, variantId: null, quantity: 3 });
    expect((await short.reserve({ cartId: 'other', slug, variantId: null, quantity: 1 })).status).toBe(
      'insufficient',
    );
    await sleep(400);
    expect(await short.available(slug, null)).toBe(3);
    if (h.status !== 'held') throw new Error('expected a hold');
    expect(await short.commit(h.hold.holdId)).toEqual({ status: 'not-held', holdId: h.hold.holdId });
    expect(await stockOf(slug)).toBe(3);
    expect((await short.reserve({ cartId: 'other', slug, variantId: null, quantity: 1 })).status).toBe(
      'held',
    );
  });

  it('100 parallel reserve+commit against stock 10: exactly 10 sell, stock ends at 0', async () => {
    const slug = await product(10);
    const shops = processes.map((c, i) =>
      inventoryHolds(c, pgStock(i % 2 === 0 ? pg.handle : second), { prefix: redis.prefix }),
    );
    const outcomes = await inParallel(100, async (i) => {
      const shop = shops[i % shops.length]!;
      const r = await shop.reserve({ cartId: `cart-${i}`, slug, variantId: null, quantity: 1 });
      if (r.status !== 'held') return r.status;
      return (await shop.commit(r.hold.holdId)).status;
    });
    expect(outcomes.filter((o) => o === 'committed')).toHaveLength(10);
    expect(outcomes.filter((o) => o !== 'committed').every((o) => o === 'insufficient')).toBe(true);
    expect(await stockOf(slug)).toBe(0);
    expect(await holds.held(slug, null)).toBe(0);
  });

  it('holds racing sales that bypass them never oversell', async () => {
    const slug = await product(10);
    const direct = pgStock(second);
    const results = await inParallel(60, async (i) => {
      if (i % 2 === 0) return (await direct.decrementIfAvailable(slug, null, 1)) ? 'sold-direct' : 'none';
      const shop = inventoryHolds(processes[i % processes.length]!, pgStock(pg.handle), {
        prefix: redis.prefix,
      });
      const r = await shop.reserve({ cartId: `c${i}`, slug, variantId: null, quantity: 1 });
      if (r.status !== 'held') return r.status;
      return (await shop.commit(r.hold.holdId)).status;
    });
    const sold = results.filter((r) => r === 'sold-direct' || r === 'committed').length;
    expect(sold).toBe(10);
    expect(await stockOf(slug)).toBe(0);
    expect(await holds.held(slug, null)).toBe(0);
  });

  it('a hold is committed once even when its commit is sent twice at the same moment', async () => {
    const slug = await product(4);
    const r = await holds.reserve({ cartId: 'dup', slug, variantId: null, quantity: 2 });
    if (r.status !== 'held') throw new Error('expected a hold');
    const [x, y] = await Promise.all([holds.commit(r.hold.holdId), holds.commit(r.hold.holdId)]);
    expect([x.status, y.status].filter((s) => s === 'committed')).toHaveLength(1);
    expect(await stockOf(slug)).toBe(2);
  });

  it('order completion commits the whole cart; abandoning it releases the holds', async () => {
    const base = await product(6);
    const variantSlug = await product(2, 'wood-vanilla-bean');
    await holds.reserve({ cartId: 'order-1', slug: base, variantId: null, quantity: 2 });
    await holds.reserve({
      cartId: 'order-1',
      slug: variantSlug,
      variantId: 'wood-vanilla-bean',
      quantity: 2,
    });
    await holds.reserve({ cartId: 'order-2', slug: base, variantId: null, quantity: 3 });
    const committed = await holds.commitCart('order-1');
    expect(committed.map((c) => c.status)).toEqual(['committed', 'committed']);
    expect(await stockOf(base)).toBe(4);
    expect(await stockOf(variantSlug, 'wood-vanilla-bean')).toBe(0);
    expect(await holds.available(base, null)).toBe(1);
    expect(await holds.releaseCart('order-2')).toBe(1);
    expect(await holds.available(base, null)).toBe(4);
    expect(await holds.commitCart('order-2')).toEqual([]);
  });

  it('keeps base stock and each variant apart, whatever characters the ids hold', async () => {
    const slug = await product(1, null);
    await pg.handle.query('insert into test_stock values ($1, $2, 1)', [slug, 'wick-17:*-scent']);
    expect(
      (await holds.reserve({ cartId: 'v', slug, variantId: 'wick-17:*-scent', quantity: 1 })).status,
    ).toBe('held');
    expect(await holds.available(slug, null)).toBe(1);
    expect(await holds.reserve({ cartId: 'v', slug, variantId: 'missing', quantity: 1 })).toEqual({
      status: 'unknown-sku',
    });
    await expect(holds.reserve({ cartId: 'v', slug, variantId: null, quantity: 0 })).rejects.toThrow(
      RangeError,
    );
  });

  it('a commit whose database write fails keeps the hold so the commit can be retried', async () => {
    const slug = await product(3);
    let fail = true;
    const real = pgStock(pg.handle);
    const flaky = inventoryHolds(
      redis.client,
      {
        getStock: real.getStock,
        decrementIfAvailable: async (...args) => {
          if (fail) throw new Error('connection reset');
          return real.decrementIfAvailable(...args);
        },
      },
      { prefix: redis.prefix },
    );
    const r = await flaky.reserve({ cartId: 'retry', slug, variantId: null, quantity: 1 });
    if (r.status !== 'held') throw new Error('expected a hold');
    await expect(flaky.commit(r.hold.holdId)).rejects.toThrow('connection reset');
    expect(await flaky.held(slug, null)).toBe(1);
    fail = false;
    expect((await flaky.commit(r.hold.holdId)).status).toBe('committed');
    expect(await stockOf(slug)).toBe(2);
  });
});
