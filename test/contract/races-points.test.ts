/**
 * Concurrency of the points ledger on real servers, over several connections: parallel redemptions
 * never overdraw, and the balance always equals the sum of the ledger entries this layer wrote.
 */
import { describe, expect, it } from 'vitest';
import { InsufficientPointsError } from '../../src/domain/errors.js';
import { outcomes, together, useLayers } from './fixtures/concurrency.js';
import { newUser } from './fixtures/accounts.js';
import { rawFor, runContract, selectedTargets } from './harness.js';
import { pointsRaw } from './raw/points.js';

const targets = selectedTargets().filter((t) => t === 'redis' || t === 'postgres');

runContract(
  'points races',
  (ctx) => {
    const layers = useLayers(ctx);
    const raw = () => rawFor(ctx(), pointsRaw);
    const userWith = async (points: number) => {
      const u = await ctx().layer.users.create(newUser());
      if (points > 0) await ctx().layer.points.earn(u.id, points, 'Purchase #cs_live_');
      return u;
    };
    const ledgerSum = async (userId: string) =>
      (await raw().ledger(userId)).reduce((s, t) => s + t.amount, 0);

    describe('parallel redemptions', () => {
      it('100 redemptions of 10 from 500: exactly 50 succeed and the balance ends at 0', async () => {
        const u = await userWith(500);
        const settled = await together(layers(), 100, (layer) =>
          layer.points.redeem(u.id, 10, 'Redeemed for order #x'),
        );
        const { ok, errors } = outcomes(settled);
        expect(ok).toHaveLength(50);
        expect(errors).toHaveLength(50);
        for (const e of errors) expect(e).toBeInstanceOf(InsufficientPointsError);
        expect(ok.every((c) => c.balance >= 0)).toBe(true);
        // Every success saw a distinct balance: no two redemptions spent the same points.
        expect(new Set(ok.map((c) => c.balance)).size).toBe(50);
        expect(await raw().balance(u.id)).toBe(0);
        expect(await ledgerSum(u.id)).toBe(0);
        expect(await raw().ledger(u.id)).toHaveLength(51);
      });

      it('100 redemptions of 1000 from 50: none succeeds and nothing is written', async () => {
        const u = await userWith(50);
        const settled = await together(layers(), 100, (layer) => layer.points.redeem(u.id, 1000, 'Redeemed'));
        const { ok, errors } = outcomes(settled);
        expect(ok).toHaveLength(0);
        for (const e of errors) expect(e).toBeInstanceOf(InsufficientPointsError);
        expect(await raw().balance(u.id)).toBe(50);
        expect(await raw().ledger(u.id)).toHaveLength(1);
      });
    });

    describe('mixed changes', () => {
      it('earns, redemptions and refund deductions at once: balance = Σ ledger, every success recorded once', async () => {
        const u = await userWith(100);
        const settled = await together(layers(), 90, (layer, i) =>
          i % 3 === 0
            ? layer.points.earn(u.id, 7, 'Purchase #cs_live_')
            : i % 3 === 1
              ? layer.points.redeem(u.id, 11, 'Redeemed for order #cs_live_')
              : layer.points.deduct(u.id, 3, 'Refund for order #SQ1'),
        );
        const { ok, errors } = outcomes(settled);
        for (const e of errors) expect(e).toBeInstanceOf(InsufficientPointsError);
        const ledger = await raw().ledger(u.id);
        expect(ledger).toHaveLength(1 + ok.length);
        const ids = new Set(ledger.map((t) => t.id));
        for (const c of ok) expect(ids.has(c.transaction.id)).toBe(true);
        const balance = await raw().balance(u.id);
        expect(balance).toBe(await ledgerSum(u.id));
        expect(balance).toBe(100 + ok.reduce((s, c) => s + c.transaction.amount, 0));
        expect(await ctx().layer.points.balance(u.id)).toBe(balance);
      });
    });
  },
  targets,
);
