/**
 * Order lines (§4.2 OrderItem) per source: real slugs, static-only slugs, and the synthetic
 * `unmapped-…` / `square-…` slugs, with `priceCents` as the line total.
 */
import type { ProductInfo } from './catalogue.js';
import type { GenContext } from './context.js';
import { squareCatalogId, stripePriceId } from './ids.js';
import type { Rng } from './prng.js';
import { T } from './timeline.js';

export type OrderSource = 'stripe-webhook' | 'stripe-sync' | 'manual' | 'square' | 'test';

/** One line as stored; `extra` keys of test orders are spread in verbatim. */
export interface OrderItem {
  productSlug: string;
  productName: string;
  quantity: number;
  priceCents: number;
  variantId?: string;
  [extra: string]: unknown;
}

/** What a line references, for the edge-case log. */
export type LineRef = 'product' | 'static-only' | 'synthetic';

/** An order line plus what it references (for the edge-case log). */
export interface Line {
  item: OrderItem;
  ref: LineRef;
}

const cents = (dollars: number) => Math.round(dollars * 100);

function productLine(rng: Rng, p: ProductInfo, source: OrderSource, createdMs: number): OrderItem {
  const quantity = rng.weighted([
    [1, 80],
    [2, 15],
    [3, 5],
  ]);
  const item: OrderItem = {
    productSlug: p.slug,
    productName: p.name,
    quantity,
    priceCents: cents(p.price) * quantity,
  };
  if (source === 'square' && createdMs >= T.squareVariant && p.squareMapping) {
    const mapped = Object.keys(p.squareMapping);
    if (mapped.length > 0 && rng.chance(0.7)) item.variantId = rng.pick(mapped);
  }
  if (source === 'test' && p.variantIds.length > 0 && rng.chance(0.5))
    item.variantId = rng.pick(p.variantIds);
  return item;
}

function syntheticLine(rng: Rng, source: OrderSource): OrderItem {
  if (source === 'square') {
    return rng.chance(0.7)
      ? {
          productSlug: `square-${squareCatalogId(rng)}`,
          productName: 'Square Item (Unmapped)',
          quantity: 1,
          priceCents: 2000,
        }
      : {
          productSlug: 'square-unmapped',
          productName: 'Square Item (Unmapped)',
          quantity: 1,
          priceCents: 1500,
        };
  }
  const price = stripePriceId(rng);
  return {
    productSlug: `unmapped-${price}`,
    productName: `${rng.pick(['Gift Card', 'Candle Care Kit', 'Wick Trimmer'])} (Not Listed)`,
    quantity: 1,
    priceCents: rng.pick([1000, 1500, 2500]),
  };
}

/** 1–3 lines for an order of `source`, mostly catalogue products. */
export function orderLines(ctx: GenContext, rng: Rng, source: OrderSource, createdMs: number): Line[] {
  const n = rng.weighted([
    [1, 70],
    [2, 22],
    [3, 8],
  ]);
  const lines: Line[] = [];
  const { products, staticOnly } = ctx.catalogue;
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    if (r < 0.015 && (source === 'stripe-webhook' || source === 'square')) {
      lines.push({ item: syntheticLine(rng, source), ref: 'synthetic' });
    } else if (r < 0.045 && staticOnly.length > 0 && source !== 'square') {
      const st = rng.pick(staticOnly);
      lines.push({
        item: { productSlug: st.slug, productName: st.name, quantity: 1, priceCents: cents(st.price) },
        ref: 'static-only',
      });
    } else {
      lines.push({ item: productLine(rng, rng.pick(products), source, createdMs), ref: 'product' });
    }
  }
  if (source === 'square' && rng.chance(0.02)) {
    // A payment with no itemisation at all.
    return [
      {
        item: {
          productSlug: 'square-pos-sale',
          productName: 'Square POS Sale',
          quantity: 1,
          priceCents: 2500,
        },
        ref: 'synthetic',
      },
    ];
  }
  return lines;
}

/** A Square line whose product maps the sold variant (for the scale-1 Square order), if any. */
export function mappedSquareLine(ctx: GenContext, rng: Rng): Line | undefined {
  const mapped = ctx.catalogue.products.filter((p) => Object.keys(p.squareMapping ?? {}).length > 0);
  if (mapped.length === 0) return undefined;
  const p = rng.pick(mapped);
  const variantId = rng.pick(Object.keys(p.squareMapping ?? {}));
  return {
    item: {
      productSlug: p.slug,
      productName: p.name,
      quantity: 1,
      priceCents: Math.round(p.price * 100),
      variantId,
    },
    ref: 'product',
  };
}
