import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  NotFoundError,
  PromotionExhaustedError,
  PromotionInvalidError,
  ValidationError,
} from '../../src/domain/errors.js';
import type { NewPromotion, Promotion } from '../../src/domain/promotion.js';
import { rawFor, runContract } from './harness.js';
import { promotionsRaw } from './raw/promotions.js';

const uniq = () => randomUUID().slice(0, 8).toUpperCase();
const DAY = 86_400_000;

function input(over: Partial<NewPromotion> = {}): NewPromotion {
  return {
    id: `promo_${Date.now()}_${uniq().toLowerCase()}`,
    code: `save${uniq()}`,
    name: 'Holiday sale',
    type: 'percentage',
    discountPercent: 12.5,
    active: true,
    ...over,
  };
}

/** A legacy record as the store's PATCH could leave it: explicit nulls and an unknown key. */
function legacyPromotion(over: Partial<Promotion> = {}): Promotion {
  return {
    id: `promo_1733500000000_${uniq().toLowerCase()}`,
    code: `OLD${uniq()}`,
    name: 'Legacy',
    description: null,
    trigger: 'automatic',
    type: 'fixed_amount',
    discountAmountCents: 500,
    maxRedemptions: null,
    userTargeting: 'all',
    active: true,
    currentRedemptions: 3,
    createdAt: '2025-12-06T10:00:00.000Z',
    updatedAt: '2025-12-06T10:00:00.000Z',
    extra: { bannerColor: '#ff0000' },
    ...over,
  };
}

