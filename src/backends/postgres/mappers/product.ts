/**
 * `products` + `product_variants` rows ⇄ {@link Product} (legacy-redis-format.md §4.4). The legacy
 * `variantConfig` is split: its wick list, legacy scents and unknown keys are product columns, and each
 * `variantData` entry is one `product_variants` row (none = `{}`).
 */
import { canonicalHash } from '../../../domain/canonical.js';
import type { Product, VariantConfig, VariantStock } from '../../../domain/product.js';
import { legacyScentCodec, wickOptionCodec } from '../../../legacy/codecs/product.js';
import type {
  LegacyScentJson,
  NewProductRow,
  NewProductVariantRow,
  ProductRow,
  ProductVariantRow,
  WickTypeJson,
} from '../schema/catalog.js';
import { copyObject, extraColumn, NullTracker, RecordBuilder } from './common.js';

/** A product's rows: the parent and one row per `variantData` key. */
export interface ProductRows {
  product: NewProductRow;
  variants: NewProductVariantRow[];
}

/** The insert rows of one product; `sync_written_at` is left to the caller. */
export function toProductRows(record: Product): ProductRows {
  const n = new NullTracker();
  const config = record.variantConfig;
  if (config === null) n.nulls.push('variantConfig');
  const product: NewProductRow = {
    slug: record.slug,
    name: record.name,
    priceCents: record.priceCents,
    materialCostCents: n.col('materialCostCents', record.materialCostCents),
    image: n.col('image', record.image),
    images: n.col('images', record.images),
    sku: n.col('sku', record.sku),
    stripePriceId: n.col('stripePriceId', record.stripePriceId),
    squareCatalogId: n.col('squareCatalogId', record.squareCatalogId),
    squareVariantMapping: copyOrNull(n.col('squareVariantMapping', record.squareVariantMapping)),
    seoDescription: n.col('seoDescription', record.seoDescription),
    bestSeller: n.col('bestSeller', record.bestSeller),
    youngDumb: n.col('youngDumb', record.youngDumb),
    stock: n.col('stock', record.stock),
    alcoholType: n.col('alcoholType', record.alcoholType),
    visibleOnWebsite: n.col('visibleOnWebsite', record.visibleOnWebsite),
    hasVariantConfig: config !== null && config !== undefined,
    wickTypes: config ? (config.wickTypes.map((w) => wickOptionCodec.encode(w)) as WickTypeJson[]) : null,
    legacyScents: config?.scents
      ? (config.scents.map((s) => legacyScentCodec.encode(s)) as LegacyScentJson[])
      : null,
    variantConfigExtra: extraColumn(config?.extra),
    extra: extraColumn(record.extra),
    legacyNulls: n.nulls,
    syncHash: canonicalHash(record),
  };
  const variants = Object.entries(config?.variantData ?? {}).map(([variantId, v]) =>
    toVariantRow(record.slug, variantId, v),
  );
  return { product, variants };
}

/** `toProductRows(record).product`, for callers that write the parent alone. */
export function toProductRow(record: Product): NewProductRow {
  return toProductRows(record).product;
}

function toVariantRow(productSlug: string, variantId: string, v: VariantStock): NewProductVariantRow {
  const n = new NullTracker();
  return {
    productSlug,
    variantId,
    stock: n.col('stock', v.stock),
    stripePriceId: n.col('stripePriceId', v.stripePriceId),
    extra: extraColumn(v.extra),
    legacyNulls: n.nulls,
  };
}

/** The product exactly as the codec decodes its legacy JSON; `variants` are its `product_variants` rows. */
export function fromProductRow(row: ProductRow, variants: readonly ProductVariantRow[]): Product {
  const b = new RecordBuilder(row.legacyNulls)
    .req('slug', row.slug)
    .req('name', row.name)
    .req('priceCents', row.priceCents)
    .opt('image', row.image)
    .opt('images', row.images, (xs) => [...xs])
    .req('sku', row.sku)
    .opt('stripePriceId', row.stripePriceId)
    .opt('squareCatalogId', row.squareCatalogId)
    .opt('squareVariantMapping', row.squareVariantMapping, copyObject)
    .opt('seoDescription', row.seoDescription)
    .opt('bestSeller', row.bestSeller)
    .opt('youngDumb', row.youngDumb)
    .req('stock', row.stock);
  if (row.hasVariantConfig) b.req('variantConfig', fromVariantConfig(row, variants));
  else if (b.wasNull('variantConfig')) b.req('variantConfig', null);
  return b
    .opt('alcoholType', row.alcoholType)
    .opt('materialCostCents', row.materialCostCents)
    .opt('visibleOnWebsite', row.visibleOnWebsite)
    .extra(row.extra)
    .build<Product>();
}

function fromVariantConfig(row: ProductRow, variants: readonly ProductVariantRow[]): VariantConfig {
  const variantData = Object.fromEntries(variants.map((v) => [v.variantId, fromVariantRow(v)]));
  return new RecordBuilder([])
    .req(
      'wickTypes',
      (row.wickTypes ?? []).map((w, i) => wickOptionCodec.decode(w, `variantConfig.wickTypes[${i}]`)),
    )
    .req('variantData', variantData)
    .opt('scents', row.legacyScents, (xs) =>
      xs.map((s, i) => legacyScentCodec.decode(s, `variantConfig.scents[${i}]`)),
    )
    .extra(row.variantConfigExtra)
    .build<VariantConfig>();
}

function fromVariantRow(row: ProductVariantRow): VariantStock {
  return new RecordBuilder(row.legacyNulls)
    .opt('stock', row.stock)
    .opt('stripePriceId', row.stripePriceId)
    .extra(row.extra)
    .build<VariantStock>();
}

function copyOrNull<T>(value: Record<string, T> | null): Record<string, T> | null {
  return value === null ? null : copyObject(value);
}
