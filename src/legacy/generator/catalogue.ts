/**
 * The product catalogue of one run, computed up front (a few thousand entries even at scale
 * 1000) so that orders, refunds and promotions can reference real slugs, prices and variant ids
 * without reading back what was written.
 */
import {
  BRANDS,
  PRICES,
  PRODUCT_WICKS,
  SCENTS,
  STATIC_CATALOGUE,
  type StaticProduct,
} from './catalogue-data.js';
import { entityCounts } from './counts.js';
import { squareCatalogId, stripePriceId } from './ids.js';
import { rngFor } from './prng.js';

/** What other entities need to know about a product that is in Redis. */
export interface ProductInfo {
  slug: string;
  name: string;
  /** Dollars, a whole number of cents (e.g. 24.99). */
  price: number;
  sku: string;
  alcoholType: string;
  bestSeller: boolean;
  /** Copied from the static catalogue by `ensureLive` (no variantConfig). */
  staticCopy: boolean;
  wickTypes?: { id: string; name: string }[];
  /** `{wick}-{scent}` over the scents this product offers; empty without a variantConfig. */
  variantIds: string[];
  stripePriceId?: string;
  squareCatalogId?: string;
  /** website variantId → Square variation id (possibly `{}`). */
  squareMapping?: Record<string, string>;
}

/** The products of one run and what references them. */
export interface Catalogue {
  /** Every product written to `product:{slug}` by the main flow (natives, then static copies). */
  products: ProductInfo[];
  /** Static slugs that are **not** in Redis (referenced by orders, §8.20). */
  staticOnly: StaticProduct[];
  /** Limited scent id → the product slugs it is enabled on. */
  limitedEnabled: Map<string, string[]>;
}

export function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export function buildCatalogue(seed: string, scale: number): Catalogue {
  const counts = entityCounts(scale);
  const natives: ProductInfo[] = [];
  for (let i = 0; i < counts.nativeProducts; i++) {
    const rng = rngFor(seed, 'product-info', i);
    const [brand, alcoholType] = BRANDS[i % BRANDS.length]!;
    const round = Math.floor(i / BRANDS.length);
    const name = round === 0 ? `${brand} Candle` : `${brand} Candle No. ${round + 1}`;
    const wickTypes = rng.chance(0.8)
      ? rng.weighted<{ id: string; name: string }[]>([
          [[PRODUCT_WICKS.standard], 4],
          [[PRODUCT_WICKS.standard, PRODUCT_WICKS.wood], 5],
          [
            [
              PRODUCT_WICKS.standard,
              PRODUCT_WICKS.wood,
              { id: `wick-${1764800000000 + rng.int(0, 9e8)}`, name: 'Hemp Wick' },
            ],
            1,
          ],
        ])
      : undefined;
    natives.push({
      slug: slugify(name),
      name,
      price: rng.pick(PRICES),
      sku: `DCW-${String(16 + i).padStart(4, '0')}`,
      alcoholType,
      bestSeller: rng.chance(0.15),
      staticCopy: false,
      ...(wickTypes ? { wickTypes } : {}),
      variantIds: [],
      ...(rng.chance(0.95) ? { stripePriceId: stripePriceId(rng) } : {}),
    });
  }

  const limitedEnabled = new Map<string, string[]>();
  for (const scent of SCENTS.filter((x) => x.limited)) {
    const rng = rngFor(seed, 'limited-scent', scent.id);
    const withVariants = natives.filter((p) => p.wickTypes).map((p) => p.slug);
    limitedEnabled.set(scent.id, rng.sample(withVariants, rng.int(1, 4)));
  }
  for (const p of natives) {
    if (!p.wickTypes) continue;
    const scents = SCENTS.filter((x) => !x.limited || limitedEnabled.get(x.id)?.includes(p.slug));
    p.variantIds = p.wickTypes.flatMap((w) => scents.map((x) => `${w.id}-${x.id}`));
    const rng = rngFor(seed, 'product-square', p.slug);
    if (rng.chance(0.3)) {
      p.squareCatalogId = squareCatalogId(rng);
      p.squareMapping = Object.fromEntries(
        rng
          .sample(p.variantIds, rng.int(0, Math.min(6, p.variantIds.length)))
          .map((v) => [v, squareCatalogId(rng)]),
      );
    }
  }

  // At least one Square-mapped variant, so a Square order can carry an item variantId.
  const firstVariant = natives.find((p) => p.variantIds.length > 0);
  if (firstVariant && !natives.some((p) => Object.keys(p.squareMapping ?? {}).length > 0)) {
    const rng = rngFor(seed, 'product-square-forced');
    firstVariant.squareCatalogId = squareCatalogId(rng);
    firstVariant.squareMapping = { [firstVariant.variantIds[0]!]: squareCatalogId(rng) };
  }

  const order = rngFor(seed, 'static-copies').sample(STATIC_CATALOGUE, STATIC_CATALOGUE.length);
  const copies = order.slice(0, counts.staticCopies).map(
    (st): ProductInfo => ({
      ...st,
      staticCopy: true,
      variantIds: [],
      stripePriceId: stripePriceId(rngFor(seed, 'static-price', st.slug)),
    }),
  );
  return {
    products: [...natives, ...copies],
    staticOnly: order.slice(counts.staticCopies),
    limitedEnabled,
  };
}