runContract('promotions', (ctx) => {
  const repo = () => ctx().layer.promotions;
  const raw = () => rawFor(ctx(), promotionsRaw);

  describe('create and read', () => {
    it('upper-cases the code, fills the defaults and stores exactly what it returns', async () => {
      const before = Date.now();
      const p = await repo().create(input({ code: `winter-sale${uniq().toLowerCase()}` }));
      expect(p.code).toMatch(/^WINTER-SALE[0-9A-F]{8}$/);
      expect(p).toMatchObject({ trigger: 'code_required', userTargeting: 'all', currentRedemptions: 0 });
      expect(Date.parse(p.createdAt)).toBeGreaterThanOrEqual(before - 1000);
      expect(p.updatedAt).toBe(p.createdAt);
      expect(await raw().promotion(p.id)).toEqual(p);
      expect(await raw().listedIds()).toContain(p.id);
      expect(await raw().bookkeepingOk(p.id)).toBe(true);
      expect(await repo().get(p.id)).toEqual(p);
      expect(await repo().getByCode(p.code.toLowerCase())).toEqual(p);
    });

    it('generates a store-style id when none is given', async () => {
      const { id: _omit, ...rest } = input();
      const p = await repo().create(rest);
      expect(p.id).toMatch(/^promo_\d+_[0-9a-z]+$/);
      expect(await raw().promotion(p.id)).toEqual(p);
    });

    it('not found is null', async () => {
      expect(await repo().get('promo_missing')).toBeNull();
      expect(await repo().getByCode('NO-SUCH-CODE')).toBeNull();
    });

    it('refuses a code another promotion holds in any case, writing nothing', async () => {
      const first = await repo().create(input());
      const second = input({ code: first.code.toLowerCase() });
      await expect(repo().create(second)).rejects.toBeInstanceOf(ConflictError);
      expect(await raw().promotion(second.id!)).toBeNull();
      expect(await raw().listedIds()).not.toContain(second.id);
    });

    it('refuses a second promotion with an existing id', async () => {
      const first = await repo().create(input());
      await expect(repo().create(input({ id: first.id }))).rejects.toBeInstanceOf(ConflictError);
      expect(await raw().promotion(first.id)).toEqual(first);
    });

    it.each([
      ['an unknown type', { type: 'half_off' as never }, 'type'],
      ['an unknown targeting', { userTargeting: 'vips' as never }, 'userTargeting'],
      ['a negative limit', { maxRedemptions: -1 }, 'maxRedemptions'],
      ['an oversized name', { name: 'x'.repeat(201) }, 'name'],
      ['a code with spaces', { code: 'SAVE 10' }, 'code'],
      ['a malformed date', { expiresAt: '2025-13-01' }, 'expiresAt'],
    ])('rejects %s with a ValidationError naming the field, writing nothing', async (_what, over, field) => {
      const bad = input(over);
      const err = await repo()
        .create(bad)
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).field).toBe(field);
      expect(await raw().promotion(bad.id!)).toBeNull();
    });
  });

  describe('update and delete', () => {
    it('merges a patch, keeps legacy nulls and unknown keys, and moves updatedAt', async () => {
      const legacy = legacyPromotion();
      await raw().seed(legacy);
      const updated = await repo().update(legacy.id, {
        name: 'Renamed',
        code: `renamed${uniq().toLowerCase()}`,
      });
      expect(updated).toEqual({
        ...legacy,
        name: 'Renamed',
        code: updated.code,
        updatedAt: updated.updatedAt,
      });
      expect(updated.code).toBe(updated.code.toUpperCase());
      expect(updated.updatedAt > legacy.updatedAt).toBe(true);
      expect(await raw().promotion(legacy.id)).toEqual(updated);
      expect(await raw().bookkeepingOk(legacy.id)).toBe(true);
    });

    it('refuses a code held by another promotion and leaves the record alone', async () => {
      const a = await repo().create(input());
      const b = await repo().create(input());
      await expect(repo().update(b.id, { code: a.code.toLowerCase() })).rejects.toBeInstanceOf(ConflictError);
      expect(await raw().promotion(b.id)).toEqual(b);
    });

    it('refuses to patch the counter or an unknown enum value', async () => {
      const p = await repo().create(input());
      await expect(repo().update(p.id, { currentRedemptions: 0 } as never)).rejects.toBeInstanceOf(
        ValidationError,
      );
      await expect(repo().update(p.id, { trigger: 'sometimes' as never })).rejects.toBeInstanceOf(
        ValidationError,
      );
      expect(await raw().promotion(p.id)).toEqual(p);
    });

    it('update of a missing promotion is NotFoundError', async () => {
      await expect(repo().update('promo_none', { name: 'x' })).rejects.toBeInstanceOf(NotFoundError);
      expect(await raw().promotion('promo_none')).toBeNull();
    });

    it('delete removes the record and its index entry once', async () => {
      const p = await repo().create(input());
      expect(await repo().delete(p.id)).toBe(true);
      expect(await raw().promotion(p.id)).toBeNull();
      expect(await raw().listedIds()).not.toContain(p.id);
      expect(await repo().get(p.id)).toBeNull();
      expect(await repo().delete(p.id)).toBe(false);
    });
  });

  describe('list and lookups over legacy data', () => {
    it('lists newest first', async () => {
      const older = legacyPromotion({ createdAt: '2025-12-07T09:00:00.000Z' });
      const newer = legacyPromotion({ createdAt: '2025-12-08T09:00:00.000Z' });
      await raw().seed(older);
      await raw().seed(newer);
      const created = await repo().create(input());
      const ids = (await repo().list()).map((p) => p.id);
      expect(ids.indexOf(created.id)).toBeLessThan(ids.indexOf(newer.id));
      expect(ids.indexOf(newer.id)).toBeLessThan(ids.indexOf(older.id));
    });

    it('a code that legacy PATCHes duplicated resolves to the oldest holder', async () => {
      const code = `DUP${uniq()}`;
      const oldest = legacyPromotion({ code, createdAt: '2025-12-06T08:00:00.000Z' });
      const later = legacyPromotion({ code: code.toLowerCase(), createdAt: '2025-12-09T08:00:00.000Z' });
      // Postgres holds the backfill's choice: every holder but the oldest is flagged.
      await raw().seed(later, { duplicateCode: true });
      await raw().seed(oldest);
      expect((await repo().getByCode(code))?.id).toBe(oldest.id);
      expect((await repo().get(later.id))?.code).toBe(code.toLowerCase());
    });
  });

  describe('redeem', () => {
    it('counts redemptions up to the limit, then refuses without writing', async () => {
      const p = await repo().create(input({ maxRedemptions: 2 }));
      expect((await repo().redeem(p.id)).currentRedemptions).toBe(1);
      const second = await repo().redeem(p.id);
      expect(second.currentRedemptions).toBe(2);
      await expect(repo().redeem(p.id)).rejects.toBeInstanceOf(PromotionExhaustedError);
      expect(await raw().promotion(p.id)).toEqual(second);
    });

    it('a promotion without a limit (legacy null) keeps counting', async () => {
      const legacy = legacyPromotion();
      await raw().seed(legacy);
      const after = await repo().redeem(legacy.id);
      expect(after.currentRedemptions).toBe(legacy.currentRedemptions + 1);
      expect(after.maxRedemptions).toBeNull();
      expect(await raw().promotion(legacy.id)).toEqual(after);
      expect(await raw().bookkeepingOk(legacy.id)).toBe(true);
    });

    it.each([
      ['inactive', { active: false }],
      ['not started', { startsAt: new Date(Date.now() + 10 * DAY).toISOString() }],
      ['expired', { expiresAt: new Date(Date.now() - DAY).toISOString() }],
    ])('refuses an %s promotion with PromotionInvalidError', async (_what, over) => {
      const p = await repo().create(input(over));
      await expect(repo().redeem(p.id)).rejects.toBeInstanceOf(PromotionInvalidError);
      expect((await raw().promotion(p.id))?.currentRedemptions).toBe(0);
    });

    it('redeeming a missing promotion is NotFoundError', async () => {
      await expect(repo().redeem('promo_gone')).rejects.toBeInstanceOf(NotFoundError);
    });
  });
});
