import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InsufficientPointsError, NotFoundError, ValidationError } from '../../src/domain/errors.js';
import type { PointsTransaction } from '../../src/domain/points.js';
import { legacyUser, newUser } from './fixtures/accounts.js';
import { rawFor, runContract } from './harness.js';
import { pointsRaw } from './raw/points.js';
import { usersRaw } from './raw/users.js';

runContract('points', (ctx) => {
  const repo = () => ctx().layer.points;
  const raw = () => rawFor(ctx(), pointsRaw);
  const user = () => ctx().layer.users.create(newUser());
  /** A user holding `points`, earned through the repository. */
  const userWith = async (points: number) => {
    const u = await user();
    if (points > 0) await repo().earn(u.id, points, 'Purchase #cs_live_', `cs_live_${randomUUID()}`);
    return u;
  };

  describe('earn, redeem, deduct', () => {
    it('earns: balance, ledger entry and ledger index change together', async () => {
      const u = await user();
      const before = Date.now();
      const change = await repo().earn(u.id, 42, 'Purchase #cs_live_', 'cs_live_a1b2c3');
      expect(change.balance).toBe(42);
      expect(change.transaction).toMatchObject({
        userId: u.id,
        amount: 42,
        type: 'earn',
        description: 'Purchase #cs_live_',
        orderId: 'cs_live_a1b2c3',
      });
      expect(Date.parse(change.transaction.createdAt)).toBeGreaterThanOrEqual(before - 1000);
      expect(await repo().balance(u.id)).toBe(42);
      expect(await raw().balance(u.id)).toBe(42);
      expect(await raw().transaction(change.transaction.id)).toEqual(change.transaction);
      expect(await raw().ledger(u.id)).toEqual([change.transaction]);
      expect(await raw().bookkeepingOk(change.transaction.id)).toBe(true);
      expect(await raw().userRefResolves(change.transaction.id)).toBe(true);
      const stored = await ctx().layer.users.getById(u.id);
      expect(stored?.updatedAt).toBe(change.transaction.createdAt);
    });

    it('earns zero points (a zero-point order) as a ledger entry', async () => {
      const u = await user();
      const change = await repo().earn(u.id, 0, 'Purchase #MS0A1B2C');
      expect(change).toMatchObject({ balance: 0, transaction: { amount: 0, type: 'earn' } });
      expect(change.transaction).not.toHaveProperty('orderId');
      expect(await raw().ledger(u.id)).toEqual([change.transaction]);
    });

    it('redeems within the balance, storing a negative entry without orderId', async () => {
      const u = await userWith(100);
      const change = await repo().redeem(u.id, 60, 'Redeemed for order #cs_live_');
      expect(change.balance).toBe(40);
      expect(change.transaction).toMatchObject({ amount: -60, type: 'redeem' });
      expect(change.transaction).not.toHaveProperty('orderId');
      expect(await raw().balance(u.id)).toBe(40);
      expect((await raw().ledger(u.id))[0]).toEqual(change.transaction);
      expect(await raw().bookkeepingOk(change.transaction.id)).toBe(true);
      const all = await repo().redeem(u.id, 40, 'Redeemed for order #cs_live_');
      expect(all.balance).toBe(0);
    });

    it('refuses a redemption above the balance and writes nothing', async () => {
      const u = await userWith(30);
      const ledger = await raw().ledger(u.id);
      const err = await repo()
        .redeem(u.id, 31, 'Redeemed for order #cs_live_')
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InsufficientPointsError);
      expect((err as Error).message).toContain('balance 30');
      expect(await raw().balance(u.id)).toBe(30);
      expect(await raw().ledger(u.id)).toEqual(ledger);
    });

    it('deducts for a refund even below zero (admin_adjustment, no orderId)', async () => {
      const u = await userWith(10);
      const change = await repo().deduct(u.id, 25, 'Refund for order #SQ4F2A9B');
      expect(change.balance).toBe(-15);
      expect(change.transaction).toMatchObject({ amount: -25, type: 'admin_adjustment' });
      expect(change.transaction).not.toHaveProperty('orderId');
      expect(await raw().balance(u.id)).toBe(-15);
      expect(await repo().balance(u.id)).toBe(-15);
      // A negative balance cannot redeem.
      await expect(repo().redeem(u.id, 1, 'Redeemed for order #x')).rejects.toBeInstanceOf(
        InsufficientPointsError,
      );
    });

    it('a missing user is NotFoundError and nothing is written', async () => {
      const id = randomUUID();
      await expect(repo().earn(id, 5, 'Purchase #cs_live_')).rejects.toBeInstanceOf(NotFoundError);
      await expect(repo().redeem(id, 5, 'Redeemed')).rejects.toBeInstanceOf(NotFoundError);
      await expect(repo().deduct(id, 5, 'Refund')).rejects.toBeInstanceOf(NotFoundError);
      expect(await raw().ledger(id)).toEqual([]);
      expect(await repo().balance(id)).toBeNull();
      expect(await repo().history(id)).toEqual([]);
    });
  });

  describe('bad input', () => {
    it.each([
      ['amount', () => [-5, 'Purchase'] as const, 'earn'],
      ['amount', () => [2.5, 'Purchase'] as const, 'earn'],
      ['amount', () => [Number.NaN, 'Purchase'] as const, 'earn'],
      ['amount', () => [1_000_001, 'Purchase'] as const, 'earn'],
      ['amount', () => [0, 'Redeemed'] as const, 'redeem'],
      ['amount', () => [-10, 'Redeemed'] as const, 'redeem'],
      ['amount', () => [0, 'Refund'] as const, 'deduct'],
      ['description', () => [5, ''] as const, 'earn'],
      ['description', () => [5, 'x'.repeat(501)] as const, 'redeem'],
    ] as const)('refuses a bad %s and writes nothing', async (field, args, op) => {
      const u = await userWith(50);
      const ledger = await raw().ledger(u.id);
      const [amount, description] = args();
      const err = await repo()
        [op](u.id, amount, description)
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).field).toBe(field);
      expect(await raw().balance(u.id)).toBe(50);
      expect(await raw().ledger(u.id)).toEqual(ledger);
    });

    it('refuses an order id that cannot be a key, and bad paging', async () => {
      const u = await userWith(0);
      await expect(repo().earn(u.id, 1, 'Purchase', 'order:1')).rejects.toBeInstanceOf(ValidationError);
      await expect(repo().earn(u.id, 1, 'Purchase', '')).rejects.toBeInstanceOf(ValidationError);
      expect(await raw().ledger(u.id)).toEqual([]);
      await expect(repo().history(u.id, { limit: 0 })).rejects.toBeInstanceOf(ValidationError);
      await expect(repo().history(u.id, { offset: -1 })).rejects.toBeInstanceOf(ValidationError);
    });
  });

  describe('history', () => {
    it('is newest first with limit and offset', async () => {
      const u = await user();
      const made: PointsTransaction[] = [];
      for (let i = 1; i <= 5; i++) made.push((await repo().earn(u.id, i, `Purchase #${i}`)).transaction);
      made.push((await repo().redeem(u.id, 3, 'Redeemed for order #x')).transaction);
      const newestFirst = [...made].reverse();
      expect(await repo().history(u.id)).toEqual(newestFirst);
      expect(await repo().history(u.id, { limit: 2 })).toEqual(newestFirst.slice(0, 2));
      expect(await repo().history(u.id, { limit: 3, offset: 2 })).toEqual(newestFirst.slice(2, 5));
      expect(await repo().history(u.id, { offset: 10 })).toEqual([]);
      expect(await raw().ledger(u.id)).toEqual(newestFirst);
      expect(await repo().balance(u.id)).toBe(12);
    });

    it('reads a legacy ledger: the old `adjustment` type, unknown keys, an id whose record is missing', async () => {
      const legacy = legacyUser({ points: 40 });
      await rawFor(ctx(), usersRaw).seed(legacy);
      const earn: PointsTransaction = {
        id: randomUUID(),
        userId: legacy.id,
        amount: 50,
        type: 'earn',
        description: 'Purchase #cs_live_',
        orderId: 'cs_live_deleted_test_order',
        createdAt: '2025-12-10T10:00:00.000Z',
      };
      const adjustment: PointsTransaction = {
        id: randomUUID(),
        userId: legacy.id,
        amount: -10,
        type: 'adjustment',
        description: 'Refund for order #cs_live_',
        createdAt: '2025-12-16T14:52:00.000Z',
        extra: { note: 'legacy' },
      };
      await raw().seed(earn);
      await raw().seedDanglingLedgerId(legacy.id, randomUUID());
      await raw().seed(adjustment);
      expect(await repo().history(legacy.id)).toEqual([adjustment, earn]);
      // The stored balance is authoritative, even when it disagrees with the ledger (§8.5).
      expect(await repo().balance(legacy.id)).toBe(40);
      const change = await repo().earn(legacy.id, 5, 'Purchase #MS9F8E7D');
      expect(change.balance).toBe(45);
      expect(await repo().history(legacy.id, { limit: 1 })).toEqual([change.transaction]);
      expect(await ctx().layer.users.getById(legacy.id)).toMatchObject({ points: 45, extra: legacy.extra });
    });
  });
});
