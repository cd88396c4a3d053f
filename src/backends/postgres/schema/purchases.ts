/** Business expenses (`purchase:{id}`, legacy-redis-format.md §4.5). */
import { sql } from 'drizzle-orm';
import { check, date, index, integer, numeric, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { legacyColumns, syncColumns, timestampColumns } from './columns.js';

/** `numeric` read and written as a JS number: legacy quantities and "cents" can be fractional. */
const decimal = (name: string) => numeric(name, { mode: 'number' });

export const purchases = pgTable(
  'purchases',
  {
    id: text('id').primaryKey(),
    /** Trimmed; case varies between purchases (the vendor index compares `lower(vendor_name)`). */
    vendorName: text('vendor_name').notNull(),
    /** `YYYY-MM-DD`; a malformed legacy date (e.g. `25-12-01`) is a decode error upstream. */
    purchaseDate: date('purchase_date', { mode: 'string' }).notNull(),
    /** Σ quantity × unitCostCents: fractional when a quantity was (decisions.md §2). */
    subtotalCents: decimal('subtotal_cents').notNull(),
    shippingCents: decimal('shipping_cents').notNull().default(0),
    taxCents: decimal('tax_cents').notNull().default(0),
    totalCents: decimal('total_cents').notNull(),
    /** A PATCH can store `null` or `""` (§8.13). */
    receiptImageUrl: text('receipt_image_url'),
    notes: text('notes'),
    ...timestampColumns(),
    ...legacyColumns(),
    ...syncColumns(),
  },
  (t) => [
    index('purchases_vendor_lower_idx').on(sql`lower(${t.vendorName})`),
    index('purchases_date_idx').on(t.purchaseDate.desc()),
    index('purchases_created_at_idx').on(t.createdAt.desc()),
    check('purchases_shipping_cents_check', sql`${t.shippingCents} >= 0`),
    check('purchases_tax_cents_check', sql`${t.taxCents} >= 0`),
  ],
);

/** One row per element of `items`, keyed by position (decisions.md §7); identical lines are kept. */
export const purchaseItems = pgTable(
  'purchase_items',
  {
    purchaseId: text('purchase_id')
      .notNull()
      .references(() => purchases.id, { onDelete: 'cascade', onUpdate: 'cascade' }),
    lineNo: integer('line_no').notNull(),
    name: text('name').notNull(),
    /**
     * Not necessarily an integer (form `parseFloat` until 2025-12-12, CSV import always). No CHECK > 0:
     * the API only checked `typeof number`, so CSV imports can hold 0 and the codec accepts any number.
     */
    quantity: decimal('quantity').notNull(),
    /** The API only checked `typeof number`: no sign or integer constraint. */
    unitCostCents: decimal('unit_cost_cents').notNull(),
    /** Free text (the UI list, or any lower-cased CSV text). */
    category: text('category').notNull(),
    notes: text('notes'),
    ...legacyColumns(),
  },
  (t) => [
    primaryKey({ name: 'purchase_items_pkey', columns: [t.purchaseId, t.lineNo] }),
    index('purchase_items_category_idx').on(t.category),
    check('purchase_items_line_no_check', sql`${t.lineNo} >= 0`),
  ],
);

export type PurchaseRow = typeof purchases.$inferSelect;
export type NewPurchaseRow = typeof purchases.$inferInsert;
export type PurchaseItemRow = typeof purchaseItems.$inferSelect;
export type NewPurchaseItemRow = typeof purchaseItems.$inferInsert;
