/**
 * The product catalogue: products (`product:{slug}`, legacy-redis-format.md §4.4), their variant
 * stock (the sparse `variantConfig.variantData`) and alcohol types (`alcohol-type:{id}`, §4.8).
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { legacyColumns, syncColumns, timestampColumns } from './columns.js';

/** A per-product wick choice (`variantConfig.wickTypes[]`); kept verbatim, extra keys included. */
export interface WickTypeJson {
  id: string;
  name: string;
  [key: string]: unknown;
}

/** A legacy per-product scent (`variantConfig.scents[]`, 2025-10-14 → 10-15). */
export interface LegacyScentJson {
  id: string;
  name: string;
  [key: string]: unknown;
}

export const products = pgTable(
  'products',
  {
    slug: text('slug').primaryKey(),
    name: text('name').notNull(),
    /** Legacy `price` is dollars; stored as whole cents (decisions.md §2). */
    priceCents: integer('price_cents').notNull(),
    materialCostCents: integer('material_cost_cents'),
    /** Deprecated single image; may coexist with `images` (§4.4). */
    image: text('image'),
    images: text('images').array(),
    /** Required by POST, but a PATCH body can null it (kept with `legacy_nulls`). Not unique. */
    sku: text('sku'),
    stripePriceId: text('stripe_price_id'),
    squareCatalogId: text('square_catalog_id'),
    /** website variantId → Square variation id; can be `{}`. */
    squareVariantMapping: jsonb('square_variant_mapping').$type<Record<string, string>>(),
    /** Legacy `seoDescription` (the seed renamed it `description`). */
    seoDescription: text('seo_description'),
    bestSeller: boolean('best_seller'),
    youngDumb: boolean('young_dumb'),
    /** Base stock. NULL = legacy `null` (NaN from bad input; the app reads 0) or absent (§8.13). */
    stock: integer('stock'),
    /** The alcohol type's display name, not its id; no FK (names outlive renames, §8.6). */
    alcoholType: text('alcohol_type'),
    visibleOnWebsite: boolean('visible_on_website'),
    /**
     * Whether the legacy record has a `variantConfig` object. Its `variantData` entries are the
     * product's `product_variants` rows (none = `{}`).
     */
    hasVariantConfig: boolean('has_variant_config').notNull().default(false),
    /** `variantConfig.wickTypes`, verbatim and in order; NULL when absent. */
    wickTypes: jsonb('wick_types').$type<WickTypeJson[]>(),
    /** Legacy `variantConfig.scents` (only configs written 2025-10-14 → 10-15); NULL when absent. */
    legacyScents: jsonb('legacy_scents').$type<LegacyScentJson[]>(),
    /** Unknown keys inside `variantConfig` (top-level unknown keys go to `extra`). */
    variantConfigExtra: jsonb('variant_config_extra').$type<Record<string, unknown>>().notNull().default({}),
    /** Postgres-only bookkeeping: legacy products have no timestamps. */
    ...timestampColumns(),
    ...legacyColumns(),
    ...syncColumns(),
  },
  (t) => [
    index('products_name_idx').on(t.name),
    index('products_sku_idx').on(t.sku),
    index('products_stripe_price_id_idx').on(t.stripePriceId).where(sql`${t.stripePriceId} IS NOT NULL`),
    index('products_square_catalog_id_idx')
      .on(t.squareCatalogId)
      .where(sql`${t.squareCatalogId} IS NOT NULL`),
    index('products_alcohol_type_idx').on(t.alcoholType),
    index('products_best_seller_idx').on(t.bestSeller).where(sql`${t.bestSeller} = true`),
    check('products_price_cents_check', sql`${t.priceCents} >= 0`),
    check('products_material_cost_cents_check', sql`${t.materialCostCents} >= 0`),
    check('products_stock_check', sql`${t.stock} >= 0`),
    check(
      'products_variant_config_check',
      sql`${t.hasVariantConfig} OR (${t.wickTypes} IS NULL AND ${t.legacyScents} IS NULL AND ${t.variantConfigExtra} = '{}'::jsonb)`,
    ),
  ],
);

/**
 * One row per key of `variantConfig.variantData` (sparse: a missing key means stock 0), so a stock
 * change is a single-row atomic UPDATE instead of a JSON read-modify-write (seed §5 risk 7).
 */
export const productVariants = pgTable(
  'product_variants',
  {
    productSlug: text('product_slug')
      .notNull()
      .references(() => products.slug, { onDelete: 'cascade', onUpdate: 'cascade' }),
    /** `{wickId}-{scentId}`; orphan keys (deleted wicks/scents) are kept (§8.21). */
    variantId: text('variant_id').notNull(),
    /** NULL = legacy `null`/absent stock (see `legacy_nulls`); fractional values are rejected upstream. */
    stock: integer('stock'),
    /** Legacy `variantData[*].stripePriceId` (2025-10-14 → 10-15); may be `""`. */
    stripePriceId: text('stripe_price_id'),
    ...legacyColumns(),
  },
  (t) => [
    primaryKey({ name: 'product_variants_pkey', columns: [t.productSlug, t.variantId] }),
    check('product_variants_stock_check', sql`${t.stock} >= 0`),
  ],
);

export const alcoholTypes = pgTable(
  'alcohol_types',
  {
    /** Slug of the name; can be `''` for a name made only of symbols (§3). */
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** NULL = absent (created without one); no default 9999. `number` in legacy data. */
    sortOrder: doublePrecision('sort_order'),
    /** NULL = absent (the reader treats it as false). */
    archived: boolean('archived'),
    /**
     * Renames could leave two types with the same name (§8.16). The repository sets this on a row
     * whose case-insensitive name is already taken, so the unique index below still protects new
     * writes without rejecting legacy data.
     */
    nameConflict: boolean('name_conflict').notNull().default(false),
    /** Postgres-only bookkeeping: legacy alcohol types have no timestamps. */
    ...timestampColumns(),
    ...legacyColumns(),
    ...syncColumns(),
  },
  (t) => [
    index('alcohol_types_name_lower_idx').on(sql`lower(${t.name})`),
    uniqueIndex('alcohol_types_name_lower_unique')
      .on(sql`lower(${t.name})`)
      .where(sql`NOT ${t.nameConflict}`),
    index('alcohol_types_sort_idx').on(t.sortOrder, t.name),
  ],
);

export type ProductRow = typeof products.$inferSelect;
export type NewProductRow = typeof products.$inferInsert;
export type ProductVariantRow = typeof productVariants.$inferSelect;
export type NewProductVariantRow = typeof productVariants.$inferInsert;
export type AlcoholTypeRow = typeof alcoholTypes.$inferSelect;
export type NewAlcoholTypeRow = typeof alcoholTypes.$inferInsert;
