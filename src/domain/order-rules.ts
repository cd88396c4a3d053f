/**
 * Pure order rules shared by both backends: input validation, the idempotency comparison, the
 * newest-first ordering with its keyset cursor, and the record changes of shipping, completion and
 * guest linking. Backends only load and store.
 */
import { canonicalize } from './canonical.js';
import { compareNewestFirst } from './common.js';
import { ValidationError } from './errors.js';
import { checkBoolean, checkObject, checkOneOf, checkTimestamp } from './field-checks.js';
import {
  normaliseEmail,
  requireEmail,
  requireExtra,
  requireId,
  requireInt,
  requireText,
} from './field-rules.js';
import {
  ORDER_STATUSES,
  type Order,
  type OrderPage,
  type OrderPageRequest,
  type OrderShippingUpdate,
  PAYMENT_METHODS,
  SHIPPING_STATUSES,
} from './order.js';

const ORDER_FIELDS = new Set([
  'id',
  'userId',
  'email',
  'items',
  'totalCents',
  'productSubtotalCents',
  'shippingCents',
  'taxCents',
  'pointsEarned',
  'pointsRedeemed',
  'promotionId',
  'paymentMethod',
  'notes',
  'status',
  'isGuest',
  'shippingAddress',
  'phone',
  'createdAt',
  'completedAt',
  'trackingNumber',
  'shippingStatus',
  'shippedAt',
  'deliveredAt',
]);
const ITEM_FIELDS = new Set(['productSlug', 'productName', 'quantity', 'priceCents', 'variantId']);
const ADDRESS_FIELDS = new Set(['name', 'line1', 'line2', 'city', 'state', 'postalCode', 'country']);

/** Throws {@link ValidationError} for anything the store's codecs could not write back exactly, or that a new order must not hold. */
export function validateOrder(order: Order): void {
  checkObject('order', order);
  requireId('id', order.id);
  if (order.userId !== undefined) requireId('userId', order.userId);
  requireEmail('email', order.email);
  requireInt('totalCents', order.totalCents, { min: 0 });
  for (const f of ['productSubtotalCents', 'shippingCents', 'taxCents', 'pointsRedeemed'] as const) {
    if (order[f] !== undefined) requireInt(f, order[f], { min: 0 });
  }
  requireInt('pointsEarned', order.pointsEarned, { min: 0 });
  if (order.promotionId !== undefined) requireId('promotionId', order.promotionId);
  if (order.paymentMethod !== undefined) checkOneOf('paymentMethod', order.paymentMethod, PAYMENT_METHODS);
  if (order.notes !== undefined) requireText('notes', order.notes, { allowEmpty: true });
  checkOneOf('status', order.status, ORDER_STATUSES);
  if (order.isGuest !== undefined) {
    checkBoolean('isGuest', order.isGuest);
    if (order.isGuest === (order.userId !== undefined)) {
      throw new ValidationError(
        'isGuest',
        `is ${order.isGuest} but userId is ${order.userId === undefined ? 'absent' : 'set'}`,
      );
    }
  }
  if (!Array.isArray(order.items)) throw new ValidationError('items', 'must be an array');
  order.items.forEach((item, i) => {
    const at = `items[${i}]`;
    checkObject(at, item);
    requireId(`${at}.productSlug`, item.productSlug);
    requireText(`${at}.productName`, item.productName, { max: 500 });
    requireInt(`${at}.quantity`, item.quantity, { min: 1, max: 100_000 });
    requireInt(`${at}.priceCents`, item.priceCents, { min: 0 });
    if (item.variantId !== undefined && item.variantId !== null) requireId(`${at}.variantId`, item.variantId);
    requireExtra(`${at}.extra`, item.extra, ITEM_FIELDS);
  });
  if (order.shippingAddress !== undefined) {
    const address = checkObject('shippingAddress', order.shippingAddress);
    for (const [k, v] of Object.entries(address)) {
      if (!ADDRESS_FIELDS.has(k)) throw new ValidationError(`shippingAddress.${k}`, 'is not a known field');
      if (v !== undefined) requireText(`shippingAddress.${k}`, v, { max: 500 });
    }
  }
  if (order.phone !== undefined) requireText('phone', order.phone, { max: 32 });
  checkTimestamp('createdAt', order.createdAt);
  if (order.completedAt !== undefined) checkTimestamp('completedAt', order.completedAt);
  validateShippingFields(order);
  requireExtra('extra', order.extra, ORDER_FIELDS);
}

function validateShippingFields(fields: OrderShippingUpdate): void {
  if (fields.trackingNumber != null) requireText('trackingNumber', fields.trackingNumber, { max: 255 });
  if (fields.shippingStatus != null) checkOneOf('shippingStatus', fields.shippingStatus, SHIPPING_STATUSES);
  if (fields.shippedAt != null) checkTimestamp('shippedAt', fields.shippedAt);
  if (fields.deliveredAt != null) checkTimestamp('deliveredAt', fields.deliveredAt);
}

