/**
 * Checkout: one purchase applied to every domain it touches (stock, points, promotion, order) as one
 * all-or-nothing unit. The store ran these steps one by one and ignored most failures (§7.1); here
 * nothing is written unless every step succeeds.
 */
import type { IsoTimestamp } from './common.js';
import type { Order, PaymentMethod, ShippingAddress } from './order.js';

/** One purchased line. */
export interface CheckoutLine {
  slug: string;
  /** Decrements this variant's stock; without it the base stock (as the store did, §7.4). */
  variantId?: string;
  /** Whole number ≥ 1. */
  quantity: number;
  /** Line total in cents (not the unit price), whole number ≥ 0. */
  priceCents: number;
  /** Default the product's name. */
  productName?: string;
}

export interface PlaceOrderInput {
  /** The idempotency key: a replay with the same id returns the stored order and changes nothing. */
  orderId: string;
  /** Omit for a guest order. */
  userId?: string;
  /** Raw case, as received (§3). */
  email: string;
  lines: CheckoutLine[];
  /** Points spent (1 point = 5 cents); needs `userId` and a balance that covers it. */
  pointsToRedeem?: number;
  /** Counts one redemption of this promotion (by id, or by code case-insensitively). */
  promotionId?: string;
  promotionCode?: string;
  shippingCents?: number;
  taxCents?: number;
  /** Default subtotal + shipping + tax (the caller knows discounts; the store stored Stripe's total). */
  totalCents?: number;
  paymentMethod?: PaymentMethod;
  notes?: string;
  shippingAddress?: ShippingAddress;
  phone?: string;
  /** Default true: complete the order and award its points in the same unit, as every store path did. */
  complete?: boolean;
  /** Default now. */
  createdAt?: IsoTimestamp;
}

export interface PlaceOrderResult {
  order: Order;
  /** True when the order already existed: nothing was changed by this call. */
  replayed: boolean;
}

export interface CheckoutService {
  /**
   * Decrements variant or base stock for every line, redeems points (a `redeem` transaction), counts
   * the promotion redemption, writes the order with its items and indexes and, unless
   * `complete: false`, completes it and awards `pointsEarned` (round(subtotal / 100)) to the user:
   * all or nothing. Idempotent by `orderId`.
   * @throws ValidationError bad input (nothing written).
   * @throws NotFoundError unknown product, user or promotion.
   * @throws InsufficientStockError a line's stock is too low.
   * @throws InsufficientPointsError the balance does not cover `pointsToRedeem`.
   * @throws PromotionInvalidError / PromotionExhaustedError the promotion cannot be redeemed.
   * @throws ConflictError the order id exists with different purchase content.
   */
  placeOrder(input: PlaceOrderInput): Promise<PlaceOrderResult>;
}
