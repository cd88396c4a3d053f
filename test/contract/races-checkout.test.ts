/**
 * Concurrency of promotions, checkout, order completion and refund completion on real servers, over
 * several connections (Redis: separate clients sharing the prefix; Postgres: a pool of 10).
 */
import { expect, it } from 'vitest';
import { ConflictError, InsufficientStockError, PromotionExhaustedError } from '../../src/domain/errors.js';
import { commerce, short, stripeOrder } from './fixtures/commerce.js';
import { outcomes, together, useLayers } from './fixtures/concurrency.js';
import { rawFor, runContract, selectedTargets } from './harness.js';
import { promotionsRaw } from './raw/promotions.js';

const targets = selectedTargets().filter((t) => t === 'redis' || t === 'postgres');

runContract(
  'checkout races',
  (ctx) => {
    const layers = useLayers(ctx, 5);
    const c = commerce(ctx);
    const promos = () => rawFor(ctx(), promotionsRaw);
    const promotion = (maxRedemptions: number | null) =>
      ctx().layer.promotions.create({
        code: `RACE${short()}`,
        name: 'Race',
        type: 'fixed_amount',
        discountAmountCents: 100,
        active: true,
        maxRedemptions,
      });

    it('100 parallel redemptions of a promotion limited to 10: exactly 10 count', async () => {
      const p = await promotion(10);
      const { ok, errors } = outcomes(
        await together(layers(), 100, (layer) => layer.promotions.redeem(p.id)),
      );
      expect(ok).toHaveLength(10);
      expect(errors).toHaveLength(90);
      expect(errors.every((e) => e instanceof PromotionExhaustedError)).toBe(true);
      expect(new Set(ok.map((r) => r.currentRedemptions))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
      expect((await promos().promotion(p.id))?.currentRedemptions).toBe(10);
    });

    it('10 parallel creates of one code: never two holders on a backend that enforces it, one lookup result everywhere', async () => {
      const code = `SAME${short()}`;
      const settled = await together(layers(), 10, (layer) =>
        layer.promotions.create({ code, name: 'Dup', type: 'percentage', discountPercent: 5, active: true }),
      );
      const { ok, errors } = outcomes(settled);
      expect(errors.every((e) => e instanceof ConflictError)).toBe(true);
      expect(ok.length).toBeGreaterThanOrEqual(1);
      if (ctx().capabilities.uniquePromotionCodeUnderConcurrency) expect(ok).toHaveLength(1);
      // Whatever got through, the code resolves to one of them, the same one on every read.
      const found = await ctx().layer.promotions.getByCode(code.toLowerCase());
      expect(ok.map((p) => p.id)).toContain(found?.id);
      expect((await ctx().layer.promotions.getByCode(code))?.id).toBe(found?.id);
    });

    it('200 parallel checkouts of one unit of a variant with stock 50 sell exactly 50 and leave nothing behind', async () => {
      const product = await c.product({}, 50);
      const promo = await promotion(null);
      const buyers = await Promise.all(Array.from({ length: 200 }, () => c.user(10)));
      const orderIds = buyers.map(() => `cs_test_${short()}`);
      const settled = await together(layers(), 200, (layer, i) =>
        layer.checkout.placeOrder({
          orderId: orderIds[i]!,
          userId: buyers[i]!.id,
          email: buyers[i]!.email,
          lines: [{ slug: product.slug, variantId: 'standard-vanilla', quantity: 1, priceCents: 2499 }],
          pointsToRedeem: 5,
          promotionId: promo.id,
        }),
      );
      const { ok, errors } = outcomes(settled);
      expect(ok).toHaveLength(50);
      expect(errors).toHaveLength(150);
      expect(errors.every((e) => e instanceof InsufficientStockError)).toBe(true);
      expect(await c.variantStock(product.slug)).toBe(0);
      expect((await promos().promotion(promo.id))?.currentRedemptions).toBe(50);
      for (const [i, s] of settled.entries()) {
        const sold = s.status === 'fulfilled';
        expect(await c.orders().order(orderIds[i]!)).toEqual(sold ? s.value.order : null);
        // Winners: 10 - 5 redeemed + 25 earned; losers keep their 10 and have no ledger entry.
        expect(await c.points(buyers[i]!.id)).toBe(sold ? 30 : 10);
        expect(await c.people().ledger(buyers[i]!.id)).toHaveLength(sold ? 2 : 0);
      }
    }, 60_000);

    it('20 parallel deliveries of one checkout taking the last units: one order, 19 replays, no false sold-out', async () => {
      const product = await c.product({}, 3);
      const input = {
        orderId: `cs_test_${short()}`,
        email: `replay.${short()}@example.com`,
        lines: [{ slug: product.slug, variantId: 'standard-vanilla', quantity: 3, priceCents: 7497 }],
      };
      const { ok, errors } = outcomes(
        await together(layers(), 20, (layer) => layer.checkout.placeOrder(input)),
      );
      expect(errors).toEqual([]);
      expect(ok.filter((r) => !r.replayed)).toHaveLength(1);
      expect(new Set(ok.map((r) => JSON.stringify(r.order))).size).toBe(1);
      expect(await c.variantStock(product.slug)).toBe(0);
      expect(await c.orders().indexing(input.orderId)).toEqual({ indexed: true, ownerEntries: 1 });
    });

    it('20 parallel completions of one order award its points once', async () => {
      const u = await c.user(0);
      const order = stripeOrder({ userId: u.id, isGuest: false, pointsEarned: 40 });
      await ctx().layer.orders.create(order);
      const { ok, errors } = outcomes(
        await together(layers(), 20, (layer) => layer.orders.complete(order.id)),
      );
      expect(errors).toEqual([]);
      expect(new Set(ok.map((o) => o.completedAt)).size).toBe(1);
      expect(await c.points(u.id)).toBe(40);
      expect(await c.people().ledger(u.id)).toHaveLength(1);
    });

    it('20 parallel completions of one refund restock and deduct once', async () => {
      const u = await c.user(100);
      const product = await c.product({}, 0);
      const order = stripeOrder({
        userId: u.id,
        isGuest: false,
        status: 'completed',
        completedAt: '2025-12-18T21:40:06.000Z',
        pointsEarned: 30,
        items: [
          {
            productSlug: product.slug,
            productName: product.name,
            quantity: 2,
            priceCents: 4998,
            variantId: 'standard-vanilla',
          },
        ],
      });
      await c.orders().seedOrder(order);
      const refund = await ctx().layer.refunds.create({ orderId: order.id, reason: 'damaged_product' });
      const { ok, errors } = outcomes(
        await together(layers(), 20, (layer) => layer.refunds.completeRefund(refund.id)),
      );
      expect(errors).toEqual([]);
      expect(ok.filter((r) => r.applied)).toHaveLength(1);
      expect(await c.variantStock(product.slug)).toBe(2);
      expect(await c.points(u.id)).toBe(70);
    });
  },
  targets,
);
