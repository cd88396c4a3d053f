/**
 * Input rules for product writes (upsert and the stock operations). Pure; both backends call them
 * before writing anything, so bad input never leaves half a record behind.
 */
import { ValidationError } from './errors.js';
import {
  checkExtra,
  checkId,
  checkNumber,
  checkOptionalBoolean,
  checkOptionalString,
  checkOptionalStringArray,
  checkString,
  MAX_ID_LENGTH,
  MAX_INT32,
  MAX_NAME_LENGTH,
  MAX_TEXT_LENGTH,
} from './field-checks.js';
import { PRODUCT_SLUG_PATTERN, type Product, type VariantConfig } from './product.js';

/** Legacy JSON names of the modelled product fields: an `extra` key must not reuse one. */
const PRODUCT_LEGACY_FIELDS = [
  'slug',
  'name',
  'price',
  'image',
  'images',
  'sku',
  'stripePriceId',
  'squareCatalogId',
  'squareVariantMapping',
  'seoDescription',
  'bestSeller',
  'youngDumb',
  'stock',
  'variantConfig',
  'alcoholType',
  'materialCost',
  'visibleOnWebsite',
];

/** A whole-cents money amount ≥ 0 (the domain holds cents; Redis writes `cents / 100`). */
function checkCents(field: string, value: unknown): number {
  return checkNumber(field, value, { min: 0, max: MAX_INT32, integer: true });
}

/** A stock count: whole number ≥ 0 (decisions.md §3). */
export function checkStock(field: string, value: unknown): number {
  return checkNumber(field, value, { min: 0, max: MAX_INT32, integer: true });
}

/** A stock delta: any whole number. */
export function checkDelta(value: unknown): number {
  return checkNumber('delta', value, { min: -MAX_INT32, max: MAX_INT32, integer: true });
}

/** Slug of an existing product: any non-empty string (legacy slugs were never checked). */
export function checkSlug(value: unknown): string {
  return checkString('slug', value, MAX_ID_LENGTH);
}

export function checkVariantId(value: unknown): string {
  return checkString('variantId', value, MAX_ID_LENGTH);
}

function checkVariantConfig(value: VariantConfig | null | undefined): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value.wickTypes))
    throw new ValidationError('variantConfig.wickTypes', 'must be an array');
  value.wickTypes.forEach((w, i) => {
    checkString(`variantConfig.wickTypes[${i}].id`, w?.id, MAX_ID_LENGTH);
    checkString(`variantConfig.wickTypes[${i}].name`, w?.name, MAX_NAME_LENGTH);
  });
  const data = value.variantData as unknown;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ValidationError('variantConfig.variantData', 'must be an object keyed by variant id');
  }
  for (const [id, entry] of Object.entries(value.variantData)) {
    checkVariantId(id);
    const at = `variantConfig.variantData[${JSON.stringify(id)}]`;
    if (typeof entry !== 'object' || entry === null) throw new ValidationError(at, 'must be an object');
    if (entry.stock !== undefined && entry.stock !== null) checkStock(`${at}.stock`, entry.stock);
    checkOptionalString(`${at}.stripePriceId`, entry.stripePriceId, MAX_NAME_LENGTH);
    checkExtra(`${at}.extra`, entry.extra, ['stock', 'stripePriceId']);
  }
  checkExtra('variantConfig.extra', value.extra, ['wickTypes', 'variantData', 'scents']);
}

/**
 * Checks a whole product before an upsert. `isNew` applies the slug format (`^[a-z0-9-]+$`) that
 * only new products must follow; existing legacy slugs are accepted as they are.
 */
export function validateProduct(p: Product, isNew: boolean): void {
  if (isNew) checkId('slug', p.slug, PRODUCT_SLUG_PATTERN, '^[a-z0-9-]+$');
  else checkSlug(p.slug);
  checkString('name', p.name, MAX_NAME_LENGTH);
  checkCents('priceCents', p.priceCents);
  if (p.materialCostCents !== undefined && p.materialCostCents !== null) {
    checkCents('materialCostCents', p.materialCostCents);
  }
  if (p.sku !== null) checkString('sku', p.sku, MAX_ID_LENGTH, true);
  if (p.stock !== null) checkStock('stock', p.stock);
  checkOptionalString('image', p.image, MAX_TEXT_LENGTH);
  checkOptionalStringArray('images', p.images, MAX_TEXT_LENGTH);
  checkOptionalString('stripePriceId', p.stripePriceId, MAX_NAME_LENGTH);
  checkOptionalString('squareCatalogId', p.squareCatalogId, MAX_NAME_LENGTH);
  checkOptionalString('seoDescription', p.seoDescription, MAX_TEXT_LENGTH);
  checkOptionalString('alcoholType', p.alcoholType, MAX_NAME_LENGTH);
  checkOptionalBoolean('bestSeller', p.bestSeller);
  checkOptionalBoolean('youngDumb', p.youngDumb);
  checkOptionalBoolean('visibleOnWebsite', p.visibleOnWebsite);
  if (p.squareVariantMapping !== undefined && p.squareVariantMapping !== null) {
    for (const [k, v] of Object.entries(p.squareVariantMapping)) {
      checkString(`squareVariantMapping[${JSON.stringify(k)}]`, v, MAX_NAME_LENGTH, true);
    }
  }
  checkVariantConfig(p.variantConfig);
  checkExtra('extra', p.extra, PRODUCT_LEGACY_FIELDS);
}
