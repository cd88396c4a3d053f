/**
 * Promotions (`promotion:{id}`, legacy-redis-format.md §4.6). Every legacy field is kept as it is:
 * the four types, trigger, targeting and Stripe ids; nothing is collapsed into a generic
 * discount_type/discount_value pair (the seed's and HEAD's loss, §10, §12).
 */
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, numeric, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { legacyColumns, syncColumns, timestampColumns, tstz } from './columns.js';
import { promotionTrigger, promotionType, promotionUserTargeting } from './enums.js';

export const promotions = pgTable(
  'promotions',
  {
    /** `promo_{Date.now()}_{random}`. */
    id: text('id').primaryKey(),
    stripeCouponId: text('stripe_coupon_id'),
    stripePromotionCodeId: text('stripe_promotion_code_id'),
    /** Upper-cased on create only; a PATCH may store lower case or a duplicate (§8.15, §8.16). */
    code: text('code').notNull(),
    /**
     * Set on a row whose `upper(code)` is already held by another row. Legacy duplicates are kept
     * with the flag; new writes leave it false, so the partial unique index rejects them.
     */
    codeConflict: boolean('code_conflict').notNull().default(false),
    name: text('name').notNull(),
    description: text('description'),
    trigger: promotionTrigger('trigger').notNull().default('code_required'),
    type: promotionType('type').notNull(),
    /** Percent for percentage / quantity_discount; may be fractional (parseFloat), so `numeric`. */
    discountPercent: numeric('discount_percent', { mode: 'number' }),
    discountAmountCents: integer('discount_amount_cents'),
    minQuantity: integer('min_quantity'),
    applyToQuantity: integer('apply_to_quantity'),
    minOrderAmountCents: integer('min_order_amount_cents'),
    maxRedemptions: integer('max_redemptions'),
    maxRedemptionsPerCustomer: integer('max_redemptions_per_customer'),
    /** Empty or NULL = every product. Slugs are not checked (§8.6). */
    applicableProductSlugs: text('applicable_product_slugs').array(),
    userTargeting: promotionUserTargeting('user_targeting').notNull().default('all'),
    /** User ids; not checked (§8.6). */
    targetUserIds: text('target_user_ids').array(),
    minOrderCount: integer('min_order_count'),
    minLifetimeSpendCents: integer('min_lifetime_spend_cents'),
    startsAt: tstz('starts_at'),
    expiresAt: tstz('expires_at'),
    active: boolean('active').notNull(),
    /** Only ever incremented (approximate, §7.5). */
    currentRedemptions: integer('current_redemptions').notNull().default(0),
    ...timestampColumns(),
    ...legacyColumns(),
    ...syncColumns(),
  },
  (t) => [
    /** Case-insensitive lookups over every row, duplicates included. */
    index('promotions_code_upper_idx').on(sql`upper(${t.code})`),
    uniqueIndex('promotions_code_upper_unique').on(sql`upper(${t.code})`).where(sql`NOT ${t.codeConflict}`),
    index('promotions_active_idx').on(t.active).where(sql`${t.active} = true`),
    check('promotions_current_redemptions_check', sql`${t.currentRedemptions} >= 0`),
  ],
);

export type PromotionRow = typeof promotions.$inferSelect;
export type NewPromotionRow = typeof promotions.$inferInsert;
