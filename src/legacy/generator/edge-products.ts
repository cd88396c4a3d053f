/**
 * Planted §8 cases in products (§4.4): fractional and null stock, extra keys, the October-2025
 * variantConfig shape, image-only records, orphan variant keys, an alcoholType naming no type, an
 * all-digit slug, an unindexed product and a dangling `products:index` member.
 */
import { type ProductInfo, slugify } from './catalogue.js';
import type { GenContext } from './context.js';
import { stripePriceId } from './ids.js';
import { productRecord } from './products.js';

type Patch = (p: Record<string, unknown>) => void;

/** [edge kind, note, patch] for products planted as extra records. */
const PRODUCT_CASES: [Parameters<GenContext['edge']>[0], string, Patch][] = [
  [
    'fractional-value',
    'base stock 3.5 (PATCH does not floor)',
    (p) => {
      p.stock = 3.5;
    },
  ],
  [
    'fractional-value',
    'variant stock 2.25 (admin UI input)',
    (p) => {
      firstVariant(p, 2.25);
    },
  ],
  [
    'null-field',
    'stock null (NaN from bad input)',
    (p) => {
      p.stock = null;
    },
  ],
  [
    'null-field',
    'alcoholType null (copied from the PATCH body)',
    (p) => {
      p.alcoholType = null;
    },
  ],
  [
    'unknown-extra-key',
    'client draft keys isNew and variants',
    (p) => {
      p.isNew = true;
      p.variants = [];
    },
  ],
  [
    'legacy-shape',
    'variantConfig.scents and variantData[*].stripePriceId (2025-10-14)',
    (p) => {
      legacyVariantConfig(p);
    },
  ],
  [
    'legacy-shape',
    'only the legacy image field',
    (p) => {
      p.image = `/images/${p.slug as string}-min.png`;
      p.images = undefined;
    },
  ],
  [
    'orphan-variant-key',
    'variantData keys for a deleted scent and a deleted wick',
    (p) => {
      orphanKeys(p);
    },
  ],
  [
    'dangling-name-ref',
    'alcoholType "Mezcal" names no alcohol type',
    (p) => {
      p.alcoholType = 'Mezcal';
    },
  ],
];

function firstVariant(p: Record<string, unknown>, stock: number): void {
  const vc = p.variantConfig as { variantData: Record<string, { stock: number }> } | undefined;
  if (vc) vc.variantData['standard-vanilla'] = { stock };
}

function legacyVariantConfig(p: Record<string, unknown>): void {
  p.variantConfig = {
    wickTypes: [{ id: 'standard', name: 'Standard Wick' }],
    scents: [
      { id: 'vanilla', name: 'Vanilla' },
      { id: 'lavender', name: 'Lavender' },
    ],
    variantData: {
      'standard-vanilla': { stripePriceId: 'price_1QBcVanillaLegacy0000000', stock: 4 },
      'standard-lavender': { stripePriceId: '', stock: 0 },
    },
  };
}

function orphanKeys(p: Record<string, unknown>): void {
  const vc = p.variantConfig as { variantData: Record<string, { stock: number }> } | undefined;
  if (vc) {
    vc.variantData['standard-pumpkin-spice-2024'] = { stock: 3 };
    vc.variantData['wick-1733100000000-vanilla'] = { stock: 1 };
  }
}

function edgeProduct(ctx: GenContext, k: number, tag: string): ProductInfo {
  const rng = ctx.rng('edge-product', tag, k);
  const name = `Small Batch ${tag} ${k + 1} Candle`;
  return {
    slug: slugify(name),
    name,
    price: 24.99,
    sku: `DCW-9${String(k).padStart(3, '0')}`,
    alcoholType: 'Other',
    bestSeller: false,
    staticCopy: false,
    wickTypes: [{ id: 'standard', name: 'Standard Wick' }],
    variantIds: ['standard-vanilla', 'standard-lavender'],
    stripePriceId: stripePriceId(rng),
  };
}

export function edgeProducts(ctx: GenContext): void {
  const { keys, out, index } = ctx;
  const q = ctx.quota(ctx.catalogue.products.length, 0.25);
  for (let k = 0; k < q; k++) {
    for (const [c, [kind, note, patch]] of PRODUCT_CASES.entries()) {
      const info = edgeProduct(ctx, k, `B${c}`);
      const p = productRecord(ctx.rng('edge-product-record', c, k), info);
      patch(p);
      out.json('product', keys.product(info.slug), p);
      index.add('productsIndex', keys.productsIndex(), info.slug);
      ctx.edge(kind, keys.product(info.slug), note);
    }
    const lost = edgeProduct(ctx, k, 'U');
    out.json('product', keys.product(lost.slug), productRecord(ctx.rng('edge-unindexed', k), lost));
    ctx.edge('unindexed-record', keys.product(lost.slug), 'product missing from products:index');
    const digits = String(1800 + k * 7);
    out.json(
      'product',
      keys.product(digits),
      productRecord(ctx.rng('edge-digits', k), { ...edgeProduct(ctx, k, 'D'), slug: digits, name: digits }),
    );
    index.add('productsIndex', keys.productsIndex(), digits);
    ctx.edge(
      'json-looking-value',
      keys.product(digits),
      `slug "${digits}" is all digits: its products:index member parses as a number`,
    );
    const gone = `discontinued-candle-${k + 1}`;
    index.add('productsIndex', keys.productsIndex(), gone);
    ctx.edge('dangling-index-id', keys.productsIndex(), `product ${gone} has no record`);
  }
  index.flush();
}
