/** Refunds (`refund:{id}`) and their lines (legacy-redis-format.md §4.7). */
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { legacyColumns, syncColumns, tstz, updatedAtColumn } from './columns.js';
import { refundStatus } from './enums.js';
import { orders } from './orders.js';
import { users } from './users.js';

export const refunds = pgTable(
  'refunds',
  {
    id: text('id').primaryKey(),
    /** The legacy orderId, kept when the order was deleted (decisions.md §6). No FK. */
    orderId: text('order_id').notNull(),
    orderRef: text('order_ref').references(() => orders.id, { onDelete: 'set null' }),
    /** A Stripe `re_…` or a Square refund id. */
    stripeRefundId: text('stripe_refund_id'),
    /** Copied from the order (raw case). */
    email: text('email').notNull(),
    /** Copied from the order at refund time; no FK (decisions.md §6). */
    userId: text('user_id'),
    userRef: text('user_ref').references(() => users.id, { onDelete: 'set null' }),
    /** No CHECK: the default is the order's `totalCents`, which a test order may hold negative. */
    amountCents: integer('amount_cents').notNull(),
    /**
     * The admin UI offers customer_request, damaged_product, wrong_item_sent, quality_issue,
     * shipping_delay, duplicate_order and other, but the legacy server never validated the value, so
     * any string is stored losslessly (text, not an enum).
     */
    reason: text('reason').notNull(),
    reasonNote: text('reason_note'),
    status: refundStatus('status').notNull(),
    restoreInventory: boolean('restore_inventory').notNull().default(true),
    /** NULL = absent (set only when restoreInventory was true); no default 0. */
    pointsToDeduct: integer('points_to_deduct'),
    /** Always the literal `admin` in legacy data. */
    processedBy: text('processed_by'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    processedAt: tstz('processed_at'),
    /** Postgres-only bookkeeping (legacy refunds have no `updatedAt`). */
    updatedAt: updatedAtColumn(),
    ...legacyColumns(),
    ...syncColumns(),
  },
  (t) => [
    index('refunds_order_id_idx').on(t.orderId),
    index('refunds_order_ref_idx').on(t.orderRef),
    index('refunds_user_ref_idx').on(t.userRef),
    index('refunds_status_idx').on(t.status),
    index('refunds_created_at_idx').on(t.createdAt.desc()),
  ],
);

/** One row per element of the refund's `items`, keyed by position (decisions.md §7). */
export const refundItems = pgTable(
  'refund_items',
  {
    refundId: text('refund_id')
      .notNull()
      .references(() => refunds.id, { onDelete: 'cascade', onUpdate: 'cascade' }),
    lineNo: integer('line_no').notNull(),
    productSlug: text('product_slug').notNull(),
    productName: text('product_name').notNull(),
    variantId: text('variant_id'),
    /** Copied from the order item, so as unconstrained as it (test orders). */
    quantity: integer('quantity').notNull(),
    /** The order line's `priceCents`, not prorated. */
    refundAmountCents: integer('refund_amount_cents').notNull(),
    ...legacyColumns(),
  },
  (t) => [
    primaryKey({ name: 'refund_items_pkey', columns: [t.refundId, t.lineNo] }),
    check('refund_items_line_no_check', sql`${t.lineNo} >= 0`),
  ],
);

export type RefundRow = typeof refunds.$inferSelect;
export type NewRefundRow = typeof refunds.$inferInsert;
export type RefundItemRow = typeof refundItems.$inferSelect;
export type NewRefundItemRow = typeof refundItems.$inferInsert;
