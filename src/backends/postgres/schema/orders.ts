/** Orders (`order:{id}`) and their lines (legacy-redis-format.md §4.2). */
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { legacyColumns, syncColumns, tstz, updatedAtColumn } from './columns.js';
import { orderStatus, paymentMethod, shippingStatus } from './enums.js';
import { users } from './users.js';

export const orders = pgTable(
  'orders',
  {
    /** `cs_live_…`/`cs_test_…`, `MS…`, `manual-…`, `SQ…`, `test_order_…` (§3); new ids at will. */
    id: text('id').primaryKey(),
    /** The legacy userId, kept even when the user was deleted (decisions.md §6). No FK. */
    userId: text('user_id'),
    /** Set only when `user_id` names an existing user; cleared when that user is deleted. */
    userRef: text('user_ref').references(() => users.id, { onDelete: 'set null' }),
    /** Raw case, never normalised (§3); guest lookups compare `lower(email)`. */
    email: text('email').notNull(),
    /** NULL = absent: orders written before 2025-12-03 carry no `isGuest` (§4.2, §8.7). */
    isGuest: boolean('is_guest'),
    /** Meaning depends on the order source (§4.2); admin test orders may hold any integer. */
    totalCents: integer('total_cents').notNull(),
    productSubtotalCents: integer('product_subtotal_cents'),
    shippingCents: integer('shipping_cents'),
    taxCents: integer('tax_cents'),
    /** Computed at creation for guests too; negative when a test order had a negative total. */
    pointsEarned: integer('points_earned').notNull().default(0),
    /** Never written by legacy code; NULL = absent (no default 0, unlike the seed). */
    pointsRedeemed: integer('points_redeemed'),
    /** Never written by legacy code; no FK (promotions can be deleted). */
    promotionId: text('promotion_id'),
    /** NULL for Stripe, stripe-sync, test orders and manual sales before 2025-12-16 (§8.7). */
    paymentMethod: paymentMethod('payment_method'),
    notes: text('notes'),
    status: orderStatus('status').notNull().default('pending'),
    /** Only orders from the Redis-era shipping feature have these four (§4.2). */
    shippingStatus: shippingStatus('shipping_status'),
    trackingNumber: text('tracking_number'),
    shippedAt: tstz('shipped_at'),
    deliveredAt: tstz('delivered_at'),
    phone: text('phone'),
    /**
     * Whether the legacy record had a `shippingAddress` object at all: it can be present with every
     * sub-field dropped (`{}`), which the flattened columns alone cannot tell from absent.
     */
    hasShippingAddress: boolean('has_shipping_address').notNull().default(false),
    shippingName: text('shipping_name'),
    shippingLine1: text('shipping_line1'),
    shippingLine2: text('shipping_line2'),
    shippingCity: text('shipping_city'),
    shippingState: text('shipping_state'),
    shippingPostalCode: text('shipping_postal_code'),
    /** ISO-3166 alpha-2 from Stripe; no default 'US' (absent must stay absent). */
    shippingCountry: text('shipping_country'),
    /** Legacy `createdAt`: overwritten whenever the order was re-created (§7.1). */
    createdAt: tstz('created_at').notNull().defaultNow(),
    completedAt: tstz('completed_at'),
    /** Postgres-only bookkeeping (legacy orders have no `updatedAt`). */
    updatedAt: updatedAtColumn(),
    ...legacyColumns(),
    ...syncColumns(),
  },
  (t) => [
    index('orders_user_id_idx').on(t.userId).where(sql`${t.userId} IS NOT NULL`),
    index('orders_user_ref_idx').on(t.userRef),
    index('orders_email_lower_idx').on(sql`lower(${t.email})`),
    index('orders_status_idx').on(t.status),
    index('orders_shipping_status_idx').on(t.shippingStatus),
    index('orders_created_at_idx').on(t.createdAt.desc()),
    index('orders_tracking_number_idx').on(t.trackingNumber).where(sql`${t.trackingNumber} IS NOT NULL`),
    check('orders_product_subtotal_cents_check', sql`${t.productSubtotalCents} >= 0`),
    check('orders_shipping_cents_check', sql`${t.shippingCents} >= 0`),
    check('orders_tax_cents_check', sql`${t.taxCents} >= 0`),
    check('orders_points_redeemed_check', sql`${t.pointsRedeemed} >= 0`),
    check(
      'orders_shipping_address_check',
      sql`${t.hasShippingAddress} OR (${t.shippingName} IS NULL AND ${t.shippingLine1} IS NULL AND ${t.shippingLine2} IS NULL AND ${t.shippingCity} IS NULL AND ${t.shippingState} IS NULL AND ${t.shippingPostalCode} IS NULL AND ${t.shippingCountry} IS NULL)`,
    ),
  ],
);

/**
 * One row per element of the legacy `items` array, keyed by its 0-based position (decisions.md §7):
 * a re-run can never duplicate a line, and two identical lines are both kept.
 */
export const orderItems = pgTable(
  'order_items',
  {
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade', onUpdate: 'cascade' }),
    lineNo: integer('line_no').notNull(),
    /** Real, static-only, deleted or synthetic (`unmapped-…`, `square-…`) slug; no FK (§4.2). */
    productSlug: text('product_slug').notNull(),
    productName: text('product_name').notNull(),
    /** Only Square and test orders store it. */
    variantId: text('variant_id'),
    /** No CHECK: admin test orders store whatever the request body sent (§4.2). */
    quantity: integer('quantity').notNull(),
    /** The line total, not the unit price. */
    priceCents: integer('price_cents').notNull(),
    ...legacyColumns(),
  },
  (t) => [
    primaryKey({ name: 'order_items_pkey', columns: [t.orderId, t.lineNo] }),
    index('order_items_product_slug_idx').on(t.productSlug),
    check('order_items_line_no_check', sql`${t.lineNo} >= 0`),
  ],
);

export type OrderRow = typeof orders.$inferSelect;
export type NewOrderRow = typeof orders.$inferInsert;
export type OrderItemRow = typeof orderItems.$inferSelect;
export type NewOrderItemRow = typeof orderItems.$inferInsert;
