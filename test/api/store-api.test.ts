/**
 * The store HTTP API over the real Redis and Postgres backends: accounts, products, checkout, order
 * history, admin refunds, and how domain and infrastructure failures reach the client.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { USER_COOKIE } from '../../src/api/deps.js';
import type { DataLayer } from '../../src/domain/data-layer.js';
import type { Product } from '../../src/domain/product.js';
import { usePostgres, useRedis } from '../support/harness.js';
import { ApiClient, apiDeps, dataLayerFor, type StoreKind } from './support/api-fixture.js';

const pg = usePostgres();
const redis = useRedis();

let ipSeq = 0;
/** Each client gets its own address, so rate-limit buckets never leak between tests. */
const nextIp = () => `198.51.100.${++ipSeq}`;
const short = () => randomUUID().replaceAll('-', '').slice(0, 10);

function candle(over: Partial<Product> = {}): Product {
  const slug = `candle-${short()}`;
  return {
    slug,
    name: `Candle ${slug.slice(-4)}`,
    priceCents: 2499,
    sku: 'DCW-0101',
    stock: 5,
    images: [`/images/${slug}.jpg`],
    variantConfig: {
      wickTypes: [{ id: 'standard', name: 'Standard Wick' }],
      variantData: { 'standard-vanilla': { stock: 3 } },
    },
    ...over,
  };
}

