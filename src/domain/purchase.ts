import type { Extra, IsoDate, IsoTimestamp } from './common.js';

/** One expense line. Stored verbatim from the client, so `null` and unknown keys are possible. */
export interface PurchaseItem {
  name: string;
  /** > 0; **may be fractional** (form until 2025-12-12, CSV import always). */
  quantity: number;
  /** Cents; any number (the API only checks `typeof number`). */
  unitCostCents: number;
  /** Free text; UI values `wax`, `wicks`, `bottles`, `scents`, `labels`, `packaging`, `equipment`, `other`. */
  category: string;
  notes?: string | null;
  extra?: Extra;
}

/**
 * A business expense, `purchase:{purchaseId}` (§4.5). The `*Cents` totals follow fractional quantities
 * and may be fractional too (kept exactly, docs/decisions.md §2).
 */
export interface Purchase {
  /** UUID v4. */
  id: string;
  /** Trimmed; case varies between purchases. */
  vendorName: string;
  /** `YYYY-MM-DD`. */
  purchaseDate: IsoDate;
  items: PurchaseItem[];
  subtotalCents: number;
  shippingCents: number;
  taxCents: number;
  totalCents: number;
  /** A PATCH can set `null` or `""`. */
  receiptImageUrl?: string | null;
  notes?: string | null;
  createdAt: IsoTimestamp;
  updatedAt: IsoTimestamp;
  extra?: Extra;
}

/** What the admin sends to record an expense; totals are computed, never taken from the input. */
export interface NewPurchase {
  /** Normally generated (UUID v4); may be given (imports, tests). */
  id?: string;
  vendorName: string;
  purchaseDate: IsoDate;
  items: PurchaseItem[];
  /** Default 0. */
  shippingCents?: number;
  /** Default 0. */
  taxCents?: number;
  receiptImageUrl?: string | null;
  notes?: string | null;
  extra?: Extra;
}

/** A partial edit (PATCH merge). `null` / `""` clear the receipt URL as the store allows. */
export interface PurchasePatch {
  vendorName?: string;
  purchaseDate?: IsoDate;
  items?: PurchaseItem[];
  shippingCents?: number;
  taxCents?: number;
  receiptImageUrl?: string | null;
  notes?: string | null;
}

/**
 * Business expenses, `purchase:{id}` + `purchases:index` + `purchases:vendor:{lower}` +
 * `purchases:date:{YYYY-MM}` (§4.5, §5). Lists are ordered by purchaseDate descending, then createdAt
 * descending, then id. Totals are recomputed as the store does: subtotal = Σ quantity × unitCostCents
 * (fractions kept exactly, decisions.md §2), total = subtotal + shipping + tax.
 */
export interface PurchaseRepository {
  /**
   * Records a purchase (createdAt = updatedAt = now) and returns it.
   * @throws ValidationError for an empty vendor, a date that is not a real `YYYY-MM-DD` day, no items,
   *   an item with an empty name or category, a quantity ≤ 0, a negative unit cost, shipping or tax,
   *   or an oversized string.
   * @throws ConflictError when a given id already exists.
   */
  create(input: NewPurchase): Promise<Purchase>;
  /** The purchase, or `null`. */
  get(id: string): Promise<Purchase | null>;
  /**
   * Merges the patch; recomputes the subtotal when items change and the total always; moves the
   * vendor and month indexes when those change (§2a #17/#18).
   * @throws NotFoundError when the id does not exist; ValidationError as {@link create}.
   */
  update(id: string, patch: PurchasePatch): Promise<Purchase>;
  /** Deletes the purchase and its index entries; `false` when it did not exist. */
  delete(id: string): Promise<boolean>;
  /** Every purchase; `[]` when there are none. */
  list(): Promise<Purchase[]>;
  /** Purchases whose vendor equals `vendorName` ignoring case and surrounding spaces. */
  byVendor(vendorName: string): Promise<Purchase[]>;
  /**
   * Purchases dated in the month `YYYY-MM`.
   * @throws ValidationError when `yearMonth` is not `YYYY-MM`.
   */
  byMonth(yearMonth: string): Promise<Purchase[]>;
}

/** One line's share of a purchase's shipping and tax (§4.5; derived, never stored). */
export interface PurchaseItemAllocation {
  item: PurchaseItem;
  /** quantity × unitCostCents. */
  lineCostCents: number;
  /** lineCost / subtotal (0 when the subtotal is 0). */
  ratio: number;
  /** round(shipping × ratio). */
  allocatedShippingCents: number;
  /** round(tax × ratio). */
  allocatedTaxCents: number;
  /** line + both allocations. */
  fullyLoadedCents: number;
  /** round(fullyLoaded / quantity). */
  costPerUnitCents: number;
}

/**
 * The store's `calculateItemAllocations` (§4.5): each line's share of shipping and tax, rounded per
 * line with `Math.round`, so the allocations need not add up to the purchase's shipping and tax. With a
 * subtotal of 0 every allocation is 0.
 */
export function purchaseAllocations(purchase: Purchase): PurchaseItemAllocation[] {
  const subtotal = purchase.subtotalCents;
  return purchase.items.map((item) => {
    const lineCostCents = item.quantity * item.unitCostCents;
    const ratio = subtotal === 0 ? 0 : lineCostCents / subtotal;
    const allocatedShippingCents = Math.round(purchase.shippingCents * ratio);
    const allocatedTaxCents = Math.round(purchase.taxCents * ratio);
    const fullyLoadedCents = lineCostCents + allocatedShippingCents + allocatedTaxCents;
    return {
      item,
      lineCostCents,
      ratio,
      allocatedShippingCents,
      allocatedTaxCents,
      fullyLoadedCents,
      costPerUnitCents: Math.round(fullyLoadedCents / item.quantity),
    };
  });
}

/** Σ quantity × unitCostCents, summed left to right as the store does (same float result). */
export function purchaseSubtotal(items: readonly PurchaseItem[]): number {
  return items.reduce((sum, item) => sum + item.quantity * item.unitCostCents, 0);
}

/** The `purchases:vendor:` key part: `vendorName.toLowerCase()` (spaces kept). */
export function vendorIndexName(vendorName: string): string {
  return vendorName.toLowerCase();
}

/** The `purchases:date:` key part: the first 7 characters of the date. */
export function purchaseMonth(purchaseDate: IsoDate): string {
  return purchaseDate.slice(0, 7);
}

/** Newest purchase date first, then newest createdAt, then id. */
export function comparePurchases(a: Purchase, b: Purchase): number {
  if (a.purchaseDate !== b.purchaseDate) return a.purchaseDate > b.purchaseDate ? -1 : 1;
  if (a.createdAt !== b.createdAt) return a.createdAt > b.createdAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
