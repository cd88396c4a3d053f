import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PlaceOrderInput } from '../../src/domain/checkout.js';
import {
  ConflictError,
  InsufficientPointsError,
  InsufficientStockError,
  NotFoundError,
  PromotionExhaustedError,
  ValidationError,
} from '../../src/domain/errors.js';
import { commerce, short } from './fixtures/commerce.js';
import { rawFor, runContract } from './harness.js';
import { promotionsRaw } from './raw/promotions.js';

runContract('checkout', (ctx) => {
  const checkout = () => ctx().layer.checkout;
  const c = commerce(ctx);
  const promos = () => rawFor(ctx(), promotionsRaw);

  async function promotion(maxRedemptions: number | null = 5) {
    return ctx().layer.promotions.create({
      code: `CK${short()}`,
      name: 'Checkout test',
      type: 'percentage',
      discountPercent: 10,
      active: true,
      maxRedemptions,
    });
  }

  /** A user with 200 points, a product (base stock 5, variant stock 10), and a checkout of both stocks. */
  async function scene(over: Partial<PlaceOrderInput> = {}) {
    const user = await c.user(200);
    const product = await c.product({}, 10);
    const input: PlaceOrderInput = {
      orderId: `cs_test_${short()}`,
      userId: user.id,
      email: user.email,
      lines: [
        { slug: product.slug, variantId: 'standard-vanilla', quantity: 2, priceCents: 4998 },
        { slug: product.slug, quantity: 1, priceCents: 2499, productName: 'Named by the caller' },
      ],
      shippingCents: 599,
      taxCents: 120,
      ...over,
    };
    return { user, product, input };
  }

  /** Everything a failed checkout must leave as it was. */
  async function snapshot(s: Awaited<ReturnType<typeof scene>>, promotionId?: string) {
    return {
      variant: await c.variantStock(s.product.slug),
      base: await c.baseStock(s.product.slug),
      points: await c.points(s.user.id),
      ledger: (await c.people().ledger(s.user.id)).length,
      order: await c.orders().order(s.input.orderId),
      promo: promotionId ? (await promos().promotion(promotionId))?.currentRedemptions : undefined,
    };
  }

  describe('placeOrder', () => {
    it('decrements stock, redeems points and the promotion, writes and completes the order, awards points', async () => {
      const s = await scene();
      const promo = await promotion();
      const { order, replayed } = await checkout().placeOrder({
        ...s.input,
        pointsToRedeem: 50,
        promotionCode: promo.code.toLowerCase(),
      });
      expect(replayed).toBe(false);
      expect(order).toMatchObject({
        id: s.input.orderId,
        userId: s.user.id,
        isGuest: false,
        status: 'completed',
        productSubtotalCents: 7497,
        totalCents: 7497 + 599 + 120,
        pointsEarned: 75,
        pointsRedeemed: 50,
        promotionId: promo.id,
      });
      expect(order.items.map((i) => i.productName)).toEqual([s.product.name, 'Named by the caller']);
      expect(await c.orders().order(order.id)).toEqual(order);
      expect(await c.orders().indexing(order.id)).toEqual({ indexed: true, ownerEntries: 1 });
      expect(await c.variantStock(s.product.slug)).toBe(8);
      expect(await c.baseStock(s.product.slug)).toBe(4);
      expect(await c.points(s.user.id)).toBe(200 - 50 + 75);
      const ledger = await c.people().ledger(s.user.id);
      expect(ledger.map((t) => [t.type, t.amount, t.orderId]).sort()).toEqual(
        [
          ['earn', 75, order.id],
          ['redeem', -50, undefined],
        ].sort(),
      );
      expect((await promos().promotion(promo.id))?.currentRedemptions).toBe(1);
      expect((await ctx().layer.orders.byUser(s.user.id)).orders.map((o) => o.id)).toEqual([order.id]);
    });

    it('a replay returns the stored order and changes nothing', async () => {
      const s = await scene();
      const promo = await promotion();
      const input = { ...s.input, pointsToRedeem: 10, promotionId: promo.id };
      const first = await checkout().placeOrder(input);
      const before = await snapshot(s, promo.id);
      const again = await checkout().placeOrder({ ...input, createdAt: '2026-01-01T00:00:00.000Z' });
      expect(again).toEqual({ order: first.order, replayed: true });
      expect(await snapshot(s, promo.id)).toEqual(before);
      expect(await c.orders().indexing(input.orderId)).toEqual({ indexed: true, ownerEntries: 1 });
    });

    it('a replay with other quantities is a ConflictError and changes nothing', async () => {
      const s = await scene();
      await checkout().placeOrder(s.input);
      const before = await snapshot(s);
      const changed = { ...s.input, lines: [{ ...s.input.lines[0]!, quantity: 3 }] };
      await expect(checkout().placeOrder(changed)).rejects.toBeInstanceOf(ConflictError);
      expect(await snapshot(s)).toEqual(before);
    });

    it('a guest checkout files the order under the e-mail and awards nothing', async () => {
      const s = await scene();
      const { userId: _u, ...guestInput } = s.input;
      const email = `Guest.${short()}@Example.com`;
      const { order } = await checkout().placeOrder({ ...guestInput, email });
      expect(order).toMatchObject({ isGuest: true, status: 'completed', email });
      expect(order.userId).toBeUndefined();
      expect((await ctx().layer.orders.guestByEmail(email)).map((o) => o.id)).toEqual([order.id]);
    });

    it('complete: false leaves a pending order without points; completing later awards them', async () => {
      const s = await scene();
      const { order } = await checkout().placeOrder({ ...s.input, complete: false });
      expect(order.status).toBe('pending');
      expect(await c.points(s.user.id)).toBe(200);
      await ctx().layer.orders.complete(order.id);
      expect(await c.points(s.user.id)).toBe(275);
    });
  });

  describe('all or nothing', () => {
    it('too little stock on one line leaves every stock, the points, the promotion and the order untouched', async () => {
      const s = await scene();
      const promo = await promotion();
      const before = await snapshot(s, promo.id);
      const input = {
        ...s.input,
        pointsToRedeem: 20,
        promotionId: promo.id,
        lines: [...s.input.lines, { slug: s.product.slug, quantity: 99, priceCents: 1 }],
      };
      await expect(checkout().placeOrder(input)).rejects.toBeInstanceOf(InsufficientStockError);
      expect(await snapshot(s, promo.id)).toEqual(before);
      expect(before.order).toBeNull();
    });

    it('a promotion at its limit fails after the stock was checked, and the stock stays', async () => {
      const s = await scene();
      const promo = await promotion(1);
      await ctx().layer.promotions.redeem(promo.id);
      const before = await snapshot(s, promo.id);
      await expect(checkout().placeOrder({ ...s.input, promotionId: promo.id })).rejects.toBeInstanceOf(
        PromotionExhaustedError,
      );
      expect(await snapshot(s, promo.id)).toEqual(before);
    });

    it('too few points fails with InsufficientPointsError and changes nothing', async () => {
      const s = await scene();
      const before = await snapshot(s);
      await expect(checkout().placeOrder({ ...s.input, pointsToRedeem: 201 })).rejects.toBeInstanceOf(
        InsufficientPointsError,
      );
      expect(await snapshot(s)).toEqual(before);
    });

    it('unknown products, users and promotion codes are NotFoundError, with nothing written', async () => {
      const s = await scene();
      const before = await snapshot(s);
      const unknownSlug = {
        ...s.input,
        lines: [...s.input.lines, { slug: `no-such-${short()}`, quantity: 1, priceCents: 1 }],
      };
      await expect(checkout().placeOrder(unknownSlug)).rejects.toBeInstanceOf(NotFoundError);
      await expect(checkout().placeOrder({ ...s.input, promotionCode: 'NOPE-NOPE' })).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await expect(checkout().placeOrder({ ...s.input, userId: randomUUID() })).rejects.toBeInstanceOf(
        NotFoundError,
      );
      expect(await snapshot(s)).toEqual(before);
    });

    it.each([
      [
        'a zero quantity',
        (i: PlaceOrderInput) => ({ ...i, lines: [{ ...i.lines[0]!, quantity: 0 }] }),
        'lines[0].quantity',
      ],
      ['a malformed e-mail', (i: PlaceOrderInput) => ({ ...i, email: 'buyer at example' }), 'email'],
      [
        'an unknown payment method',
        (i: PlaceOrderInput) => ({ ...i, paymentMethod: 'iou' as never }),
        'paymentMethod',
      ],
      ['no lines', (i: PlaceOrderInput) => ({ ...i, lines: [] }), 'lines'],
      [
        'a guest redeeming points',
        (i: PlaceOrderInput) => ({ ...i, userId: undefined, pointsToRedeem: 5 }),
        'pointsToRedeem',
      ],
      ['an oversized note', (i: PlaceOrderInput) => ({ ...i, notes: 'n'.repeat(2001) }), 'notes'],
    ])(
      'rejects %s with a ValidationError naming the field, writing nothing',
      async (_what, mutate, field) => {
        const s = await scene();
        const before = await snapshot(s);
        const err = await checkout()
          .placeOrder(mutate(s.input))
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ValidationError);
        expect((err as ValidationError).field).toBe(field);
        expect(await snapshot(s)).toEqual(before);
      },
    );
  });
});
