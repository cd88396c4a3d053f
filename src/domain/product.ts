import type { GlobalScent } from './catalogue.js';
import type { Extra } from './common.js';
import { InsufficientStockError } from './errors.js';

/** A per-product wick choice (`standard`, `wood`, UI-made `wick-{ms}`); not a calculator wick. */
export interface VariantWickOption {
  id: string;
  name: string;
  extra?: Extra;
}

/** Legacy per-product scent (`variantConfig.scents`, only written 2025-10-14 → 10-15). */
export interface LegacyVariantScent {
  id: string;
  name: string;
  extra?: Extra;
}

/** One `variantData` entry. A missing entry means stock 0. */
export interface VariantStock {
  /** Whole number ≥ 0; `null` where the admin UI stored `NaN`. */
  stock?: number | null;
  /** Legacy (2025-10-14 → 10-15); may be `""`. */
  stripePriceId?: string;
  extra?: Extra;
}

/** `Product.variantConfig` (§4.4). Variants themselves are derived, not stored. */
export interface VariantConfig {
  wickTypes: VariantWickOption[];
  /** Keyed by variant id `{wickId}-{scentId}`; sparse; may hold orphan keys. */
  variantData: Record<string, VariantStock>;
  /** Legacy, see {@link LegacyVariantScent}. */
  scents?: LegacyVariantScent[];
  extra?: Extra;
}

/**
 * A catalogue product, `product:{slug}` (§4.4). Admin PATCH spreads the whole client draft, so every
 * optional field may hold `null` and unknown keys land in `extra`.
 */
export interface Product {
  slug: string;
  name: string;
  /** Legacy `price` (dollars) × 100; the codec refuses a price that is not whole cents. */
  priceCents: number;
  /** Legacy single image; may exist together with `images`. */
  image?: string | null;
  /** Since 2025-11-28; the first element is the primary image. */
  images?: string[] | null;
  /** `DCW-NNNN` by convention; required by POST, but a PATCH body can null it. */
  sku: string | null;
  stripePriceId?: string | null;
  squareCatalogId?: string | null;
  /** Website variant id → Square variation id; can be `{}`. */
  squareVariantMapping?: Record<string, string> | null;
  /** Absent on static products copied in by `ensureLive`. */
  seoDescription?: string | null;
  bestSeller?: boolean | null;
  youngDumb?: boolean | null;
  /** Base stock, whole number ≥ 0; `null` where the store saved `NaN` (the app reads it as 0). */
  stock: number | null;
  variantConfig?: VariantConfig | null;
  /** Display name of an alcohol type (not its id); no integrity. */
  alcoholType?: string | null;
  /** Legacy `materialCost` (dollars) × 100. */
  materialCostCents?: number | null;
  /** Absent means visible. */
  visibleOnWebsite?: boolean | null;
  extra?: Extra;
}

/** Value of the dead `stock:{slug}` counter (§2a #38): an integer, never authoritative. */
export type LegacyStockCounter = number;

/** A stock movement: checkout decrements (`delta < 0`), refunds restore (`delta > 0`). */
export interface StockChange {
  slug: string;
  /** The variant whose `variantData` entry changes; absent = the base `stock` (§7.4). */
  variantId?: string;
  /** Whole number; 0 is a no-op read. */
  delta: number;
}

/**
 * Products, `product:{slug}` + `products:index` (§4.4, §7.4). Lists are ordered by slug. Every write
 * validates the whole record first and writes nothing when it throws.
 */
export interface ProductRepository {
  /** Every stored product (not the static catalogue), ordered by slug; `[]` when there are none. */
  list(): Promise<Product[]>;
  /**
   * What the shop shows: the stored products plus every static product (§4.4) whose slug is not
   * stored, ordered by slug. Deleting a stored product whose slug is static makes the static one
   * reappear (stock 0), as in the store.
   */
  listResolved(): Promise<Product[]>;
  /** The stored product, or `null` (a static-only slug is `null` here; see {@link getResolved}). */
  get(slug: string): Promise<Product | null>;
  /** The stored product, else the static one, else `null`. */
  getResolved(slug: string): Promise<Product | null>;
  /**
   * Writes the whole product (the admin POST/PATCH result) and returns it as stored.
   * @throws ValidationError for bad input: a new slug not matching `^[a-z0-9-]+$`, a price or material
   *   cost that is negative or not whole cents, a stock that is negative or fractional, an empty name,
   *   an oversized string, or an `extra` key that names a modelled legacy field.
   */
  upsert(product: Product): Promise<Product>;
  /** Deletes the product; `false` when it was not stored. References elsewhere are kept (§7.8). */
  delete(slug: string): Promise<boolean>;
  /**
   * Sets the base stock. A static-only slug is copied into the store first (`ensureLive`, §7.4).
   * @throws ValidationError when `stock` is not a whole number ≥ 0.
   * @throws NotFoundError when the slug is neither stored nor static.
   */
  setStock(slug: string, stock: number): Promise<Product>;
  /**
   * Adds `delta` to the base stock atomically and returns the new stock (a stored `null` counts as 0).
   * @throws InsufficientStockError when the result would be below 0 (nothing is written).
   * @throws NotFoundError when the slug is neither stored nor static; ValidationError for a fractional delta.
   */
  adjustStock(slug: string, delta: number): Promise<number>;
  /**
   * Sets one variant's stock, creating its `variantData` entry (and the default variantConfig
   * `{wickTypes:[standard], variantData:{}}` when the product has none, as the store's resolved product
   * does). The variant id is not checked against the wick types: orphan keys are legacy behaviour (§8.21).
   * @throws ValidationError / NotFoundError as {@link setStock}, and for an empty or oversized variant id.
   */
  setVariantStock(slug: string, variantId: string, stock: number): Promise<Product>;
  /**
   * Adds `delta` to one variant's stock atomically and returns the new stock. A missing entry counts
   * as 0: a positive delta creates it (legacy `incrVariantStock`), a negative one throws.
   * @throws InsufficientStockError when the result would be below 0 (nothing is written).
   * @throws NotFoundError / ValidationError as {@link adjustStock}.
   */
  adjustVariantStock(slug: string, variantId: string, delta: number): Promise<number>;
}