describe.each<StoreKind>(['redis', 'postgres'])('store API on %s', (kind) => {
  let data: DataLayer;
  let api: ReturnType<typeof apiDeps>;
  const client = () => new ApiClient(api.app, nextIp());

  beforeAll(() => {
    const prefix = `${redis.prefix}${kind}:`;
    data = dataLayerFor(kind, pg, redis, prefix);
    api = apiDeps(data, redis, prefix);
  });

  async function registered(c: ApiClient) {
    const email = `Jane.${short()}@Example.com`;
    const res = await c.call('POST', '/api/auth/register', {
      email,
      password: 'correct horse',
      firstName: 'Jane',
      lastName: 'Doe',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { email: email.toLowerCase(), id: res.body.user.id as string };
  }

  describe('accounts', () => {
    it('registers, keeps the customer logged in, and never shows the password hash', async () => {
      const c = client();
      const { email, id } = await registered(c);
      expect(c.cookie(USER_COOKIE)).toMatch(/^[0-9a-f]{64}$/);
      const me = await c.call('GET', '/api/me');
      expect(me.status).toBe(200);
      expect(me.body.user).toMatchObject({ id, email, firstName: 'Jane', points: 0 });
      expect(JSON.stringify(me.body)).not.toContain('$2b$');
      expect((await data.users.getById(id))?.passwordHash).toMatch(/^\$2b\$04\$/);
    });

    it('refuses a taken e-mail with 409 and a malformed one with 400 naming the field', async () => {
      const first = client();
      const { email } = await registered(first);
      const dup = await client().call('POST', '/api/auth/register', {
        email: email.toUpperCase(),
        password: 'another password',
        firstName: 'J',
        lastName: 'D',
      });
      expect(dup.status).toBe(409);
      expect(dup.body.error.code).toBe('CONFLICT');
      const bad = await client().call('POST', '/api/auth/register', {
        email: 'not-an-email',
        password: 'long enough',
        firstName: 'J',
        lastName: 'D',
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/email/);
      const short = await client().call('POST', '/api/auth/register', {
        email: `x.${randomUUID()}@example.com`,
        password: 'short',
        firstName: 'J',
        lastName: 'D',
      });
      expect(short.status).toBe(400);
      expect(short.body.error.message).toMatch(/^password: .*8 characters/);
    });

    it('logs in with the right password only, and a new login replaces the old session', async () => {
      const c = client();
      const { email } = await registered(c);
      const before = c.cookie(USER_COOKIE)!;
      const wrong = await c.call('POST', '/api/auth/login', { email, password: 'wrong horse' });
      expect(wrong.status).toBe(401);
      const ok = await c.call('POST', '/api/auth/login', {
        email: `  ${email.toUpperCase()} `,
        password: 'correct horse',
      });
      expect(ok.status).toBe(200);
      expect(c.cookie(USER_COOKIE)).not.toBe(before);
      const stale = client();
      stale.setCookie(USER_COOKIE, before);
      expect((await stale.call('GET', '/api/me')).status).toBe(401);
      expect((await c.call('POST', '/api/auth/logout')).status).toBe(204);
      expect((await c.call('GET', '/api/me')).status).toBe(401);
    });

    it('locks an address out after five failed logins, with Retry-After, while others may still log in', async () => {
      const attacker = client();
      const victim = client();
      const { email } = await registered(victim);
      for (let i = 0; i < 5; i++) {
        expect(
          (await attacker.call('POST', '/api/auth/login', { email, password: `guess-${i}` })).status,
        ).toBe(401);
      }
      const locked = await attacker.call('POST', '/api/auth/login', { email, password: 'correct horse' });
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(
        (await victim.call('POST', '/api/auth/login', { email, password: 'correct horse' })).status,
      ).toBe(200);
    });
  });

  describe('shop', () => {
    it('lists visible products with their stock and hides the others', async () => {
      const shown = await data.products.upsert(candle());
      const hidden = await data.products.upsert(candle({ visibleOnWebsite: false }));
      const res = await client().call('GET', '/api/products');
      expect(res.status).toBe(200);
      const slugs = res.body.products.map((p: { slug: string }) => p.slug);
      expect(slugs).toContain(shown.slug);
      expect(slugs).not.toContain(hidden.slug);
      const one = await client().call('GET', `/api/products/${shown.slug}`);
      expect(one.body.product).toMatchObject({
        slug: shown.slug,
        priceCents: 2499,
        stock: 5,
        variants: [{ id: 'standard-vanilla', stock: 3 }],
      });
      expect((await client().call('GET', `/api/products/${hidden.slug}`)).status).toBe(404);
      expect((await client().call('GET', '/api/products/no-such-candle')).status).toBe(404);
    });

    it('checks a guest out at catalogue prices, takes the stock, and replays an order id without effect', async () => {
      const p = await data.products.upsert(candle());
      const c = client();
      const orderId = `web_${short()}`;
      const body = {
        orderId,
        email: 'Guest.Buyer@Example.com',
        lines: [{ slug: p.slug, quantity: 2 }],
        shippingCents: 599,
      };
      const res = await c.call('POST', '/api/checkout', body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.order).toMatchObject({
        id: orderId,
        email: 'Guest.Buyer@Example.com',
        totalCents: 2 * 2499 + 599,
      });
      expect(res.body.order.items[0]).toMatchObject({ productSlug: p.slug, quantity: 2, priceCents: 4998 });
      expect((await data.products.get(p.slug))?.stock).toBe(3);
      const replay = await c.call('POST', '/api/checkout', body);
      expect(replay.status).toBe(200);
      expect(replay.body.replayed).toBe(true);
      expect((await data.products.get(p.slug))?.stock).toBe(3);
    });

    it('answers 409 with the stock message when a line asks for more than is left, and writes nothing', async () => {
      const p = await data.products.upsert(candle({ stock: 1 }));
      const res = await client().call('POST', '/api/checkout', {
        email: 'buyer@example.com',
        lines: [{ slug: p.slug, quantity: 2 }],
      });
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'INSUFFICIENT_STOCK' });
      expect(res.body.error.message).toContain('2 requested, 1 in stock');
      expect((await data.products.get(p.slug))?.stock).toBe(1);
      const unknown = await client().call('POST', '/api/checkout', {
        email: 'buyer@example.com',
        lines: [{ slug: 'no-such-candle', quantity: 1 }],
      });
      expect(unknown.status).toBe(404);
    });

    it("shows a customer their own orders and points, and nobody else's", async () => {
      const p = await data.products.upsert(candle());
      const alice = client();
      const { id } = await registered(alice);
      const placed = await alice.call('POST', '/api/checkout', {
        lines: [{ slug: p.slug, variantId: 'standard-vanilla', quantity: 1 }],
      });
      expect(placed.status, JSON.stringify(placed.body)).toBe(201);
      const orderId = placed.body.order.id as string;
      expect(placed.body.order.userId).toBe(id);
      const history = await alice.call('GET', '/api/orders');
      expect(history.body.orders.map((o: { id: string }) => o.id)).toEqual([orderId]);
      expect((await alice.call('GET', `/api/orders/${orderId}`)).status).toBe(200);
      expect((await alice.call('GET', '/api/me')).body.user.points).toBe(placed.body.order.pointsEarned);
      const variant = (await data.products.get(p.slug))?.variantConfig?.variantData['standard-vanilla']
        ?.stock;
      expect(variant).toBe(2);

      const bob = client();
      await registered(bob);
      expect((await bob.call('GET', `/api/orders/${orderId}`)).status).toBe(404);
      expect((await bob.call('GET', '/api/orders')).body.orders).toEqual([]);
      expect((await client().call('GET', '/api/orders')).status).toBe(401);
    });

    it('refuses a non-JSON post and a body of the wrong shape with 400', async () => {
      const res = await api.app.request('/api/checkout', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': nextIp() },
        body: 'email=a@b.c',
      });
      expect(res.status).toBe(400);
      const shape = await client().call('POST', '/api/checkout', {
        email: 'a@b.co',
        lines: [{ slug: 'x', quantity: 0 }],
      });
      expect(shape.status).toBe(400);
      expect(shape.body.error.message).toMatch(/^lines\.0\.quantity/);
    });
  });
});
