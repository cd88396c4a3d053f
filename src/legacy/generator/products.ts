/**
 * Catalogue section: products (§4.4), alcohol types (§4.8), scents and base oils (§4.9),
 * containers (§4.10), calculator settings and wicks (§4.11) and the dead `stock:{slug}` keys.
 */
import {
  BASE_OILS,
  CONTAINERS,
  DEFAULT_ALCOHOL_TYPES,
  DEFAULT_WICKS,
  SCENTS,
  STATIC_CATALOGUE,
} from './catalogue-data.js';
import { staticImage } from '../../domain/static-catalogue.js';
import type { ProductInfo } from './catalogue.js';
import type { GenContext } from './context.js';
import { blobUrl } from './ids.js';
import type { Rng } from './prng.js';

const DEFAULT_SEO = 'Hand-poured candle in an upcycled bottle.';

/** The JSON of a product in the main flow (no planted anomalies). */
export function productRecord(rng: Rng, p: ProductInfo): Record<string, unknown> {
  if (p.staticCopy) {
    // ensureLive: the static entry with stock clamped ≥ 0 and booleans coerced.
    return {
      slug: p.slug,
      name: p.name,
      price: p.price,
      image: staticImage(p.slug),
      sku: p.sku,
      stripePriceId: p.stripePriceId,
      alcoholType: p.alcoholType,
      bestSeller: p.bestSeller,
      youngDumb: false,
      stock: rng.int(0, 12),
    };
  }
  const onlyImage = rng.chance(0.1);
  const variantData: Record<string, { stock: number }> = {};
  for (const v of p.variantIds) if (rng.chance(0.6)) variantData[v] = { stock: rng.int(0, 12) };
  return {
    slug: p.slug,
    name: p.name,
    price: p.price,
    image: onlyImage || rng.chance(0.2) ? `/images/${p.slug}-min.png` : undefined,
    images: onlyImage
      ? undefined
      : [
          blobUrl(rng, 'products', p.slug),
          ...(rng.chance(0.4) ? [blobUrl(rng, 'products', `${p.slug}-2`)] : []),
        ],
    sku: p.sku,
    stripePriceId: p.stripePriceId,
    squareCatalogId: p.squareCatalogId,
    squareVariantMapping: p.squareMapping,
    seoDescription: rng.chance(0.6)
      ? DEFAULT_SEO
      : `${p.name}: hand-poured soy wax in an upcycled ${p.alcoholType.toLowerCase()} bottle.`,
    bestSeller: rng.chance(0.85) ? p.bestSeller : undefined,
    youngDumb: rng.chance(0.7) ? rng.chance(0.1) : undefined,
    stock: rng.int(0, 40),
    variantConfig: p.wickTypes ? { wickTypes: p.wickTypes, variantData } : undefined,
    alcoholType: rng.chance(0.95) ? p.alcoholType : undefined,
    materialCost: rng.chance(0.7) ? rng.int(250, 900) / 100 : undefined,
    visibleOnWebsite: rng.chance(0.8) ? rng.chance(0.9) : undefined,
  };
}

export function* productsSection(ctx: GenContext): Generator<void> {
  const { keys, out, index } = ctx;
  for (const p of ctx.catalogue.products) {
    out.json('product', keys.product(p.slug), productRecord(ctx.rng('product', p.slug), p));
    index.add('productsIndex', keys.productsIndex(), p.slug);
    yield;
  }
  index.flush();
}

export function catalogueSection(ctx: GenContext): void {
  const { keys, out, index } = ctx;
  for (const a of DEFAULT_ALCOHOL_TYPES) {
    out.json('alcoholType', keys.alcoholType(a.id), a);
    index.add('alcoholTypesIndex', keys.alcoholTypesIndex(), a.id);
  }
  for (const sc of SCENTS) {
    const rng = ctx.rng('scent', sc.id);
    const composition = sc.oils?.map((baseOilId, i, all) => ({
      baseOilId,
      percentage: i === all.length - 1 ? 100 - 60 * (all.length - 1) : 60,
    }));
    out.json('scent', keys.scent(sc.id), {
      id: sc.id,
      name: sc.name,
      limited: sc.limited ?? false,
      enabledProducts: sc.limited ? ctx.catalogue.limitedEnabled.get(sc.id) : undefined,
      sortOrder: sc.sortOrder,
      notes: sc.notes,
      seasonal: sc.seasonal,
      costPerOz: !composition && rng.chance(0.5) ? 1.75 : undefined,
      composition,
    });
    // With planting on, the index is replaced by the `index` scent later (§8.18): every SADD
    // after that fails with WRONGTYPE, and the earlier members are gone with the set.
    if (!ctx.planting) index.add('scentsIndex', keys.scentsIndex(), sc.id);
  }
  for (const oil of BASE_OILS) {
    out.json('baseOil', keys.baseOil(oil.id), oil);
    index.add('baseOilsIndex', keys.baseOilsIndex(), oil.id);
  }
  for (const c of CONTAINERS) {
    out.json('container', keys.container(c.id), c);
    index.add('containersIndex', keys.containersIndex(), c.id);
  }
  out.json('calculatorSettings', keys.calculatorSettings(), {
    waxCostPerOz: 0.2189444444444444,
    waterToWaxRatio: 0.9,
    defaultFragranceLoad: 0.1,
  });
  for (const w of DEFAULT_WICKS) {
    out.json('calculatorWick', keys.calculatorWick(w.id), w);
    index.add('calculatorWicksIndex', keys.calculatorWicksIndex(), w.id);
  }
  // Dead counters from the October inventory helpers (§2a #38): never written since, never read.
  const rng = ctx.rng('legacy-stock');
  for (const st of rng.sample(STATIC_CATALOGUE, ctx.counts.legacyStockKeys)) {
    out.set('legacyStock', keys.legacyStock(st.slug), String(rng.int(0, 24)));
  }
  index.flush();
}
