/** `purchase:{purchaseId}` (§4.5). Quantities and cents may be fractional and are kept exactly. */
import type { Purchase, PurchaseItem } from '../../domain/purchase.js';
import { type ObjectFields, objectCodec, optOrNull, req } from './object.js';
import { arrayOf, isoDate, isoTimestamp, num, str } from './primitives.js';
import { jsonValue } from './value.js';

const purchaseItemFields: ObjectFields<PurchaseItem> = {
  name: req(str),
  quantity: req(num),
  unitCostCents: req(num),
  category: req(str),
  notes: optOrNull(str),
};

export const purchaseItemCodec = objectCodec<PurchaseItem>(purchaseItemFields, { extra: true });

const purchaseFields: ObjectFields<Purchase> = {
  id: req(str),
  vendorName: req(str),
  purchaseDate: req(isoDate),
  items: req(arrayOf(purchaseItemCodec)),
  subtotalCents: req(num),
  shippingCents: req(num),
  taxCents: req(num),
  totalCents: req(num),
  receiptImageUrl: optOrNull(str),
  notes: optOrNull(str),
  createdAt: req(isoTimestamp),
  updatedAt: req(isoTimestamp),
};

export const purchaseCodec = objectCodec<Purchase>(purchaseFields, { extra: true });
export const purchaseValue = jsonValue(purchaseCodec);
export const decodePurchase = purchaseValue.decode;
export const encodePurchase = purchaseValue.encode;
