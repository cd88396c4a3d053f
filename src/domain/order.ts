import type { Extra, IsoTimestamp } from './common.js';

/** `cancelled` is declared by the store but never written (§6). */
export const ORDER_STATUSES = ['pending', 'completed', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Absent for Stripe, stripe-sync, test orders and manual sales before 2025-12-16 (§4.2). */
export const PAYMENT_METHODS = ['cash', 'card', 'other', 'square'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const SHIPPING_STATUSES = ['pending', 'shipped', 'delivered'] as const;
export type ShippingStatus = (typeof SHIPPING_STATUSES)[number];

/** Stripe-collected address (since 2025-12-18). Built field by field by the store, so no unknown keys. */
export interface ShippingAddress {
  name?: string;
  line1?: string;
  line2?: string;
  city?: string;
  state?: string;
  postalCode?: string;
  /** ISO-3166 alpha-2 (`US`, `CA`). */
  country?: string;
}

/** One line of `Order.items`. Test orders store the client's objects verbatim, hence `null` and `extra`. */
export interface OrderItem {
  /** Real, static-only, deleted or synthetic (`unmapped-…`, `square-…`) slug; no integrity. */
  productSlug: string;
  productName: string;
  /** Whole number. */
  quantity: number;
  /** Line total in cents, not the unit price. */
  priceCents: number;
  /** Only Square orders (when mapped) and test orders carry it. */
  variantId?: string | null;
  extra?: Extra;
}

/** An order, `order:{orderId}` (§4.2). Which optional fields exist depends on source and date. */
export interface Order {
  /** `cs_live_…`/`cs_test_…`, `MS…`, `manual-…`, `SQ…` or `test_order_…`. */
  id: string;
  /** Absent for guests; can point to a deleted user. */
  userId?: string;
  /** Raw case, as received. */
  email: string;
  totalCents: number;
  productSubtotalCents?: number;
  shippingCents?: number;
  taxCents?: number;
  pointsEarned: number;
  /** Declared by the store, never written. */
  pointsRedeemed?: number;
  /** Declared by the store, never written. */
  promotionId?: string;
  paymentMethod?: PaymentMethod;
  notes?: string;
  status: OrderStatus;
  /** Absent on orders written before 2025-12-03 (§9). */
  isGuest?: boolean;
  items: OrderItem[];
  shippingAddress?: ShippingAddress;
  /** E.164. */
  phone?: string;
  createdAt: IsoTimestamp;
  completedAt?: IsoTimestamp;
  trackingNumber?: string;
  shippingStatus?: ShippingStatus;
  shippedAt?: IsoTimestamp;
  deliveredAt?: IsoTimestamp;
  extra?: Extra;
}

/** Keyset paging over orders, newest first. */
export interface OrderPageRequest {
  /** Page size, 1–500; default 50. */
  limit?: number;
  /** `nextCursor` of the previous page; omit for the first page. */
  cursor?: string;
}

/** One page of orders; `nextCursor` is null on the last page. */
export interface OrderPage {
  orders: Order[];
  nextCursor: string | null;
}

/** The shipping fields an admin edits (Redis-era `updateOrderShipping`). `null` removes a field. */
export interface OrderShippingUpdate {
  trackingNumber?: string | null;
  shippingStatus?: ShippingStatus | null;
  shippedAt?: IsoTimestamp | null;
  deliveredAt?: IsoTimestamp | null;
}

/** What `linkGuestOrders` did. */
export interface GuestLinkResult {
  /** Orders now owned by the user, newest first. */
  linked: Order[];
  /** Retroactive points awarded (Σ pointsEarned of the linked completed orders). */
  pointsAwarded: number;
}

/**
 * Orders and their indexes. Ordering everywhere is newest first: `createdAt` descending, then `id`
 * descending (code-unit order), so both backends page identically.
 */
export interface OrderRepository {
  /**
   * Stores a new order with its items and indexes (the user's list, or the guest list keyed by
   * `email.toLowerCase()` untrimmed). Idempotent by `id`: when the order exists with the same
   * purchase content (everything except the lifecycle fields `status`, `completedAt`, `createdAt`,
   * `userId`/`isGuest`, `trackingNumber`, `shippingStatus`, `shippedAt`, `deliveredAt`) the stored
   * order is returned and nothing is written, so a replayed webhook cannot double-apply. Unlike the
   * store (§7.1) an existing order is never overwritten.
   * @throws ValidationError bad input (empty id or an id with `:`, malformed e-mail, quantity < 1,
   *   non-integer cents, unknown status/payment method/shipping status, oversized string), nothing written.
   * @throws ConflictError the id exists with different purchase content.
   */
  create(order: Order): Promise<Order>;
  /** The order with its items, or null. */
  get(id: string): Promise<Order | null>;
  /**
   * Every order of a user, paged, each order once (legacy lists hold duplicates, §8.3). Only orders
   * whose current `userId` is `userId`. Unknown user: an empty page.
   * @throws ValidationError malformed cursor or limit.
   */
  byUser(userId: string, page?: OrderPageRequest): Promise<OrderPage>;
  /**
   * Guest orders (no `userId`) whose `email.toLowerCase()` equals `email.toLowerCase()` (no trim,
   * as the store keys its guest lists, §2a #9), each once, newest first; [] when none.
   */
  guestByEmail(email: string): Promise<Order[]>;
  /**
   * All orders, paged. Redis sees `orders:index` plus every `orders:user:*` and `orders:guest:*` list
   * (found by SCAN), so the orders written before the index existed (§8.2) are included; a record
   * reachable from no index at all (a crash between SET and SADD) is found only by the backfill's SCAN.
   * @throws ValidationError malformed cursor or limit.
   */
  list(page?: OrderPageRequest): Promise<OrderPage>;
  /**
   * Sets (or with `null` removes) the shipping fields; returns the updated order.
   * @throws NotFoundError no such order. @throws ValidationError unknown status, bad timestamp.
   */
  updateShipping(id: string, update: OrderShippingUpdate): Promise<Order>;
  /**
   * Marks the order completed (`completedAt` = now) and, in the same atomic unit, awards
   * `pointsEarned` to its user with one `earn` transaction carrying the order id. Exactly once: an
   * order that is already completed is returned unchanged. Guests earn nothing; a user id that names
   * no user (deleted account) completes the order without an award, as the store ended up (§7.2).
   * @throws NotFoundError no such order.
   */
  complete(id: string): Promise<Order>;
  /**
   * Deletes the order the way the store did (§7.8): out of `orders:index` and the user or guest list
   * chosen by its current `userId`, then the record. Refunds, refund sets, points transactions and
   * invoice tokens that refer to it are kept. Returns false when there was no such order.
   */
  delete(id: string): Promise<boolean>;
  /**
   * Links the guest orders of `email` (normalised: lower-cased and trimmed) to the user, as
   * registration does (§7.6), all in one atomic unit: each listed order that still exists and is a
   * guest order gets `userId` and `isGuest: false`, joins the user's list, and, when completed, earns
   * its points retroactively ("Retroactive points for order #…", with the order id); the guest list
   * is emptied. Idempotent: a second call finds nothing to link.
   * @throws NotFoundError no such user. @throws ValidationError malformed e-mail.
   */
  linkGuestOrders(userId: string, email: string): Promise<GuestLinkResult>;
}
