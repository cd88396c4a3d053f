/**
 * `purchases` + `purchase_items` rows ⇄ {@link Purchase} (legacy-redis-format.md §4.5). Quantities and
 * every `*Cents` value are `numeric`: fractional legacy values are kept exactly (decisions.md §2).
 */
import { canonicalHash } from '../../../domain/canonical.js';
import type { Purchase, PurchaseItem } from '../../../domain/purchase.js';
import type {
  NewPurchaseItemRow,
  NewPurchaseRow,
  PurchaseItemRow,
  PurchaseRow,
} from '../schema/purchases.js';
import { extraColumn, NullTracker, RecordBuilder, toDate, toIso } from './common.js';

/** A purchase's rows: the parent and one row per item, `lineNo` = array position. */
export interface PurchaseRows {
  purchase: NewPurchaseRow;
  items: NewPurchaseItemRow[];
}

/** The insert rows of one purchase; `sync_written_at` is left to the caller. */
export function toPurchaseRows(record: Purchase): PurchaseRows {
  const n = new NullTracker();
  const purchase: NewPurchaseRow = {
    id: record.id,
    vendorName: record.vendorName,
    purchaseDate: record.purchaseDate,
    subtotalCents: record.subtotalCents,
    shippingCents: record.shippingCents,
    taxCents: record.taxCents,
    totalCents: record.totalCents,
    receiptImageUrl: n.col('receiptImageUrl', record.receiptImageUrl),
    notes: n.col('notes', record.notes),
    createdAt: toDate(record.createdAt),
    updatedAt: toDate(record.updatedAt),
    extra: extraColumn(record.extra),
    legacyNulls: n.nulls,
    syncHash: canonicalHash(record),
  };
  return { purchase, items: record.items.map((item, lineNo) => toPurchaseItemRow(record.id, lineNo, item)) };
}

function toPurchaseItemRow(purchaseId: string, lineNo: number, item: PurchaseItem): NewPurchaseItemRow {
  const n = new NullTracker();
  return {
    purchaseId,
    lineNo,
    name: item.name,
    quantity: item.quantity,
    unitCostCents: item.unitCostCents,
    category: item.category,
    notes: n.col('notes', item.notes),
    extra: extraColumn(item.extra),
    legacyNulls: n.nulls,
  };
}

/** The purchase exactly as the codec decodes its legacy JSON; `items` are its `purchase_items` rows. */
export function fromPurchaseRow(row: PurchaseRow, items: readonly PurchaseItemRow[]): Purchase {
  return new RecordBuilder(row.legacyNulls)
    .req('id', row.id)
    .req('vendorName', row.vendorName)
    .req('purchaseDate', row.purchaseDate)
    .req('items', [...items].sort((x, y) => x.lineNo - y.lineNo).map(fromPurchaseItemRow))
    .req('subtotalCents', Number(row.subtotalCents))
    .req('shippingCents', Number(row.shippingCents))
    .req('taxCents', Number(row.taxCents))
    .req('totalCents', Number(row.totalCents))
    .opt('receiptImageUrl', row.receiptImageUrl)
    .opt('notes', row.notes)
    .req('createdAt', toIso(row.createdAt))
    .req('updatedAt', toIso(row.updatedAt))
    .extra(row.extra)
    .build<Purchase>();
}

function fromPurchaseItemRow(row: PurchaseItemRow): PurchaseItem {
  return new RecordBuilder(row.legacyNulls)
    .req('name', row.name)
    .req('quantity', Number(row.quantity))
    .req('unitCostCents', Number(row.unitCostCents))
    .req('category', row.category)
    .opt('notes', row.notes)
    .extra(row.extra)
    .build<PurchaseItem>();
}
