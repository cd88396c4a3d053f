/** `refund:{refundId}` (§4.7). `reason` is any string (never validated by the store). */
import { REFUND_STATUSES, type Refund, type RefundItem } from '../../domain/refund.js';
import { type ObjectFields, objectCodec, opt, optOrNull, req } from './object.js';
import { arrayOf, bool, int, isoTimestamp, oneOf, str } from './primitives.js';
import { jsonValue } from './value.js';

// Copied from order items, which may carry `variantId: null` and client keys (test orders).
const refundItemFields: ObjectFields<RefundItem> = {
  productSlug: req(str),
  productName: req(str),
  quantity: req(int),
  variantId: optOrNull(str),
  refundAmountCents: req(int),
};

export const refundItemCodec = objectCodec<RefundItem>(refundItemFields, { extra: true });

const refundFields: ObjectFields<Refund> = {
  id: req(str),
  orderId: req(str),
  stripeRefundId: opt(str),
  email: req(str),
  userId: opt(str),
  amountCents: req(int),
  reason: req(str),
  reasonNote: opt(str),
  status: req(oneOf(REFUND_STATUSES)),
  restoreInventory: req(bool),
  pointsToDeduct: opt(int),
  processedBy: opt(str),
  createdAt: req(isoTimestamp),
  processedAt: opt(isoTimestamp),
  items: req(arrayOf(refundItemCodec)),
};

export const refundCodec = objectCodec<Refund>(refundFields, { extra: true });
export const refundValue = jsonValue(refundCodec);
export const decodeRefund = refundValue.decode;
export const encodeRefund = refundValue.encode;
