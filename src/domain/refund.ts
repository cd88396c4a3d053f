import type { Extra, IsoTimestamp } from './common.js';

/** The seven reasons the admin UI offers (§4.7). */
export const REFUND_REASONS = [
  'customer_request',
  'damaged_product',
  'wrong_item_sent',
  'quality_issue',
  'shipping_delay',
  'duplicate_order',
  'other',
] as const;
export type KnownRefundReason = (typeof REFUND_REASONS)[number];
/**
 * The server never validated `reason`, so any string may be stored; it is kept verbatim. The
 * `string & {}` arm keeps editor completion for the known values.
 */
export type RefundReason = KnownRefundReason | (string & {});

/** `pending` is declared, never written; `processing` can be stuck forever (§8.11). */
export const REFUND_STATUSES = ['pending', 'processing', 'completed', 'failed'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

/** Copied from the order items (the API would accept arbitrary client items, hence `extra`). */
export interface RefundItem {
  productSlug: string;
  productName: string;
  quantity: number;
  /** Copied from the order item, so only Square or test orders have it. */
  variantId?: string | null;
  /** The order line's `priceCents`, not prorated. */
  refundAmountCents: number;
  extra?: Extra;
}

/** A refund, `refund:{refundId}` (§4.7). */
export interface Refund {
  /** UUID v4. */
  id: string;
  /** The order may have been deleted since. */
  orderId: string;
  /** Stripe `re_…` or a Square refund id; set on success. */
  stripeRefundId?: string;
  /** Copied from the order (raw case). */
  email: string;
  userId?: string;
  amountCents: number;
  reason: RefundReason;
  reasonNote?: string;
  status: RefundStatus;
  restoreInventory: boolean;
  pointsToDeduct?: number;
  /** Always the literal `admin`. */
  processedBy?: string;
  createdAt: IsoTimestamp;
  processedAt?: IsoTimestamp;
  items: RefundItem[];
  extra?: Extra;
}

/** True when `reason` is one of the seven reasons the UI offers. */
export function isKnownRefundReason(reason: string): reason is KnownRefundReason {
  return (REFUND_REASONS as readonly string[]).includes(reason);
}

/** What an admin submits; the repository copies the rest from the order (§7.7). */
export interface NewRefund {
  /** Default a fresh UUID v4. */
  id?: string;
  orderId: string;
  /** Default the order's `totalCents`; a whole number ≥ 1. Several refunds per order are allowed. */
  amountCents?: number;
  reason: KnownRefundReason;
  reasonNote?: string;
  /** Default true; when true `pointsToDeduct` = the order's `pointsEarned` (guests too, as the store). */
  restoreInventory?: boolean;
  /** Default every order item, as the store's UI always sent. */
  items?: RefundItem[];
}

/** The processor's answer, recorded with a status change. */
export interface RefundProcessing {
  stripeRefundId?: string;
  /** Default now. */
  processedAt?: IsoTimestamp;
}

/** What happened to one refund item's stock when a refund completed. */
export interface RestockOutcome {
  productSlug: string;
  variantId?: string;
  quantity: number;
  /** `restored`, or `skipped` with the reason (the store logged and ignored these errors). */
  status: 'restored' | 'skipped';
  reason?: string;
}

/** Result of {@link RefundRepository.completeRefund}. */
export interface RefundCompletion {
  refund: Refund;
  /** False when the refund was already completed: nothing was changed this time. */
  applied: boolean;
  /** One entry per refund item when inventory was restored; [] otherwise. */
  restock: RestockOutcome[];
  /** Points taken from the order's user (0 for guests, missing users, or no `pointsToDeduct`). */
  pointsDeducted: number;
}

/** Refunds. Lists are newest first (`createdAt` descending, then `id` descending). */
export interface RefundRepository {
  /**
   * Creates the refund as `processing` (email and userId copied from the order, `processedBy`
   * `admin`) and adds it to `refunds:index` and the order's refund set.
   * @throws NotFoundError the order does not exist.
   * @throws ValidationError the order is not completed, unknown reason, amount < 1, bad items.
   * @throws ConflictError a refund with this id exists.
   */
  create(input: NewRefund): Promise<Refund>;
  /**
   * Records a processor outcome (`processing`, `failed` or `pending`). Completion goes through
   * {@link completeRefund}, which also applies the stock and points effects.
   * @throws NotFoundError no such refund. @throws ValidationError `completed` or an unknown status.
   * @throws ConflictError the refund is already completed (its effects are applied; it cannot move back).
   */
  setStatus(id: string, status: RefundStatus, processing?: RefundProcessing): Promise<Refund>;
  /** The refund, or null. */
  get(id: string): Promise<Refund | null>;
  /** Refunds of one order (the order may be deleted); [] when none. */
  byOrder(orderId: string): Promise<Refund[]>;
  /** Every refund; [] when none. */
  list(): Promise<Refund[]>;
  /**
   * Completes the refund and applies its effects in ONE atomic unit, exactly once: status
   * `completed` (+ processor id, `processedAt`); when `restoreInventory`, each item's quantity back
   * to the variant stock (when it has a variantId) or the base stock; `pointsToDeduct` taken from the
   * order's current user with an `admin_adjustment` ("Refund for order #…", no orderId; the balance
   * may go negative). A missing product or user is recorded in the result, not thrown, as the store
   * ignored those errors. Calling it again returns `applied: false` and changes nothing.
   * @throws NotFoundError no such refund. @throws ConflictError the refund is `failed`.
   */
  completeRefund(id: string, processing?: RefundProcessing): Promise<RefundCompletion>;
}
