import type { Extra, IsoTimestamp } from './common.js';

export const PROMOTION_TRIGGERS = ['code_required', 'automatic'] as const;
export type PromotionTrigger = (typeof PROMOTION_TRIGGERS)[number];

export const PROMOTION_TYPES = ['percentage', 'fixed_amount', 'quantity_discount', 'bogo'] as const;
export type PromotionType = (typeof PROMOTION_TYPES)[number];

export const USER_TARGETINGS = [
  'all',
  'first_time',
  'returning',
  'specific_users',
  'order_count',
  'lifetime_spend',
] as const;
export type UserTargeting = (typeof USER_TARGETINGS)[number];

/**
 * A promotion, `promotion:{promotionId}` (§4.6). PATCH merges the request body, so optional fields may
 * hold `null` and unknown keys land in `extra`.
 */
export interface Promotion {
  /** `promo_{ms}_{base36}`. */
  id: string;
  stripeCouponId?: string | null;
  stripePromotionCodeId?: string | null;
  /** Upper-cased on create only; duplicates possible after a PATCH. */
  code: string;
  name: string;
  description?: string | null;
  trigger: PromotionTrigger;
  type: PromotionType;
  /** May be fractional. */
  discountPercent?: number | null;
  discountAmountCents?: number | null;
  minQuantity?: number | null;
  applyToQuantity?: number | null;
  minOrderAmountCents?: number | null;
  maxRedemptions?: number | null;
  maxRedemptionsPerCustomer?: number | null;
  applicableProductSlugs?: string[] | null;
  userTargeting: UserTargeting;
  targetUserIds?: string[] | null;
  minOrderCount?: number | null;
  minLifetimeSpendCents?: number | null;
  /** Midnight UTC from a date picker. */
  startsAt?: IsoTimestamp | null;
  expiresAt?: IsoTimestamp | null;
  active: boolean;
  /** Approximate (§7.5). */
  currentRedemptions: number;
  createdAt: IsoTimestamp;
  updatedAt: IsoTimestamp;
  extra?: Extra;
}

/** Fields a caller may set on create; the rest (timestamps, counter, defaults) the repository fills. */
export type NewPromotion = Omit<
  Promotion,
  'id' | 'currentRedemptions' | 'createdAt' | 'updatedAt' | 'trigger' | 'userTargeting'
> & {
  /** Default `promo_{Date.now()}_{random}` like the store. */
  id?: string;
  /** Default `code_required`. */
  trigger?: PromotionTrigger;
  /** Default `all`. */
  userTargeting?: UserTargeting;
};

/**
 * A PATCH: `undefined` leaves a field, any other value (including `null`, as the store's PATCH
 * allowed) replaces it. The id, timestamps and redemption counter are not patchable.
 */
export type PromotionPatch = Partial<
  Omit<Promotion, 'id' | 'createdAt' | 'updatedAt' | 'currentRedemptions'>
>;

/**
 * Promotions. Codes are compared case-insensitively everywhere. Lists are newest first
 * (`createdAt` descending, then `id` descending).
 */
export interface PromotionRepository {
  /**
   * Creates a promotion with `code` upper-cased, `currentRedemptions` 0 and both timestamps now.
   * @throws ValidationError bad input (empty or oversized code/name, unknown type/trigger/targeting,
   *   negative amounts, malformed dates), nothing written.
   * @throws ConflictError another promotion already has this code (case-insensitively), or the id exists.
   */
  create(input: NewPromotion): Promise<Promotion>;
  /** The promotion, or null. */
  get(id: string): Promise<Promotion | null>;
  /**
   * The promotion whose code matches case-insensitively, or null. Legacy PATCHes could create
   * duplicates (§8.16): the oldest (`createdAt`, then `id`) wins, see {@link pickPromotionForCode}.
   */
  getByCode(code: string): Promise<Promotion | null>;
  /**
   * Merges the patch (`updatedAt` = now); a new code is upper-cased and must be unique.
   * @throws NotFoundError no such promotion. @throws ValidationError bad input.
   * @throws ConflictError the new code is taken by another promotion.
   */
  update(id: string, patch: PromotionPatch): Promise<Promotion>;
  /** Deletes the record and its index entry; false when there was none. */
  delete(id: string): Promise<boolean>;
  /** Every promotion, newest first; [] when none. */
  list(): Promise<Promotion[]>;
  /**
   * Counts one redemption atomically: `currentRedemptions` + 1 (and `updatedAt`) only while it is
   * below `maxRedemptions` (no limit when absent or null). Returns the updated promotion.
   * @throws NotFoundError no such promotion.
   * @throws PromotionInvalidError inactive, not started yet (`startsAt` > now) or expired (`expiresAt` ≤ now).
   * @throws PromotionExhaustedError the limit is reached; nothing is written.
   */
  redeem(promotionId: string): Promise<Promotion>;
}

/**
 * Which of several promotions sharing a code (case-insensitively) is "the" promotion of that code:
 * the oldest by `createdAt`, then the smallest `id`. The backfill uses the same rule to choose the
 * row that keeps the code unflagged in Postgres.
 */
export function pickPromotionForCode<P extends Pick<Promotion, 'code' | 'createdAt' | 'id'>>(
  candidates: readonly P[],
  code: string,
): P | null {
  const wanted = code.toUpperCase();
  let best: P | null = null;
  for (const p of candidates) {
    if (p.code.toUpperCase() !== wanted) continue;
    if (best === null || p.createdAt < best.createdAt || (p.createdAt === best.createdAt && p.id < best.id)) {
      best = p;
    }
  }
  return best;
}
