import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from '../../src/domain/errors.js';
import type { Order } from '../../src/domain/order.js';
import { commerce, short, stripeOrder } from './fixtures/commerce.js';
import { runContract } from './harness.js';

runContract('orders', (ctx) => {
  const repo = () => ctx().layer.orders;
  const raw = commerce(ctx);

  describe('create', () => {
    it('stores a user order with its items and exactly one entry in each index', async () => {
      const u = await raw.user();
      const order = stripeOrder({ userId: u.id, isGuest: false });
      expect(await repo().create(order)).toEqual(order);
      expect(await raw.orders().order(order.id)).toEqual(order);
      expect(await raw.orders().indexing(order.id)).toEqual({ indexed: true, ownerEntries: 1 });
      expect(await raw.orders().bookkeepingOk(order.id)).toBe(true);
      expect(await repo().get(order.id)).toEqual(order);
      expect((await repo().byUser(u.id)).orders).toEqual([order]);
    });

    it('files a guest order under its lower-cased e-mail', async () => {
      const order = stripeOrder();
      await repo().create(order);
      expect(await raw.orders().guestIds(order.email.toLowerCase())).toEqual([order.id]);
      expect(await repo().guestByEmail(order.email.toUpperCase())).toEqual([order]);
    });

    it('a replay of the same purchase returns the stored order and writes nothing new', async () => {
      const order = stripeOrder();
      await repo().create(order);
      await repo().complete(order.id);
      const stored = await raw.orders().order(order.id);
      const replay = { ...order, createdAt: '2025-12-19T08:00:00.000Z' };
      expect(await repo().create(replay)).toEqual(stored);
      expect(await raw.orders().order(order.id)).toEqual(stored);
      expect(await raw.orders().indexing(order.id)).toEqual({ indexed: true, ownerEntries: 1 });
    });

    it('refuses an existing id with different items, keeping the stored order', async () => {
      const order = stripeOrder();
      await repo().create(order);
      const other = { ...order, items: [{ ...order.items[0]!, quantity: 2, priceCents: 4998 }] };
      await expect(repo().create(other)).rejects.toBeInstanceOf(ConflictError);
      expect(await raw.orders().order(order.id)).toEqual(order);
    });

    it.each([
      ['a malformed e-mail', { email: 'not-an-email' }, 'email'],
      [
        'a zero quantity',
        { items: [{ productSlug: 'x', productName: 'X', quantity: 0, priceCents: 1 }] },
        'items[0].quantity',
      ],
      [
        'a negative quantity',
        { items: [{ productSlug: 'x', productName: 'X', quantity: -2, priceCents: 1 }] },
        'items[0].quantity',
      ],
      ['fractional cents', { totalCents: 10.5 }, 'totalCents'],
      ['an unknown status', { status: 'shipped' as never }, 'status'],
      ['an unknown payment method', { paymentMethod: 'bitcoin' as never }, 'paymentMethod'],
      [
        'an oversized product name',
        { items: [{ productSlug: 'x', productName: 'n'.repeat(501), quantity: 1, priceCents: 1 }] },
        'items[0].productName',
      ],
      ['an id with a colon', { id: 'cs_test_a:refunds' }, 'id'],
      ['isGuest contradicting userId', { isGuest: false }, 'isGuest'],
    ])('rejects %s with a ValidationError naming the field, writing nothing', async (_what, over, field) => {
      const bad = stripeOrder(over as Partial<Order>);
      const err = await repo()
        .create(bad)
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).field).toBe(field);
      expect(await raw.orders().order(bad.id)).toBeNull();
      expect(await raw.orders().indexing(bad.id)).toEqual({ indexed: false, ownerEntries: 0 });
    });

    it('reads a legacy order exactly: no isGuest, null variantId, unknown item keys', async () => {
      const u = await raw.user();
      const { isGuest: _none, ...rest } = stripeOrder({ userId: u.id, status: 'completed' });
      const legacy: Order = {
        ...rest,
        completedAt: '2025-12-01T12:00:01.000Z',
        items: [
          {
            productSlug: 'casamigos-candle',
            productName: 'Casamigos',
            quantity: 3,
            priceCents: 7497,
            variantId: null,
            extra: { note: 'gift' },
          },
        ],
      };
      await raw.orders().seedOrder(legacy);
      expect(await repo().get(legacy.id)).toEqual(legacy);
    });

    it('not found is null', async () => {
      expect(await repo().get('cs_test_missing')).toBeNull();
      expect(await repo().guestByEmail('nobody@example.com')).toEqual([]);
    });
  });

  describe('paging', () => {
    it('byUser pages through every order once, newest first, though the legacy list repeats ids', async () => {
      const u = await raw.user();
      const other = await raw.user();
      const mine = [3, 1, 5, 2, 4].map((day) =>
        stripeOrder({ userId: u.id, isGuest: false, createdAt: `2025-12-0${day}T10:00:00.000Z` }),
      );
      for (const [i, o] of mine.entries()) await raw.orders().seedOrder(o, { listTimes: i === 0 ? 3 : 1 });
      await raw.orders().seedOrder(stripeOrder({ userId: other.id, isGuest: false }));
      const seen: Order[] = [];
      let cursor: string | undefined;
      for (let n = 0; n < 10; n++) {
        const page = await repo().byUser(u.id, { limit: 2, ...(cursor ? { cursor } : {}) });
        expect(page.orders.length).toBeLessThanOrEqual(2);
        seen.push(...page.orders);
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      expect(seen.map((o) => o.createdAt)).toEqual([5, 4, 3, 2, 1].map((d) => `2025-12-0${d}T10:00:00.000Z`));
      expect(new Set(seen.map((o) => o.id))).toEqual(new Set(mine.map((o) => o.id)));
    });

    it('an unknown user has an empty page; a forged cursor or a silly limit is a ValidationError', async () => {
      expect(await repo().byUser(randomUUID())).toEqual({ orders: [], nextCursor: null });
      await expect(repo().byUser(randomUUID(), { cursor: 'garbage' })).rejects.toBeInstanceOf(
        ValidationError,
      );
      await expect(repo().list({ limit: 0 })).rejects.toBeInstanceOf(ValidationError);
    });

    it('list sees indexed orders and the user and guest orders written before orders:index existed', async () => {
      const u = await raw.user();
      const early = stripeOrder({ userId: u.id, createdAt: '2025-11-29T10:00:00.000Z' });
      delete early.isGuest;
      const earlyGuest = stripeOrder({ id: `manual-${short()}`, createdAt: '2025-12-03T12:00:00.000Z' });
      const recent = stripeOrder();
      await raw.orders().seedOrder(early, { indexed: false });
      await raw.orders().seedOrder(earlyGuest, { indexed: false, listTimes: 2 });
      await repo().create(recent);
      const mine = [early.id, earlyGuest.id, recent.id];
      const seen: Order[] = [];
      let cursor: string | undefined;
      do {
        const page = await repo().list({ limit: 3, ...(cursor ? { cursor } : {}) });
        seen.push(...page.orders);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen.filter((o) => mine.includes(o.id)).map((o) => o.id)).toEqual([
        recent.id,
        earlyGuest.id,
        early.id,
      ]);
      expect(new Set(seen.map((o) => o.id)).size).toBe(seen.length);
      const stamps = seen.map((o) => o.createdAt);
      expect(stamps).toEqual([...stamps].sort().reverse());
    });

    it('guest lookups lower-case without trimming, as the store keyed its lists', async () => {
      const order = stripeOrder({ email: `Guest.${short()}@Example.com` });
      await repo().create(order);
      expect((await repo().guestByEmail(order.email.toLowerCase())).map((o) => o.id)).toEqual([order.id]);
      expect(await repo().guestByEmail(` ${order.email}`)).toEqual([]);
    });
  });

  describe('shipping', () => {
    it('sets and removes the shipping fields', async () => {
      const order = stripeOrder();
      await repo().create(order);
      const shipped = await repo().updateShipping(order.id, {
        trackingNumber: '1Z999AA10123456784',
        shippingStatus: 'shipped',
        shippedAt: '2025-12-20T09:00:00.000Z',
      });
      expect(shipped).toEqual({
        ...order,
        trackingNumber: '1Z999AA10123456784',
        shippingStatus: 'shipped',
        shippedAt: '2025-12-20T09:00:00.000Z',
      });
      expect(await raw.orders().order(order.id)).toEqual(shipped);
      const cleared = await repo().updateShipping(order.id, {
        trackingNumber: null,
        shippingStatus: 'delivered',
      });
      expect(cleared.trackingNumber).toBeUndefined();
      expect(await raw.orders().order(order.id)).toEqual(cleared);
      expect(await raw.orders().bookkeepingOk(order.id)).toBe(true);
    });

    it('rejects an unknown status and a missing order', async () => {
      const order = stripeOrder();
      await repo().create(order);
      await expect(
        repo().updateShipping(order.id, { shippingStatus: 'lost' as never }),
      ).rejects.toBeInstanceOf(ValidationError);
      expect(await raw.orders().order(order.id)).toEqual(order);
      await expect(
        repo().updateShipping('cs_test_none', { shippingStatus: 'shipped' }),
      ).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe('complete', () => {
    it('completes once and awards the points once, with the order id on the ledger entry', async () => {
      const u = await raw.user(10);
      const order = stripeOrder({ userId: u.id, isGuest: false, pointsEarned: 25 });
      await repo().create(order);
      const done = await repo().complete(order.id);
      expect(done.status).toBe('completed');
      expect(done.completedAt).toBeDefined();
      expect(await repo().complete(order.id)).toEqual(done);
      expect(await raw.orders().order(order.id)).toEqual(done);
      expect((await raw.people().user(u.id))?.points).toBe(35);
      const ledger = await raw.people().ledger(u.id);
      expect(ledger).toHaveLength(1);
      expect(ledger[0]).toMatchObject({
        amount: 25,
        type: 'earn',
        orderId: order.id,
        description: `Purchase #${order.id.slice(0, 8)}`,
      });
    });

    it('guests and deleted users earn nothing, but the order completes', async () => {
      const guest = stripeOrder();
      await repo().create(guest);
      expect((await repo().complete(guest.id)).status).toBe('completed');
      const ghostId = randomUUID();
      const orphan = stripeOrder({ userId: ghostId, isGuest: false });
      await repo().create(orphan);
      expect((await repo().complete(orphan.id)).status).toBe('completed');
      expect(await raw.people().ledger(ghostId)).toEqual([]);
    });

    it('completing a missing order is NotFoundError', async () => {
      await expect(repo().complete('cs_test_nothing')).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe('delete', () => {
    it('removes the order and its index entries but keeps the ledger', async () => {
      const u = await raw.user();
      const order = stripeOrder({ userId: u.id, isGuest: false });
      await raw.orders().seedOrder(order, { listTimes: 2 });
      await repo().complete(order.id);
      expect(await repo().delete(order.id)).toBe(true);
      expect(await raw.orders().order(order.id)).toBeNull();
      expect(await raw.orders().indexing(order.id)).toEqual({ indexed: false, ownerEntries: 0 });
      expect((await repo().byUser(u.id)).orders).toEqual([]);
      expect(await raw.people().ledger(u.id)).toHaveLength(1);
      expect(await repo().delete(order.id)).toBe(false);
    });
  });

  describe('linkGuestOrders', () => {
    it('links the guest orders of the e-mail once, with retroactive points for completed ones', async () => {
      const u = await raw.user(0);
      const email = `Mixed.${short()}@Case.com`;
      const paid = stripeOrder({ email, pointsEarned: 12, createdAt: '2025-12-10T10:00:00.000Z' });
      const open = stripeOrder({
        email: email.toUpperCase(),
        pointsEarned: 5,
        createdAt: '2025-12-11T10:00:00.000Z',
      });
      const stranger = stripeOrder();
      for (const o of [paid, open, stranger]) await repo().create(o);
      await repo().complete(paid.id);

      const result = await repo().linkGuestOrders(u.id, `  ${email.toUpperCase()} `);
      expect(result.pointsAwarded).toBe(12);
      expect(result.linked.map((o) => o.id)).toEqual([open.id, paid.id]);
      for (const o of result.linked) expect(o).toMatchObject({ userId: u.id, isGuest: false });
      expect(await raw.orders().order(paid.id)).toMatchObject({ userId: u.id, isGuest: false, email });
      expect(await raw.orders().guestIds(email.toLowerCase())).toEqual([]);
      expect((await repo().byUser(u.id)).orders.map((o) => o.id)).toEqual([open.id, paid.id]);
      expect((await raw.people().user(u.id))?.points).toBe(12);
      const ledger = await raw.people().ledger(u.id);
      expect(ledger).toHaveLength(1);
      expect(ledger[0]).toMatchObject({
        amount: 12,
        type: 'earn',
        orderId: paid.id,
        description: `Retroactive points for order #${paid.id.slice(0, 8)}`,
      });
      expect(await raw.orders().order(stranger.id)).toEqual(stranger);

      expect(await repo().linkGuestOrders(u.id, email)).toEqual({ linked: [], pointsAwarded: 0 });
      expect((await raw.people().user(u.id))?.points).toBe(12);
    });

    it('refuses an unknown user or a malformed e-mail', async () => {
      await expect(repo().linkGuestOrders(randomUUID(), 'a@b.com')).rejects.toBeInstanceOf(NotFoundError);
      const u = await raw.user();
      await expect(repo().linkGuestOrders(u.id, 'not an email')).rejects.toBeInstanceOf(ValidationError);
    });
  });
});
