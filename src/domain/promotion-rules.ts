/** Pure promotion rules shared by both backends: validation, building, patching and redeeming. */
import { randomBytes } from 'node:crypto';
import { compareNewestFirst, nextTimestamp } from './common.js';
import { PromotionExhaustedError, PromotionInvalidError, ValidationError } from './errors.js';
import { checkBoolean, checkNumber, checkObject, checkOneOf, checkTimestamp } from './field-checks.js';
import { requireExtra, requireId, requireInt, requireText } from './field-rules.js';
import {
  type NewPromotion,
  PROMOTION_TRIGGERS,
  PROMOTION_TYPES,
  type Promotion,
  type PromotionPatch,
  USER_TARGETINGS,
} from './promotion.js';

const CODE = /^[A-Z0-9_-]{1,50}$/;

/** Upper-cased code; letters, digits, `_` and `-` only, so JS and SQL case-folding agree. */
export function normaliseCode(code: unknown): string {
  const upper = requireText('code', code, { max: 50 }).toUpperCase();
  if (!CODE.test(upper))
    throw new ValidationError('code', `${JSON.stringify(code)} may hold only letters, digits, "_" and "-"`);
  return upper;
}

/** `promo_{Date.now()}_{random}` like the store's ids. */
export function newPromotionId(now: Date): string {
  return `promo_${now.getTime()}_${randomBytes(4).toString('hex')}`;
}

const COUNTS = [
  'discountAmountCents',
  'minQuantity',
  'applyToQuantity',
  'minOrderAmountCents',
  'maxRedemptions',
  'maxRedemptionsPerCustomer',
  'minOrderCount',
  'minLifetimeSpendCents',
] as const;
const MODELLED = new Set<string>([
  'id',
  'stripeCouponId',
  'stripePromotionCodeId',
  'code',
  'name',
  'description',
  'trigger',
  'type',
  'discountPercent',
  ...COUNTS,
  'applicableProductSlugs',
  'userTargeting',
  'targetUserIds',
  'startsAt',
  'expiresAt',
  'active',
  'currentRedemptions',
  'createdAt',
  'updatedAt',
]);

/** Checks every field present in `p` (a full promotion or a patch). */
function validateFields(p: PromotionPatch & { id?: string }): void {
  if (p.id !== undefined) requireId('id', p.id);
  if (p.code !== undefined) normaliseCode(p.code);
  if (p.name !== undefined) requireText('name', p.name, { max: 200 });
  for (const f of ['stripeCouponId', 'stripePromotionCodeId'] as const) if (p[f] != null) requireId(f, p[f]);
  if (p.description != null) requireText('description', p.description, { allowEmpty: true });
  if (p.trigger !== undefined) checkOneOf('trigger', p.trigger, PROMOTION_TRIGGERS);
  if (p.type !== undefined) checkOneOf('type', p.type, PROMOTION_TYPES);
  if (p.userTargeting !== undefined) checkOneOf('userTargeting', p.userTargeting, USER_TARGETINGS);
  if (p.discountPercent != null) checkNumber('discountPercent', p.discountPercent, { min: 0, max: 100 });
  for (const f of COUNTS) if (p[f] != null) requireInt(f, p[f], { min: 0 });
  for (const f of ['applicableProductSlugs', 'targetUserIds'] as const) {
    const list = p[f];
    if (list == null) continue;
    if (!Array.isArray(list)) throw new ValidationError(f, 'must be an array');
    list.forEach((v, i) => {
      requireId(`${f}[${i}]`, v);
    });
  }
  for (const f of ['startsAt', 'expiresAt'] as const) if (p[f] != null) checkTimestamp(f, p[f]);
  if (p.active !== undefined) checkBoolean('active', p.active);
  requireExtra('extra', p.extra, MODELLED);
}

/** The promotion `create` stores (validated; code upper-cased; counter 0; timestamps now). */
export function buildPromotion(input: NewPromotion, now: Date): Promotion {
  checkObject('promotion', input);
  if (input.code === undefined) throw new ValidationError('code', 'is required');
  if (input.name === undefined) throw new ValidationError('name', 'is required');
  if (input.type === undefined) throw new ValidationError('type', 'is required');
  if (input.active === undefined) throw new ValidationError('active', 'is required');
  validateFields(input);
  const at = now.toISOString();
  const promotion: Promotion = {
    ...input,
    id: input.id ?? newPromotionId(now),
    code: normaliseCode(input.code),
    trigger: input.trigger ?? 'code_required',
    userTargeting: input.userTargeting ?? 'all',
    currentRedemptions: 0,
    createdAt: at,
    updatedAt: at,
  };
  return dropUndefined(promotion);
}

/** Checks a PATCH before anything is read. */
export function validatePromotionPatch(patch: PromotionPatch): void {
  checkObject('patch', patch);
  for (const k of ['id', 'createdAt', 'updatedAt', 'currentRedemptions']) {
    if (Object.hasOwn(patch, k)) throw new ValidationError(k, 'cannot be changed');
  }
  validateFields(patch);
}

/** The promotion after a PATCH (validated; a new code upper-cased; `updatedAt` now). */
export function patchPromotion(current: Promotion, patch: PromotionPatch, now: Date): Promotion {
  validatePromotionPatch(patch);
  const next: Promotion = { ...current, ...dropUndefined(patch), updatedAt: nextUpdatedAt(current, now) };
  if (patch.code !== undefined) next.code = normaliseCode(patch.code);
  return next;
}

/**
 * The promotion after one more redemption, or the reason it cannot be redeemed now.
 * @throws PromotionInvalidError inactive, not started, expired. @throws PromotionExhaustedError at the limit.
 */
export function redeemedPromotion(p: Promotion, now: Date): Promotion {
  const at = now.toISOString();
  if (!p.active) throw new PromotionInvalidError(p.id, 'is not active');
  if (p.startsAt != null && p.startsAt > at) throw new PromotionInvalidError(p.id, `starts at ${p.startsAt}`);
  if (p.expiresAt != null && p.expiresAt <= at)
    throw new PromotionInvalidError(p.id, `expired at ${p.expiresAt}`);
  if (p.maxRedemptions != null && p.currentRedemptions >= p.maxRedemptions) {
    throw new PromotionExhaustedError(p.id, p.maxRedemptions);
  }
  return { ...p, currentRedemptions: p.currentRedemptions + 1, updatedAt: nextUpdatedAt(p, now) };
}

/**
 * `updatedAt` of a change: now, but always later than the stored value, so two changes within one
 * millisecond (or a clock behind a legacy timestamp) still move it. Postgres relies on this: its
 * `updated_at` trigger replaces an unchanged value with now(), which would break the round trip.
 */
export function nextUpdatedAt(current: Pick<Promotion, 'updatedAt'>, now: Date): string {
  return nextTimestamp(now, current.updatedAt);
}

/** Newest first: `createdAt` descending, then `id` descending. */
export const comparePromotions: (a: Promotion, b: Promotion) => number = compareNewestFirst;

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
