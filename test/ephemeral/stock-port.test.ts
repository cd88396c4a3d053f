import { describe, expect, it } from 'vitest';
import { createPostgresDataLayer } from '../../src/backends/postgres/index.js';
import { createRedisDataLayer } from '../../src/backends/redis/index.js';
import type { DataLayer } from '../../src/domain/data-layer.js';
import { InsufficientStockError } from '../../src/domain/errors.js';
import { withQueryCache } from '../../src/ephemeral/cached-data-layer.js';
import { inventoryHolds } from '../../src/ephemeral/inventory-holds.js';
import { queryCache } from '../../src/ephemeral/query-cache.js';
import { productStockPort } from '../../src/ephemeral/stock-port.js';
import { legacyKeys } from '../../src/legacy/keys.js';
import { candle, short } from '../contract/fixtures/commerce.js';
import { usePostgres, useRedis } from '../support/harness.js';
import { inParallel, useRedisClients } from './clients.js';

const redis = useRedis();
const processes = useRedisClients(4);
const pg = usePostgres({ max: 10 });
const now = () => new Date();

const backends: { name: string; layer: () => DataLayer }[] = [
  { name: 'postgres', layer: () => createPostgresDataLayer({ pg: pg.handle, now }) },
  {
    name: 'redis',
    layer: () =>
      createRedisDataLayer({ client: redis.client, keys: legacyKeys(`${redis.prefix}store:`), now }),
  },
  {
    name: 'postgres behind withQueryCache',
    layer: () =>
      withQueryCache(
        createPostgresDataLayer({ pg: pg.handle, now }),
        queryCache(redis.client, { prefix: `${redis.prefix}cache:` }),
      ),
  },
];

const holdsPrefix = () => `${redis.prefix}holds:`;

describe.each(backends)('productStockPort on $name', ({ layer }) => {
  it('reads base and variant stock; an unknown product or variant is null', async () => {
    const data = layer();
    const port = productStockPort(data.products);
    const p = await data.products.upsert(candle({ stock: 5 }, 10));
    expect(await port.getStock(p.slug, null)).toBe(5);
    expect(await port.getStock(p.slug, 'standard-vanilla')).toBe(10);
    expect(await port.getStock(p.slug, 'standard-cedar')).toBe(0); // a derived variant without an entry
    expect(await port.getStock(p.slug, 'no-such-wick')).toBeNull();
    expect(await port.getStock(`missing-${short()}`, null)).toBeNull();
    expect(await port.getStock('titos-candle', null)).not.toBeNull(); // static products are sellable

    expect(await port.decrementIfAvailable(p.slug, null, 6)).toBe(false);
    expect(await port.decrementIfAvailable(p.slug, null, 5)).toBe(true);
    expect(await port.decrementIfAvailable(p.slug, null, 1)).toBe(false);
    expect(await port.decrementIfAvailable(p.slug, 'standard-vanilla', 11)).toBe(false);
    expect(await port.decrementIfAvailable(p.slug, 'standard-vanilla', 10)).toBe(true);
    expect(await port.decrementIfAvailable(`missing-${short()}`, null, 1)).toBe(false);
    const after = await data.products.get(p.slug);
    expect([after?.stock, after?.variantConfig?.variantData['standard-vanilla']?.stock]).toEqual([0, 0]);
  });

  it('available = stock − active holds, also after sales that bypass the holds', async () => {
    const data = layer();
    const holds = inventoryHolds(redis.client, productStockPort(data.products), { prefix: holdsPrefix() });
    const p = await data.products.upsert(candle({ stock: 10 }, 4));
    expect(
      (await holds.reserve({ cartId: `c-${short()}`, slug: p.slug, variantId: null, quantity: 3 })).status,
    ).toBe('held');
    expect(await holds.available(p.slug, null)).toBe(7);
    await data.checkout.placeOrder({
      orderId: `cs_test_${short()}`,
      email: 'Guest@Example.com',
      lines: [{ slug: p.slug, quantity: 2, priceCents: 4998 }],
    });
    expect(await holds.available(p.slug, null)).toBe(5);
    await data.products.adjustStock(p.slug, -1);
    expect(await holds.available(p.slug, null)).toBe(4);
    expect(await holds.available(p.slug, 'standard-vanilla')).toBe(4);
  });

  it('holds, checkouts and direct sales racing on base and variant stock: never oversold', async () => {
    const data = layer();
    const port = productStockPort(data.products);
    const shops = processes.map((c) => inventoryHolds(c, port, { prefix: holdsPrefix() }));
    const p = await data.products.upsert(candle({ stock: 10 }, 6));
    const outcomes = await inParallel<[string, string]>(72, async (i) => {
      const variantId = i % 2 === 0 ? null : 'standard-vanilla';
      const sku = variantId ?? 'base';
      switch (i % 3) {
        case 0: {
          const shop = shops[i % shops.length]!;
          const r = await shop.reserve({ cartId: `cart-${i}`, slug: p.slug, variantId, quantity: 1 });
          if (r.status !== 'held') return [sku, `hold ${r.status}`];
          return [sku, `hold ${(await shop.commit(r.hold.holdId)).status}`];
        }
        case 1:
          try {
            await data.checkout.placeOrder({
              orderId: `cs_test_${short()}`,
              email: 'Guest@Example.com',
              lines: [{ slug: p.slug, ...(variantId ? { variantId } : {}), quantity: 1, priceCents: 2499 }],
            });
            return [sku, 'checkout sold'];
          } catch (err) {
            if (err instanceof InsufficientStockError) return [sku, 'checkout refused'];
            throw err;
          }
        default:
          return [
            sku,
            (await port.decrementIfAvailable(p.slug, variantId, 1)) ? 'direct sold' : 'direct refused',
          ];
      }
    });
    const sold = (sku: string) =>
      outcomes.filter(([s, o]) => s === sku && (o === 'hold committed' || o.endsWith(' sold'))).length;
    expect(sold('base')).toBe(10);
    expect(sold('standard-vanilla')).toBe(6);
    const allowed = ['hold committed', 'hold insufficient', 'hold insufficient-stock'];
    allowed.push('checkout sold', 'checkout refused', 'direct sold', 'direct refused');
    expect(outcomes.every(([, o]) => allowed.includes(o))).toBe(true);
    expect(await port.getStock(p.slug, null)).toBe(0);
    expect(await port.getStock(p.slug, 'standard-vanilla')).toBe(0);
    expect(await shops[0]!.held(p.slug, null)).toBe(0);
    expect(await shops[0]!.held(p.slug, 'standard-vanilla')).toBe(0);
  });
});
