/** Input rules and record building for purchases (§4.5). Pure; run before anything is written. */
import type { IsoTimestamp } from './common.js';
import { ValidationError } from './errors.js';
import {
  checkExtra,
  checkNumber,
  checkOptionalString,
  checkString,
  isIsoDate,
  MAX_ID_LENGTH,
  MAX_NAME_LENGTH,
  MAX_TEXT_LENGTH,
} from './field-checks.js';
import {
  type NewPurchase,
  type Purchase,
  type PurchaseItem,
  type PurchasePatch,
  purchaseSubtotal,
} from './purchase.js';

const PURCHASE_FIELDS = [
  'id',
  'vendorName',
  'purchaseDate',
  'items',
  'subtotalCents',
  'shippingCents',
  'taxCents',
  'totalCents',
  'receiptImageUrl',
  'notes',
  'createdAt',
  'updatedAt',
];

/** A real calendar day `YYYY-MM-DD` (the store never checked; `25-12-01` came from CSV import). */
export function checkPurchaseDate(value: unknown): string {
  const s = checkString('purchaseDate', value, 10);
  if (!isIsoDate(s))
    throw new ValidationError('purchaseDate', `${JSON.stringify(s)} is not a YYYY-MM-DD date`);
  return s;
}

/** `YYYY-MM` with a month 01–12. */
export function checkYearMonth(value: unknown): string {
  const s = checkString('yearMonth', value, 7);
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(s))
    throw new ValidationError('yearMonth', `${JSON.stringify(s)} is not YYYY-MM`);
  return s;
}

function checkItems(items: unknown): PurchaseItem[] {
  if (!Array.isArray(items)) throw new ValidationError('items', 'must be an array');
  if (items.length === 0) throw new ValidationError('items', 'needs at least one item');
  items.forEach((item: PurchaseItem, i) => {
    const at = `items[${i}]`;
    if (typeof item !== 'object' || item === null) throw new ValidationError(at, 'must be an object');
    checkString(`${at}.name`, item.name, MAX_NAME_LENGTH);
    checkNumber(`${at}.quantity`, item.quantity, { exclusiveMin: 0 });
    checkNumber(`${at}.unitCostCents`, item.unitCostCents, { min: 0 });
    checkString(`${at}.category`, item.category, MAX_NAME_LENGTH);
    checkOptionalString(`${at}.notes`, item.notes, MAX_TEXT_LENGTH);
    checkExtra(`${at}.extra`, item.extra, ['name', 'quantity', 'unitCostCents', 'category', 'notes']);
  });
  return items as PurchaseItem[];
}

const vendor = (value: unknown) => checkString('vendorName', value, MAX_NAME_LENGTH).trim();
const cents = (field: string, value: unknown) => checkNumber(field, value, { min: 0 });
const trimmed = (value: string | null | undefined) => (typeof value === 'string' ? value.trim() : value);

/** Checks a new purchase and builds the record the store would write. */
export function newPurchaseRecord(input: NewPurchase, id: string, now: IsoTimestamp): Purchase {
  checkString('id', id, MAX_ID_LENGTH);
  const items = checkItems(input.items);
  const shippingCents = cents('shippingCents', input.shippingCents ?? 0);
  const taxCents = cents('taxCents', input.taxCents ?? 0);
  const subtotalCents = purchaseSubtotal(items);
  checkExtra('extra', input.extra, PURCHASE_FIELDS);
  const p: Purchase = {
    id,
    vendorName: vendor(input.vendorName),
    purchaseDate: checkPurchaseDate(input.purchaseDate),
    items,
    subtotalCents,
    shippingCents,
    taxCents,
    totalCents: subtotalCents + shippingCents + taxCents,
    createdAt: now,
    updatedAt: now,
  };
  const receipt = checkOptionalString('receiptImageUrl', input.receiptImageUrl, MAX_TEXT_LENGTH);
  if (receipt !== undefined) p.receiptImageUrl = receipt;
  const notes = trimmed(checkOptionalString('notes', input.notes, MAX_TEXT_LENGTH));
  if (notes !== undefined) p.notes = notes;
  if (input.extra && Object.keys(input.extra).length > 0) p.extra = input.extra;
  return p;
}

/** Checks a patch and returns the purchase after it (totals recomputed, updatedAt = now). */
export function patchedPurchase(current: Purchase, patch: PurchasePatch, now: IsoTimestamp): Purchase {
  const next: Purchase = { ...current, updatedAt: now };
  if (patch.vendorName !== undefined) next.vendorName = vendor(patch.vendorName);
  if (patch.purchaseDate !== undefined) next.purchaseDate = checkPurchaseDate(patch.purchaseDate);
  if (patch.items !== undefined) {
    next.items = checkItems(patch.items);
    next.subtotalCents = purchaseSubtotal(next.items);
  }
  if (patch.shippingCents !== undefined) next.shippingCents = cents('shippingCents', patch.shippingCents);
  if (patch.taxCents !== undefined) next.taxCents = cents('taxCents', patch.taxCents);
  if (patch.receiptImageUrl !== undefined) {
    next.receiptImageUrl = checkOptionalString('receiptImageUrl', patch.receiptImageUrl, MAX_TEXT_LENGTH);
  }
  if (patch.notes !== undefined)
    next.notes = trimmed(checkOptionalString('notes', patch.notes, MAX_TEXT_LENGTH));
  next.totalCents = next.subtotalCents + next.shippingCents + next.taxCents;
  return next;
}
