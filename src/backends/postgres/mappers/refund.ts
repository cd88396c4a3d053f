/** `refunds` + `refund_items` rows ⇄ {@link Refund} (legacy-redis-format.md §4.7). */
import { canonicalHash } from '../../../domain/canonical.js';
import type { Refund, RefundItem } from '../../../domain/refund.js';
import type { NewRefundItemRow, NewRefundRow, RefundItemRow, RefundRow } from '../schema/refunds.js';
import { extraColumn, NullTracker, RecordBuilder, toDate, toDateOrNull, toIso } from './common.js';

/** A refund's rows: the parent and one row per item, `lineNo` = array position. */
export interface RefundRows {
  refund: NewRefundRow;
  items: NewRefundItemRow[];
}

/** Which referenced rows are known to exist (their `*_ref` FK columns are set only then). */
export interface RefundRefs {
  orderExists?: boolean;
  userExists?: boolean;
}

/** The insert rows of one refund; `sync_written_at` is left to the caller. */
export function toRefundRows(record: Refund, refs: RefundRefs = {}): RefundRows {
  const n = new NullTracker();
  const refund: NewRefundRow = {
    id: record.id,
    orderId: record.orderId,
    orderRef: refs.orderExists ? record.orderId : null,
    stripeRefundId: n.col('stripeRefundId', record.stripeRefundId),
    email: record.email,
    userId: n.col('userId', record.userId),
    userRef: refs.userExists && record.userId !== undefined ? record.userId : null,
    amountCents: record.amountCents,
    reason: record.reason,
    reasonNote: n.col('reasonNote', record.reasonNote),
    status: record.status,
    restoreInventory: record.restoreInventory,
    pointsToDeduct: n.col('pointsToDeduct', record.pointsToDeduct),
    processedBy: n.col('processedBy', record.processedBy),
    createdAt: toDate(record.createdAt),
    processedAt: toDateOrNull(record.processedAt),
    extra: extraColumn(record.extra),
    legacyNulls: n.nulls,
    syncHash: canonicalHash(record),
  };
  return { refund, items: record.items.map((item, lineNo) => toRefundItemRow(record.id, lineNo, item)) };
}

function toRefundItemRow(refundId: string, lineNo: number, item: RefundItem): NewRefundItemRow {
  const n = new NullTracker();
  return {
    refundId,
    lineNo,
    productSlug: item.productSlug,
    productName: item.productName,
    variantId: n.col('variantId', item.variantId),
    quantity: item.quantity,
    refundAmountCents: item.refundAmountCents,
    extra: extraColumn(item.extra),
    legacyNulls: n.nulls,
  };
}

/** The refund exactly as the codec decodes its legacy JSON; `items` are its `refund_items` rows. */
export function fromRefundRow(row: RefundRow, items: readonly RefundItemRow[]): Refund {
  return new RecordBuilder(row.legacyNulls)
    .req('id', row.id)
    .req('orderId', row.orderId)
    .opt('stripeRefundId', row.stripeRefundId)
    .req('email', row.email)
    .opt('userId', row.userId)
    .req('amountCents', row.amountCents)
    .req('reason', row.reason)
    .opt('reasonNote', row.reasonNote)
    .req('status', row.status)
    .req('restoreInventory', row.restoreInventory)
    .opt('pointsToDeduct', row.pointsToDeduct)
    .opt('processedBy', row.processedBy)
    .req('createdAt', toIso(row.createdAt))
    .opt('processedAt', row.processedAt, toIso)
    .req('items', [...items].sort((x, y) => x.lineNo - y.lineNo).map(fromRefundItemRow))
    .extra(row.extra)
    .build<Refund>();
}

function fromRefundItemRow(row: RefundItemRow): RefundItem {
  return new RecordBuilder(row.legacyNulls)
    .req('productSlug', row.productSlug)
    .req('productName', row.productName)
    .req('quantity', row.quantity)
    .opt('variantId', row.variantId)
    .req('refundAmountCents', row.refundAmountCents)
    .extra(row.extra)
    .build<RefundItem>();
}
