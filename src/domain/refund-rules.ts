/** Pure refund rules shared by both backends: validation, building from the order, status changes. */
import { randomUUID } from 'node:crypto';
import { compareNewestFirst } from './common.js';
import { ConflictError, ValidationError } from './errors.js';
import { checkBoolean, checkObject, checkOneOf, checkTimestamp } from './field-checks.js';
import { requireExtra, requireId, requireInt, requireText } from './field-rules.js';
import type { Order } from './order.js';
import {
  type NewRefund,
  REFUND_REASONS,
  REFUND_STATUSES,
  type Refund,
  type RefundItem,
  type RefundProcessing,
  type RefundStatus,
} from './refund.js';

const ITEM_FIELDS = new Set(['productSlug', 'productName', 'quantity', 'variantId', 'refundAmountCents']);

/** Checks the input that does not depend on the order (before anything is read). */
export function validateNewRefund(input: NewRefund): void {
  checkObject('refund', input);
  if (input.id !== undefined) requireId('id', input.id);
  requireId('orderId', input.orderId);
  if (input.amountCents !== undefined) requireInt('amountCents', input.amountCents, { min: 1 });
  checkOneOf('reason', input.reason, REFUND_REASONS);
  if (input.reasonNote !== undefined) requireText('reasonNote', input.reasonNote, { allowEmpty: true });
  if (input.restoreInventory !== undefined) checkBoolean('restoreInventory', input.restoreInventory);
  if (input.items === undefined) return;
  if (!Array.isArray(input.items)) throw new ValidationError('items', 'must be an array');
  input.items.forEach((item, i) => {
    const at = `items[${i}]`;
    checkObject(at, item);
    requireId(`${at}.productSlug`, item.productSlug);
    requireText(`${at}.productName`, item.productName, { max: 500 });
    requireInt(`${at}.quantity`, item.quantity, { min: 1, max: 100_000 });
    requireInt(`${at}.refundAmountCents`, item.refundAmountCents, { min: 0 });
    if (item.variantId != null) requireId(`${at}.variantId`, item.variantId);
    if (item.extra != null) requireExtra(`${at}.extra`, item.extra, ITEM_FIELDS);
  });
}

/** Refund items the store's UI produced: every order item at its full line price (§4.7). */
export function refundItemsOf(order: Order): RefundItem[] {
  return order.items.map((item) => {
    const out: RefundItem = {
      productSlug: item.productSlug,
      productName: item.productName,
      quantity: item.quantity,
      refundAmountCents: item.priceCents,
    };
    if (item.variantId !== undefined) out.variantId = item.variantId;
    return out;
  });
}

/**
 * The refund `create` stores, as `processing` (§7.7).
 * @throws ValidationError the order is not completed.
 */
export function buildRefund(input: NewRefund, order: Order, now: Date): Refund {
  if (order.status !== 'completed') {
    throw new ValidationError(
      'orderId',
      `order ${order.id} is ${order.status}; only completed orders can be refunded`,
    );
  }
  const restoreInventory = input.restoreInventory ?? true;
  const refund: Refund = {
    id: input.id ?? randomUUID(),
    orderId: order.id,
    email: order.email,
    amountCents: input.amountCents ?? order.totalCents,
    reason: input.reason,
    status: 'processing',
    restoreInventory,
    processedBy: 'admin',
    createdAt: now.toISOString(),
    items: input.items ?? refundItemsOf(order),
  };
  if (order.userId !== undefined) refund.userId = order.userId;
  if (input.reasonNote !== undefined) refund.reasonNote = input.reasonNote;
  if (restoreInventory) refund.pointsToDeduct = order.pointsEarned;
  return refund;
}

function validateProcessing(processing: RefundProcessing): void {
  checkObject('processing', processing);
  if (processing.stripeRefundId !== undefined) requireId('stripeRefundId', processing.stripeRefundId);
  if (processing.processedAt !== undefined) checkTimestamp('processedAt', processing.processedAt);
}

/**
 * The refund with a processor outcome other than completion.
 * @throws ValidationError `completed` or unknown status. @throws ConflictError already completed.
 */
export function refundWithStatus(refund: Refund, status: RefundStatus, processing: RefundProcessing): Refund {
  checkStatusChange(status, processing);
  if (refund.status === 'completed')
    throw new ConflictError('refund', refund.id, 'is completed; its status cannot change');
  const next: Refund = { ...refund, status };
  if (processing.stripeRefundId !== undefined) next.stripeRefundId = processing.stripeRefundId;
  // The store wrote processedAt only with `completed` (a failed refund has none, §4.7).
  if (processing.processedAt !== undefined) next.processedAt = processing.processedAt;
  return next;
}

/** Input checks of `setStatus`, done before anything is read. */
export function checkStatusChange(status: RefundStatus, processing: RefundProcessing): void {
  checkOneOf('status', status, REFUND_STATUSES);
  if (status === 'completed') throw new ValidationError('status', 'use completeRefund to complete a refund');
  validateProcessing(processing);
}

/**
 * The completed refund (processor id, `processedAt`), or null when it already is completed.
 * @throws ConflictError the refund failed.
 */
export function completedRefund(refund: Refund, processing: RefundProcessing, now: Date): Refund | null {
  validateProcessing(processing);
  if (refund.status === 'completed') return null;
  if (refund.status === 'failed')
    throw new ConflictError('refund', refund.id, 'failed; it cannot be completed');
  const next: Refund = {
    ...refund,
    status: 'completed',
    processedAt: processing.processedAt ?? now.toISOString(),
  };
  if (processing.stripeRefundId !== undefined) next.stripeRefundId = processing.stripeRefundId;
  return next;
}

/**
 * Indexes of `items` in the order their stock is restored: by slug, then variant, so concurrent
 * refunds and checkouts lock products in one order (no deadlocks in Postgres).
 */
export function restockOrder(items: readonly RefundItem[]): number[] {
  const key = (i: number) => [items[i]!.productSlug, items[i]!.variantId ?? ''] as const;
  return items
    .map((_, i) => i)
    .sort((a, b) => {
      const [sa, va] = key(a);
      const [sb, vb] = key(b);
      if (sa !== sb) return sa < sb ? -1 : 1;
      if (va !== vb) return va < vb ? -1 : 1;
      return a - b;
    });
}

/** Newest first: `createdAt` descending, then `id` descending. */
export const compareRefunds: (a: Refund, b: Refund) => number = compareNewestFirst;
