/**
 * `orders` + `order_items` rows ⇄ {@link Order} (legacy-redis-format.md §4.2). The optional
 * `shippingAddress` object is flattened into `shipping_*` columns plus `has_shipping_address` (it can
 * exist with every sub-field dropped); items are keyed by their array position (decisions.md §7).
 */
import { canonicalHash } from '../../../domain/canonical.js';
import type { Order, OrderItem, ShippingAddress } from '../../../domain/order.js';
import type { NewOrderItemRow, NewOrderRow, OrderItemRow, OrderRow } from '../schema/orders.js';
import { extraColumn, NullTracker, RecordBuilder, toDate, toDateOrNull, toIso } from './common.js';

/** An order's rows: the parent and one row per item, `lineNo` = array position. */
export interface OrderRows {
  order: NewOrderRow;
  items: NewOrderItemRow[];
}

/** Whether `userId` names an existing user (then the `user_ref` FK column is set). */
export interface OrderRefs {
  userExists?: boolean;
}

/** The insert rows of one order; `sync_written_at` is left to the caller. */
export function toOrderRows(record: Order, refs: OrderRefs = {}): OrderRows {
  const n = new NullTracker();
  const a: ShippingAddress = record.shippingAddress ?? {};
  const order: NewOrderRow = {
    id: record.id,
    userId: n.col('userId', record.userId),
    userRef: refs.userExists && record.userId !== undefined ? record.userId : null,
    email: record.email,
    isGuest: n.col('isGuest', record.isGuest),
    totalCents: record.totalCents,
    productSubtotalCents: n.col('productSubtotalCents', record.productSubtotalCents),
    shippingCents: n.col('shippingCents', record.shippingCents),
    taxCents: n.col('taxCents', record.taxCents),
    pointsEarned: record.pointsEarned,
    pointsRedeemed: n.col('pointsRedeemed', record.pointsRedeemed),
    promotionId: n.col('promotionId', record.promotionId),
    paymentMethod: n.col('paymentMethod', record.paymentMethod),
    notes: n.col('notes', record.notes),
    status: record.status,
    shippingStatus: n.col('shippingStatus', record.shippingStatus),
    trackingNumber: n.col('trackingNumber', record.trackingNumber),
    shippedAt: toDateOrNull(record.shippedAt),
    deliveredAt: toDateOrNull(record.deliveredAt),
    phone: n.col('phone', record.phone),
    hasShippingAddress: record.shippingAddress !== undefined,
    shippingName: a.name ?? null,
    shippingLine1: a.line1 ?? null,
    shippingLine2: a.line2 ?? null,
    shippingCity: a.city ?? null,
    shippingState: a.state ?? null,
    shippingPostalCode: a.postalCode ?? null,
    shippingCountry: a.country ?? null,
    createdAt: toDate(record.createdAt),
    completedAt: toDateOrNull(record.completedAt),
    extra: extraColumn(record.extra),
    legacyNulls: n.nulls,
    syncHash: canonicalHash(record),
  };
  return { order, items: record.items.map((item, lineNo) => toOrderItemRow(record.id, lineNo, item)) };
}

function toOrderItemRow(orderId: string, lineNo: number, item: OrderItem): NewOrderItemRow {
  const n = new NullTracker();
  return {
    orderId,
    lineNo,
    productSlug: item.productSlug,
    productName: item.productName,
    variantId: n.col('variantId', item.variantId),
    quantity: item.quantity,
    priceCents: item.priceCents,
    extra: extraColumn(item.extra),
    legacyNulls: n.nulls,
  };
}

/** The order exactly as the codec decodes its legacy JSON; `items` are its `order_items` rows, any order. */
export function fromOrderRow(row: OrderRow, items: readonly OrderItemRow[]): Order {
  const b = new RecordBuilder(row.legacyNulls)
    .req('id', row.id)
    .opt('userId', row.userId)
    .req('email', row.email)
    .req('items', [...items].sort((x, y) => x.lineNo - y.lineNo).map(fromOrderItemRow))
    .req('totalCents', row.totalCents)
    .opt('productSubtotalCents', row.productSubtotalCents)
    .opt('shippingCents', row.shippingCents)
    .opt('taxCents', row.taxCents)
    .req('pointsEarned', row.pointsEarned)
    .opt('pointsRedeemed', row.pointsRedeemed)
    .opt('promotionId', row.promotionId)
    .opt('paymentMethod', row.paymentMethod)
    .opt('notes', row.notes)
    .req('status', row.status)
    .opt('isGuest', row.isGuest);
  if (row.hasShippingAddress) b.req('shippingAddress', fromShippingAddress(row));
  return b
    .opt('phone', row.phone)
    .req('createdAt', toIso(row.createdAt))
    .opt('completedAt', row.completedAt, toIso)
    .opt('trackingNumber', row.trackingNumber)
    .opt('shippingStatus', row.shippingStatus)
    .opt('shippedAt', row.shippedAt, toIso)
    .opt('deliveredAt', row.deliveredAt, toIso)
    .extra(row.extra)
    .build<Order>();
}

function fromShippingAddress(row: OrderRow): ShippingAddress {
  return new RecordBuilder([])
    .opt('name', row.shippingName)
    .opt('line1', row.shippingLine1)
    .opt('line2', row.shippingLine2)
    .opt('city', row.shippingCity)
    .opt('state', row.shippingState)
    .opt('postalCode', row.shippingPostalCode)
    .opt('country', row.shippingCountry)
    .build<ShippingAddress>();
}

function fromOrderItemRow(row: OrderItemRow): OrderItem {
  return new RecordBuilder(row.legacyNulls)
    .req('productSlug', row.productSlug)
    .req('productName', row.productName)
    .req('quantity', row.quantity)
    .req('priceCents', row.priceCents)
    .opt('variantId', row.variantId)
    .extra(row.extra)
    .build<OrderItem>();
}