/** Slug format for new products (the admin UI's slugify; the legacy API never checked it). */
export const PRODUCT_SLUG_PATTERN = /^[a-z0-9-]+$/;

/** The variantConfig the store's resolved product gains when it has none (§4.4 PATCH note). */
export function defaultVariantConfig(): VariantConfig {
  return { wickTypes: [{ id: 'standard', name: 'Standard Wick' }], variantData: {} };
}

/** Base stock as the app reads it (`null` → 0). */
export function baseStock(p: Product): number {
  return p.stock ?? 0;
}

/** A variant's stock as the app reads it (missing entry or `null` → 0). */
export function variantStock(p: Product, variantId: string): number {
  const data = p.variantConfig?.variantData;
  return data && Object.hasOwn(data, variantId) ? (data[variantId]?.stock ?? 0) : 0;
}

/**
 * The product after `change`, or an {@link InsufficientStockError} when the stock would go below 0.
 * Pure; both backends and every checkout/refund step use it, so the rules live in one place.
 */
export function applyStockChange(p: Product, change: StockChange): Product {
  const { variantId, delta } = change;
  if (delta === 0) return p;
  if (variantId === undefined) {
    const current = baseStock(p);
    if (current + delta < 0) throw new InsufficientStockError(p.slug, undefined, -delta, current);
    return { ...p, stock: current + delta };
  }
  const current = variantStock(p, variantId);
  if (current + delta < 0) throw new InsufficientStockError(p.slug, variantId, -delta, current);
  return withVariantStock(p, variantId, current + delta);
}

/** The product with one `variantData` entry set to `stock` (its other keys kept). */
export function withVariantStock(p: Product, variantId: string, stock: number): Product {
  const config = p.variantConfig ?? defaultVariantConfig();
  const entry = config.variantData[variantId];
  const variantData = { ...config.variantData };
  // defineProperty keeps an id such as `__proto__` an ordinary key.
  Object.defineProperty(variantData, variantId, {
    value: { ...entry, stock },
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return { ...p, variantConfig: { ...config, variantData } };
}

/** Whether a scent is offered on a product: non-limited, or limited and enabled for the slug (§4.4). */
export function isScentOffered(scent: GlobalScent, slug: string): boolean {
  // The store reads only `limited`: a pre-2025-12-04 record carrying only `experimental: true` is
  // offered everywhere, exactly as the live shop shows it (§4.9).
  return scent.limited !== true || (scent.enabledProducts ?? []).includes(slug);
}

/** One derived (never stored) variant of a product. */
export interface ProductVariant {
  /** `{wickTypeId}-{scentId}`. */
  id: string;
  wickTypeId: string;
  wickTypeName: string;
  scentId: string;
  scentName: string;
  sku: string;
  /** From `variantData` (missing → 0). */
  stock: number;
}

/**
 * The product's variants: its `wickTypes` × the scents offered on it, in wick order then in the order
 * of `scents` (pass them sorted as the shop sorts them). `[]` without a variantConfig.
 */
export function deriveVariants(p: Product, scents: readonly GlobalScent[]): ProductVariant[] {
  const offered = scents.filter((s) => isScentOffered(s, p.slug));
  return (p.variantConfig?.wickTypes ?? []).flatMap((w) =>
    offered.map((s) => {
      const id = `${w.id}-${s.id}`;
      return {
        id,
        wickTypeId: w.id,
        wickTypeName: w.name,
        scentId: s.id,
        scentName: s.name,
        sku: variantSku(p.sku, w.id, s.id),
        stock: variantStock(p, id),
      };
    }),
  );
}

/** `{sku}-{WD for the wick id "wood", else STD}-{first 3 characters of the scent id, upper-cased}`. */
export function variantSku(productSku: string | null, wickTypeId: string, scentId: string): string {
  // A nulled sku prints as "null", as the store's template string does.
  return `${productSku}-${wickTypeId === 'wood' ? 'WD' : 'STD'}-${scentId.slice(0, 3).toUpperCase()}`;
}

/**
 * Splits a variant id by the first wick type (in `wickTypes` order) whose id followed by `-` is a
 * prefix; both parts may contain hyphens, so a plain split on `-` is wrong. `null` when none matches
 * (an orphan key of a removed wick type).
 */
export function splitVariantId(
  variantId: string,
  wickTypes: readonly VariantWickOption[],
): { wickTypeId: string; scentId: string } | null {
  const wick = wickTypes.find((w) => variantId.startsWith(`${w.id}-`));
  return wick ? { wickTypeId: wick.id, scentId: variantId.slice(wick.id.length + 1) } : null;
}
