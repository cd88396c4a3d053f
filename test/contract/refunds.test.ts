import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from '../../src/domain/errors.js';
import type { Order } from '../../src/domain/order.js';
import type { Refund } from '../../src/domain/refund.js';
import { commerce, stripeOrder } from './fixtures/commerce.js';
import { rawFor, runContract } from './harness.js';
import { refundsRaw } from './raw/refunds.js';

runContract('refunds', (ctx) => {
  const repo = () => ctx().layer.refunds;
  const raw = () => rawFor(ctx(), refundsRaw);
  const c = commerce(ctx);

  /** A completed Square-style order over a stored variant product, a static-only slug and an unmapped line. */
  async function completedOrder(points = 100, over: Partial<Order> = {}) {
    const user = await c.user(points);
    const product = await c.product({}, 4);
    const order = stripeOrder({
      userId: user.id,
      isGuest: false,
      status: 'completed',
      completedAt: '2025-12-18T21:40:06.000Z',
      pointsEarned: 30,
      totalCents: 9000,
      items: [
        {
          productSlug: product.slug,
          productName: product.name,
          quantity: 2,
          priceCents: 4998,
          variantId: 'standard-vanilla',
        },
        { productSlug: product.slug, productName: product.name, quantity: 1, priceCents: 2499 },
        { productSlug: 'titos-candle', productName: "Tito's Candle", quantity: 1, priceCents: 2499 },
        {
          productSlug: `unmapped-price_${randomUUID().slice(0, 6)}`,
          productName: 'Gift (Not Listed)',
          quantity: 1,
          priceCents: 500,
        },
      ],
      ...over,
    });
    await c.orders().seedOrder(order);
    return { user, product, order };
  }

  describe('create', () => {
    it('creates a processing refund of every order item, copying e-mail, user and points from the order', async () => {
      const { user, order } = await completedOrder();
      const refund = await repo().create({
        orderId: order.id,
        reason: 'damaged_product',
        reasonNote: 'cracked',
      });
      expect(refund).toMatchObject({
        orderId: order.id,
        email: order.email,
        userId: user.id,
        amountCents: 9000,
        reason: 'damaged_product',
        reasonNote: 'cracked',
        status: 'processing',
        restoreInventory: true,
        pointsToDeduct: 30,
        processedBy: 'admin',
      });
      expect(refund.items).toEqual(
        order.items.map(({ priceCents, ...item }) => ({ ...item, refundAmountCents: priceCents })),
      );
      expect(await raw().refund(refund.id)).toEqual(refund);
      expect(await raw().listedIds()).toContain(refund.id);
      expect(await raw().orderRefundIds(order.id)).toEqual([refund.id]);
      expect(await raw().bookkeepingOk(refund.id)).toBe(true);
      expect(await repo().get(refund.id)).toEqual(refund);
    });

    it('a refund without restocking carries no points to deduct; a guest refund still records them', async () => {
      const { order } = await completedOrder();
      const noRestock = await repo().create({
        orderId: order.id,
        reason: 'other',
        amountCents: 100,
        restoreInventory: false,
      });
      expect(noRestock.pointsToDeduct).toBeUndefined();
      const guest = stripeOrder({
        status: 'completed',
        completedAt: '2025-12-18T21:41:00.000Z',
        pointsEarned: 7,
      });
      await c.orders().seedOrder(guest);
      const g = await repo().create({ orderId: guest.id, reason: 'quality_issue' });
      expect(g.userId).toBeUndefined();
      expect(g.pointsToDeduct).toBe(7);
    });

    it('refuses an order that is not completed or does not exist, writing nothing', async () => {
      const pending = stripeOrder();
      await c.orders().seedOrder(pending);
      await expect(repo().create({ orderId: pending.id, reason: 'other' })).rejects.toBeInstanceOf(
        ValidationError,
      );
      expect(await raw().orderRefundIds(pending.id)).toEqual([]);
      await expect(repo().create({ orderId: 'cs_test_nope', reason: 'other' })).rejects.toBeInstanceOf(
        NotFoundError,
      );
      expect(await raw().orderRefundIds('cs_test_nope')).toEqual([]);
    });

    it.each([
      ['an unknown reason', { reason: 'changed_mind' as never }, 'reason'],
      ['a zero amount', { amountCents: 0 }, 'amountCents'],
      ['fractional cents', { amountCents: 10.5 }, 'amountCents'],
      [
        'a negative item quantity',
        { items: [{ productSlug: 'x', productName: 'X', quantity: -1, refundAmountCents: 1 }] },
        'items[0].quantity',
      ],
    ])('rejects %s with a ValidationError, writing nothing', async (_what, over, field) => {
      const { order } = await completedOrder();
      const id = randomUUID();
      const err = await repo()
        .create({ id, orderId: order.id, reason: 'other', ...over })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).field).toBe(field);
      expect(await raw().refund(id)).toBeNull();
      expect(await raw().orderRefundIds(order.id)).toEqual([]);
    });

    it('refuses a second refund with an existing id', async () => {
      const { order } = await completedOrder();
      const first = await repo().create({ orderId: order.id, reason: 'other' });
      await expect(
        repo().create({ id: first.id, orderId: order.id, reason: 'other' }),
      ).rejects.toBeInstanceOf(ConflictError);
      expect(await raw().refund(first.id)).toEqual(first);
    });
  });

  describe('status', () => {
    it('records a failed processor outcome without stock or points changes', async () => {
      const { user, product, order } = await completedOrder();
      const refund = await repo().create({ orderId: order.id, reason: 'other' });
      const failed = await repo().setStatus(refund.id, 'failed');
      expect(failed).toEqual({ ...refund, status: 'failed' });
      expect(await raw().refund(refund.id)).toEqual(failed);
      expect(await c.variantStock(product.slug)).toBe(4);
      expect(await c.points(user.id)).toBe(100);
      await expect(repo().completeRefund(refund.id)).rejects.toBeInstanceOf(ConflictError);
      expect(await raw().refund(refund.id)).toEqual(failed);
    });

    it('completion only goes through completeRefund; unknown statuses and refunds are refused', async () => {
      const { order } = await completedOrder();
      const refund = await repo().create({ orderId: order.id, reason: 'other' });
      await expect(repo().setStatus(refund.id, 'completed')).rejects.toBeInstanceOf(ValidationError);
      await expect(repo().setStatus(refund.id, 'refunded' as never)).rejects.toBeInstanceOf(ValidationError);
      await expect(repo().setStatus(randomUUID(), 'failed')).rejects.toBeInstanceOf(NotFoundError);
      expect(await raw().refund(refund.id)).toEqual(refund);
    });
  });

  describe('completeRefund', () => {
    it('completes, restocks variant and base stock, copies in a static product, deducts points: once', async () => {
      const { user, product, order } = await completedOrder(100);
      const refund = await repo().create({ orderId: order.id, reason: 'damaged_product' });
      const done = await repo().completeRefund(refund.id, {
        stripeRefundId: 'sq_refund_1',
        processedAt: '2025-12-19T10:00:00.000Z',
      });
      expect(done.applied).toBe(true);
      expect(done.refund).toEqual({
        ...refund,
        status: 'completed',
        stripeRefundId: 'sq_refund_1',
        processedAt: '2025-12-19T10:00:00.000Z',
      });
      expect(done.restock.map((r) => r.status)).toEqual(['restored', 'restored', 'restored', 'skipped']);
      expect(done.restock[3]?.reason).toMatch(/does not exist/);
      expect(done.pointsDeducted).toBe(30);
      expect(await raw().refund(refund.id)).toEqual(done.refund);
      expect(await raw().bookkeepingOk(refund.id)).toBe(true);
      expect(await c.variantStock(product.slug)).toBe(6);
      expect(await c.baseStock(product.slug)).toBe(6);
      expect(await c.baseStock('titos-candle')).toBeGreaterThanOrEqual(1);
      expect(await c.points(user.id)).toBe(70);
      const ledger = await c.people().ledger(user.id);
      expect(ledger).toHaveLength(1);
      expect(ledger[0]).toMatchObject({
        amount: -30,
        type: 'admin_adjustment',
        description: `Refund for order #${order.id.slice(0, 8)}`,
      });
      expect(ledger[0]?.orderId).toBeUndefined();

      const again = await repo().completeRefund(refund.id);
      expect(again).toEqual({ refund: done.refund, applied: false, restock: [], pointsDeducted: 0 });
      expect(await c.variantStock(product.slug)).toBe(6);
      expect(await c.points(user.id)).toBe(70);
      await expect(repo().setStatus(refund.id, 'failed')).rejects.toBeInstanceOf(ConflictError);
    });

    it('may drive a balance negative; a guest order deducts nothing', async () => {
      const { user, order } = await completedOrder(5);
      const r = await repo().create({ orderId: order.id, reason: 'other', restoreInventory: true });
      expect((await repo().completeRefund(r.id)).pointsDeducted).toBe(30);
      expect(await c.points(user.id)).toBe(-25);

      const guest = stripeOrder({
        status: 'completed',
        completedAt: '2025-12-18T21:41:00.000Z',
        pointsEarned: 7,
        items: [],
      });
      await c.orders().seedOrder(guest);
      const g = await repo().create({ orderId: guest.id, reason: 'other' });
      expect(await repo().completeRefund(g.id)).toMatchObject({
        applied: true,
        restock: [],
        pointsDeducted: 0,
      });
    });

    it('completing a missing refund is NotFoundError', async () => {
      await expect(repo().completeRefund(randomUUID())).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe('lists', () => {
    it('byOrder and list are newest first and outlive the order', async () => {
      const { order } = await completedOrder();
      const legacy: Refund = {
        id: randomUUID(),
        orderId: order.id,
        email: order.email,
        amountCents: 100,
        reason: 'customer wanted a refund',
        status: 'failed',
        restoreInventory: false,
        createdAt: '2025-12-16T15:00:00.000Z',
        items: [],
      };
      await raw().seedRefund(legacy);
      const fresh = await repo().create({ orderId: order.id, reason: 'other' });
      expect((await repo().byOrder(order.id)).map((r) => r.id)).toEqual([fresh.id, legacy.id]);
      expect(await repo().get(legacy.id)).toEqual(legacy);
      const all = (await repo().list()).map((r) => r.id);
      expect(all.indexOf(fresh.id)).toBeLessThan(all.indexOf(legacy.id));
      await ctx().layer.orders.delete(order.id);
      expect((await repo().byOrder(order.id)).map((r) => r.id)).toEqual([fresh.id, legacy.id]);
      expect(await repo().byOrder('cs_test_none')).toEqual([]);
    });
  });
});
