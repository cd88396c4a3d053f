/**
 * Promotions (§4.6): every type (percentage, fixed_amount, quantity_discount, bogo) and every
 * targeting mode, with the fields each type sets.
 */
import { PROMOTION_TYPES, USER_TARGETINGS } from '../../domain/promotion.js';
import type { GenContext } from './context.js';
import { promotionId } from './ids.js';
import type { Rng } from './prng.js';
import { DAY, iso, MINUTE, T } from './timeline.js';
import { userIdentity } from './user-orders.js';

const WORDS = ['WELCOME', 'CANDLE', 'DESERT', 'HOLIDAY', 'GLOW', 'BOTTLE', 'SPRING', 'CACTUS'];

/** Planted anomalies for one promotion. */
export interface PromotionVariant {
  /** A code set by PATCH (lower case, or equal to another promotion's code). */
  code?: string;
  nulls?: boolean;
  extraKey?: boolean;
  fractionalPercent?: boolean;
  danglingSlug?: string;
  danglingUserId?: string;
}

/** Midnight UTC of a day, as the date picker stores it. */
const midnight = (ms: number) => iso(Math.floor(ms / DAY) * DAY);

export function buildPromotion(
  ctx: GenContext,
  rng: Rng,
  i: number,
  v: PromotionVariant = {},
): Record<string, unknown> {
  const type = PROMOTION_TYPES[i % PROMOTION_TYPES.length]!;
  const createdMs = rng.between(T.promotions, ctx.nowMs - MINUTE);
  const targeting = i < USER_TARGETINGS.length ? USER_TARGETINGS[i]! : rng.pick(USER_TARGETINGS);
  const stripe = type === 'percentage' || type === 'fixed_amount';
  const products = ctx.catalogue.products;
  const slugs = rng.chance(0.3) ? rng.sample(products, rng.int(1, 3)).map((p) => p.slug) : undefined;
  const users = Math.max(1, ctx.counts.users);
  const targetUserIds =
    targeting === 'specific_users'
      ? Array.from({ length: rng.int(1, 3) }, () => userIdentity(ctx, `u${rng.int(0, users - 1)}`).id)
      : undefined;
  const updatedMs = rng.chance(0.3) ? rng.between(createdMs, ctx.nowMs - MINUTE) : createdMs;
  const record: Record<string, unknown> = {
    id: promotionId(rng, createdMs),
    stripeCouponId: stripe ? rng.base62(8) : undefined,
    stripePromotionCodeId: stripe ? `promo_1${rng.base62(23)}` : undefined,
    code: v.code ?? `${rng.pick(WORDS)}${i + 1}`,
    name: `${rng.pick(['Welcome', 'Holiday', 'Flash', 'Loyalty'])} ${type.replace('_', ' ')}`,
    description: rng.chance(0.6) ? 'Limited-time offer' : undefined,
    trigger: rng.chance(0.8) ? 'code_required' : 'automatic',
    type,
    discountPercent:
      type === 'percentage' || type === 'quantity_discount'
        ? v.fractionalPercent
          ? 12.5
          : rng.pick([10, 15, 20, 25])
        : undefined,
    discountAmountCents: type === 'fixed_amount' ? rng.pick([500, 1000]) : undefined,
    minQuantity: type === 'quantity_discount' ? 3 : type === 'bogo' ? rng.int(1, 2) : undefined,
    applyToQuantity: type === 'bogo' ? 1 : undefined,
    minOrderAmountCents: rng.chance(0.3) ? 5000 : undefined,
    maxRedemptions: rng.chance(0.4) ? rng.pick([50, 100, 500]) : undefined,
    maxRedemptionsPerCustomer: rng.chance(0.3) ? 1 : undefined,
    applicableProductSlugs: v.danglingSlug ? [...(slugs ?? []), v.danglingSlug] : slugs,
    userTargeting: targeting,
    targetUserIds: v.danglingUserId ? [...(targetUserIds ?? []), v.danglingUserId] : targetUserIds,
    minOrderCount: targeting === 'order_count' ? rng.int(2, 5) : undefined,
    minLifetimeSpendCents: targeting === 'lifetime_spend' ? rng.pick([10000, 25000]) : undefined,
    startsAt: rng.chance(0.5) ? midnight(createdMs) : undefined,
    expiresAt: rng.chance(0.5) ? midnight(createdMs + rng.int(7, 90) * DAY) : undefined,
    active: rng.chance(0.8),
    currentRedemptions: rng.int(0, 40),
    createdAt: iso(createdMs),
    updatedAt: iso(updatedMs),
  };
  if (v.nulls) {
    // A PATCH body with cleared inputs.
    record.description = null;
    record.maxRedemptions = null;
    record.expiresAt = null;
  }
  if (v.extraKey) {
    record.discountType = 'percentage';
    record.discountValue = 10;
  }
  return record;
}

export function emitPromotion(ctx: GenContext, p: Record<string, unknown>, index = true): string {
  const key = ctx.keys.promotion(p.id as string);
  ctx.out.json('promotion', key, p);
  if (index) ctx.index.add('promotionsIndex', ctx.keys.promotionsIndex(), p.id as string);
  return key;
}

export function promotionsSection(ctx: GenContext): void {
  for (let i = 0; i < ctx.counts.promotions; i++)
    emitPromotion(ctx, buildPromotion(ctx, ctx.rng('promotion', i), i));
  ctx.index.flush();
}
