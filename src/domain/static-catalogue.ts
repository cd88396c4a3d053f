/**
 * The 15 products that exist only in the store's code (`src/lib/products.ts`, legacy-redis-format.md
 * §4.4): shown by the shop whenever their slug is not stored, and copied into the store by the first
 * stock operation on them (`ensureLive`, §7.4).
 *
 * Known from the spec: slug, SKU, price, alcohol type, best-seller flag, `stock: 0`, an `image` path
 * and no variantConfig. The display names follow the slugs. The store's real `stripePriceId`s are not
 * recorded in the spec, so they are left out here (a price → slug lookup for these products has to
 * come from Stripe or from the store's code).
 */
import type { Product } from './product.js';

/** One static product as the store's code lists it. */
export interface StaticEntry {
  slug: string;
  name: string;
  sku: string;
  priceCents: number;
  alcoholType: string;
  bestSeller: boolean;
}

const entry = (
  slug: string,
  name: string,
  n: number,
  priceCents: number,
  alcoholType: string,
  bestSeller = false,
): StaticEntry => ({
  slug,
  name,
  sku: `DCW-${String(n).padStart(4, '0')}`,
  priceCents,
  alcoholType,
  bestSeller,
});

/** The entries in SKU order (the legacy data generator reads them too). */
export const STATIC_ENTRIES: readonly StaticEntry[] = [
  entry('titos-candle', "Tito's Candle", 1, 2499, 'Vodka', true),
  entry('casamigos-candle', 'Casamigos Candle', 2, 2499, 'Tequila', true),
  entry('stgermain-candle', 'St-Germain Candle', 3, 2499, 'Liqueur', true),
  entry('la-crema-candle', 'La Crema Candle', 4, 1999, 'Wine'),
  entry('new-amsterdam-gin-candle', 'New Amsterdam Gin Candle', 5, 2499, 'Gin'),
  entry('pink-whitney-candle', 'Pink Whitney Candle', 6, 2499, 'Vodka'),
  entry('ruffino-prosecco-candle', 'Ruffino Prosecco Candle', 7, 1999, 'Wine'),
  entry('santan-espresso-martini-candle', 'SanTan Espresso Martini Candle', 8, 2499, 'Liqueur'),
  entry('bacardi-candle', 'Bacardi Candle', 9, 2499, 'Rum'),
  entry('mi-campo-tequila-candle', 'Mi Campo Tequila Candle', 10, 2499, 'Tequila'),
  entry('hendricks-gin-candle', "Hendrick's Gin Candle", 11, 2499, 'Gin'),
  entry('grand-marnier-candle', 'Grand Marnier Candle', 12, 2499, 'Liqueur'),
  entry('woodford-reserve-candle', 'Woodford Reserve Candle', 13, 2999, 'Whiskey', true),
  entry('1800-tequila-candle', '1800 Tequila Candle', 14, 2499, 'Tequila'),
  entry('bulleit-bourbon-candle', 'Bulleit Bourbon Candle', 15, 2499, 'Whiskey', true),
];

/** The image path the store gives a static product: the slug without `-candle` (`/images/titos-min.png`, §4.4). */
export function staticImage(slug: string): string {
  return `/images/${slug.replace(/-candle$/, '')}-min.png`;
}

function toProduct(e: StaticEntry): Product {
  return {
    slug: e.slug,
    name: e.name,
    priceCents: e.priceCents,
    image: staticImage(e.slug),
    sku: e.sku,
    alcoholType: e.alcoholType,
    bestSeller: e.bestSeller,
    stock: 0,
  };
}

/** The static catalogue as the shop shows it, in SKU order. Fresh objects on every call. */
export function staticProducts(): Product[] {
  return STATIC_ENTRIES.map(toProduct);
}

/** The static product with this slug, or `null`. */
export function staticProduct(slug: string): Product | null {
  const e = STATIC_ENTRIES.find((x) => x.slug === slug);
  return e ? toProduct(e) : null;
}

/**
 * What `ensureLive` writes the first time a static product's stock is touched: the static entry with
 * stock clamped ≥ 0 and `bestSeller` / `youngDumb` coerced to real booleans (§7.4).
 */
export function liveCopyOfStatic(p: Product): Product {
  return {
    ...p,
    bestSeller: Boolean(p.bestSeller),
    youngDumb: Boolean(p.youngDumb),
    stock: Math.max(0, p.stock ?? 0),
  };
}
