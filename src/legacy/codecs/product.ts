/** `product:{slug}` (§4.4) and the dead `stock:{slug}` counter (§2a #38). */
import type {
  LegacyVariantScent,
  Product,
  VariantConfig,
  VariantStock,
  VariantWickOption,
} from '../../domain/product.js';
import {
  type ObjectCodec,
  type ObjectFields,
  objectCodec,
  opt,
  optOrNull,
  req,
  reqOrNull,
} from './object.js';
import { arrayOf, bool, dollarsAsCents, recordOf, stockCount, str } from './primitives.js';
import { integerText, jsonValue } from './value.js';

// A wick option and a legacy scent are both `{ id, name }` plus client keys: one codec serves both.
const idNameCodec = objectCodec<VariantWickOption & LegacyVariantScent>(
  { id: req(str), name: req(str) },
  { extra: true },
);
export const wickOptionCodec: ObjectCodec<VariantWickOption> = idNameCodec;
export const legacyScentCodec: ObjectCodec<LegacyVariantScent> = idNameCodec;

// Admin UI stock is `Number(input)` clamped at ≥ 0, so NaN (stored as null) is possible here too.
const variantStockFields: ObjectFields<VariantStock> = {
  stock: optOrNull(stockCount),
  stripePriceId: opt(str),
};

export const variantStockCodec = objectCodec<VariantStock>(variantStockFields, { extra: true });

const variantConfigFields: ObjectFields<VariantConfig> = {
  wickTypes: req(arrayOf(wickOptionCodec)),
  scents: opt(arrayOf(legacyScentCodec)),
  variantData: req(recordOf(variantStockCodec)),
};

export const variantConfigCodec = objectCodec<VariantConfig>(variantConfigFields, { extra: true });

const productFields: ObjectFields<Product> = {
  slug: req(str),
  name: req(str),
  priceCents: req(dollarsAsCents, 'price'),
  image: optOrNull(str),
  images: optOrNull(arrayOf(str)),
  sku: reqOrNull(str),
  stripePriceId: optOrNull(str),
  squareCatalogId: optOrNull(str),
  squareVariantMapping: optOrNull(recordOf(str)),
  seoDescription: optOrNull(str),
  bestSeller: optOrNull(bool),
  youngDumb: optOrNull(bool),
  stock: reqOrNull(stockCount),
  variantConfig: optOrNull(variantConfigCodec),
  alcoholType: optOrNull(str),
  materialCostCents: optOrNull(dollarsAsCents, 'materialCost'),
  visibleOnWebsite: optOrNull(bool),
};

export const productCodec = objectCodec<Product>(productFields, { extra: true });
export const productValue = jsonValue(productCodec);
export const decodeProduct = productValue.decode;
export const encodeProduct = productValue.encode;

/** `stock:{slug}`: integer text (no writer in use; never authoritative). */
export const legacyStockValue = integerText;
export const decodeLegacyStock = legacyStockValue.decode;
export const encodeLegacyStock = legacyStockValue.encode;