/** Fields that change over an order's life (completion, linking, shipping) or on a replay (`createdAt`). */
const LIFECYCLE_FIELDS = [
  'status',
  'completedAt',
  'createdAt',
  'userId',
  'isGuest',
  'trackingNumber',
  'shippingStatus',
  'shippedAt',
  'deliveredAt',
] as const;

/** The canonical text of what was bought and charged: two orders with the same id are one purchase when these agree. */
export function purchaseContent(order: Order): string {
  const copy: Record<string, unknown> = { ...order };
  for (const f of LIFECYCLE_FIELDS) delete copy[f];
  return canonicalize(copy);
}

export function samePurchase(a: Order, b: Order): boolean {
  return purchaseContent(a) === purchaseContent(b);
}

export { compareNewestFirst } from './common.js';

/** Where a page starts: after the order with this `createdAt` and `id`. */
export interface OrderCursor {
  createdAt: string;
  id: string;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export function encodeOrderCursor(order: Pick<Order, 'createdAt' | 'id'>): string {
  return Buffer.from(JSON.stringify([order.createdAt, order.id]), 'utf8').toString('base64url');
}

/** Validated page size and decoded cursor. */
export function readPageRequest(page: OrderPageRequest = {}): { limit: number; after: OrderCursor | null } {
  const limit =
    page.limit === undefined
      ? DEFAULT_PAGE_SIZE
      : requireInt('limit', page.limit, { min: 1, max: MAX_PAGE_SIZE });
  if (page.cursor === undefined) return { limit, after: null };
  let parsed: unknown;
  try {
    parsed = JSON.parse(
      Buffer.from(requireText('cursor', page.cursor, { max: 2000 }), 'base64url').toString('utf8'),
    );
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[1] !== 'string') {
    throw new ValidationError('cursor', 'is not a cursor this repository returned');
  }
  return { limit, after: { createdAt: checkTimestamp('cursor', parsed[0]), id: parsed[1] } };
}

/** One page out of orders already sorted newest first. */
export function pageOf(sorted: readonly Order[], limit: number, after: OrderCursor | null): OrderPage {
  const start = after === null ? 0 : sorted.findIndex((o) => compareNewestFirst(o, after) > 0);
  const rest = start < 0 ? [] : sorted.slice(start);
  const orders = rest.slice(0, limit);
  const last = orders.at(-1);
  return { orders, nextCursor: rest.length > limit && last ? encodeOrderCursor(last) : null };
}

/** Ids once each, first occurrence kept (legacy lists repeat ids, §8.3). */
export function uniqueIds(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

/** Checks a shipping update before anything is read. */
export function validateShippingUpdate(update: OrderShippingUpdate): void {
  checkObject('update', update);
  for (const k of Object.keys(update)) {
    if (!['trackingNumber', 'shippingStatus', 'shippedAt', 'deliveredAt'].includes(k)) {
      throw new ValidationError(k, 'is not a shipping field');
    }
  }
  validateShippingFields(update);
}

/** Validates an update and returns the order with it applied (`null` removes the field). */
export function applyShippingUpdate(order: Order, update: OrderShippingUpdate): Order {
  validateShippingUpdate(update);
  const next: Order = { ...order };
  for (const k of ['trackingNumber', 'shippingStatus', 'shippedAt', 'deliveredAt'] as const) {
    const v = update[k];
    if (v === null) delete next[k];
    else if (v !== undefined) (next as unknown as Record<string, unknown>)[k] = v;
  }
  return next;
}

/** The completed form of a pending order. */
export function completedOrder(order: Order, now: Date): Order {
  return { ...order, status: 'completed', completedAt: now.toISOString() };
}

/** The order after guest linking: owned by the user, no longer a guest order (§7.6). */
export function linkedOrder(order: Order, userId: string): Order {
  return { ...order, userId, isGuest: false };
}

/** True when guest linking may take this order (§7.6: it must still be a guest order). */
export function isLinkableGuestOrder(order: Order | null): order is Order {
  return order !== null && order.isGuest === true && order.userId === undefined;
}

/** Guest-list key part: `toLowerCase()` without trim, as the store builds it (§2a #9). */
export function guestListEmail(email: string): string {
  return email.toLowerCase();
}

/** Validates and normalises the e-mail given to guest linking (lower-case, trim, §7.6). */
export function linkEmail(email: unknown): string {
  return normaliseEmail('email', email);
}

/** Ledger descriptions the store writes (§4.3); the 8 characters are the order id's first 8. */
export const pointsDescription = {
  earn: (orderId: string) => `Purchase #${orderId.slice(0, 8)}`,
  retroactive: (orderId: string) => `Retroactive points for order #${orderId.slice(0, 8)}`,
  redeem: (orderId: string) => `Redeemed for order #${orderId.slice(0, 8)}`,
  refund: (orderId: string) => `Refund for order #${orderId.slice(0, 8)}`,
};
