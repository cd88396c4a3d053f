/** `promotions` rows ⇄ {@link Promotion} (legacy-redis-format.md §4.6): every legacy field kept as is. */
import { canonicalHash } from '../../../domain/canonical.js';
import type { Promotion } from '../../../domain/promotion.js';
import type { NewPromotionRow, PromotionRow } from '../schema/promotions.js';
import { extraColumn, NullTracker, RecordBuilder, toDate, toIso } from './common.js';

/** Row options the record alone cannot decide. */
export interface PromotionRowOptions {
  /**
   * Another promotion already holds `upper(code)` (legacy duplicates after a PATCH, §8.16): the row is
   * kept with `code_conflict`, outside the partial unique index.
   */
  codeConflict?: boolean;
}

/** The `promotions` insert row; `sync_written_at` is left to the caller. */
export function toPromotionRow(record: Promotion, opts: PromotionRowOptions = {}): NewPromotionRow {
  const n = new NullTracker();
  const date = (name: string, iso: string | null | undefined) => {
    const v = n.col(name, iso);
    return v === null ? null : toDate(v);
  };
  return {
    id: record.id,
    stripeCouponId: n.col('stripeCouponId', record.stripeCouponId),
    stripePromotionCodeId: n.col('stripePromotionCodeId', record.stripePromotionCodeId),
    code: record.code,
    codeConflict: opts.codeConflict ?? false,
    name: record.name,
    description: n.col('description', record.description),
    trigger: record.trigger,
    type: record.type,
    discountPercent: n.col('discountPercent', record.discountPercent),
    discountAmountCents: n.col('discountAmountCents', record.discountAmountCents),
    minQuantity: n.col('minQuantity', record.minQuantity),
    applyToQuantity: n.col('applyToQuantity', record.applyToQuantity),
    minOrderAmountCents: n.col('minOrderAmountCents', record.minOrderAmountCents),
    maxRedemptions: n.col('maxRedemptions', record.maxRedemptions),
    maxRedemptionsPerCustomer: n.col('maxRedemptionsPerCustomer', record.maxRedemptionsPerCustomer),
    applicableProductSlugs: n.col('applicableProductSlugs', record.applicableProductSlugs),
    userTargeting: record.userTargeting,
    targetUserIds: n.col('targetUserIds', record.targetUserIds),
    minOrderCount: n.col('minOrderCount', record.minOrderCount),
    minLifetimeSpendCents: n.col('minLifetimeSpendCents', record.minLifetimeSpendCents),
    startsAt: date('startsAt', record.startsAt),
    expiresAt: date('expiresAt', record.expiresAt),
    active: record.active,
    currentRedemptions: record.currentRedemptions,
    createdAt: toDate(record.createdAt),
    updatedAt: toDate(record.updatedAt),
    extra: extraColumn(record.extra),
    legacyNulls: n.nulls,
    syncHash: canonicalHash(record),
  };
}

/** The promotion exactly as the codec decodes its legacy JSON. */
export function fromPromotionRow(row: PromotionRow): Promotion {
  return new RecordBuilder(row.legacyNulls)
    .req('id', row.id)
    .opt('stripeCouponId', row.stripeCouponId)
    .opt('stripePromotionCodeId', row.stripePromotionCodeId)
    .req('code', row.code)
    .req('name', row.name)
    .opt('description', row.description)
    .req('trigger', row.trigger)
    .req('type', row.type)
    .opt('discountPercent', row.discountPercent, Number)
    .opt('discountAmountCents', row.discountAmountCents)
    .opt('minQuantity', row.minQuantity)
    .opt('applyToQuantity', row.applyToQuantity)
    .opt('minOrderAmountCents', row.minOrderAmountCents)
    .opt('maxRedemptions', row.maxRedemptions)
    .opt('maxRedemptionsPerCustomer', row.maxRedemptionsPerCustomer)
    .opt('applicableProductSlugs', row.applicableProductSlugs, (xs) => [...xs])
    .req('userTargeting', row.userTargeting)
    .opt('targetUserIds', row.targetUserIds, (xs) => [...xs])
    .opt('minOrderCount', row.minOrderCount)
    .opt('minLifetimeSpendCents', row.minLifetimeSpendCents)
    .opt('startsAt', row.startsAt, toIso)
    .opt('expiresAt', row.expiresAt, toIso)
    .req('active', row.active)
    .req('currentRedemptions', row.currentRedemptions)
    .req('createdAt', toIso(row.createdAt))
    .req('updatedAt', toIso(row.updatedAt))
    .extra(row.extra)
    .build<Promotion>();
}
