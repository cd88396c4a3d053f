/**
 * Postgres enums. Every value that legacy data can hold is listed (legacy-redis-format.md §6), plus
 * the values new code may write. Free-text legacy fields (refund reason, purchase item category)
 * are `text`, not enums, because the legacy server never validated them.
 */
import { pgEnum } from 'drizzle-orm/pg-core';

/** `cancelled` is declared by the store but never written; kept so new code may use it. */
export const orderStatus = pgEnum('order_status', ['pending', 'completed', 'cancelled']);

/** Optional on orders (§4.2, Redis-era backup of 2025-12-19). */
export const shippingStatus = pgEnum('shipping_status', ['pending', 'shipped', 'delivered']);

/**
 * Legacy manual sales write `cash`/`card`/`other`, Square orders `square`; Stripe orders carry none
 * (the column stays NULL). `stripe` is for new orders only.
 */
export const paymentMethod = pgEnum('payment_method', ['stripe', 'cash', 'card', 'other', 'square']);

/** `adjustment` is the legacy name written for six minutes on 2025-12-16 (§4.3). */
export const pointsTransactionType = pgEnum('points_transaction_type', [
  'earn',
  'redeem',
  'admin_adjustment',
  'adjustment',
]);

/** `pending` is declared but never written; `processing` can be stuck forever (§4.7). */
export const refundStatus = pgEnum('refund_status', ['pending', 'processing', 'completed', 'failed']);

export const promotionType = pgEnum('promotion_type', [
  'percentage',
  'fixed_amount',
  'quantity_discount',
  'bogo',
]);

export const promotionTrigger = pgEnum('promotion_trigger', ['code_required', 'automatic']);

export const promotionUserTargeting = pgEnum('promotion_user_targeting', [
  'all',
  'first_time',
  'returning',
  'specific_users',
  'order_count',
  'lifetime_spend',
]);

export const adminRole = pgEnum('admin_role', ['super_admin', 'admin']);

/** Claim-before-processing: a row is `claimed` (with a lease) while a worker handles the event. */
export const webhookEventStatus = pgEnum('webhook_event_status', ['claimed', 'done']);
