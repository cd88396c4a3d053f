/**
 * Fixed reference data of the store, exactly as legacy-redis-format.md lists it: the 15-product
 * static catalogue (§4.4), the 8 default alcohol types (§4.8), the 4 seeded scents (§4.9) and the 4
 * default calculator wicks (§4.11); plus plausible extra scents, oils, containers and spirit
 * brands, which the spec leaves open (§10).
 */

/** A product that exists only in code (`src/lib/products.ts`) unless `ensureLive` copied it. */
export interface StaticProduct {
  slug: string;
  name: string;
  sku: string;
  price: number;
  alcoholType: string;
  bestSeller: boolean;
}

const s = (
  slug: string,
  name: string,
  n: number,
  price: number,
  alcoholType: string,
  bestSeller = false,
) => ({
  slug,
  name,
  sku: `DCW-${String(n).padStart(4, '0')}`,
  price,
  alcoholType,
  bestSeller,
});

export const STATIC_CATALOGUE: readonly StaticProduct[] = [
  s('titos-candle', "Tito's Candle", 1, 24.99, 'Vodka', true),
  s('casamigos-candle', 'Casamigos Candle', 2, 24.99, 'Tequila', true),
  s('stgermain-candle', 'St-Germain Candle', 3, 24.99, 'Liqueur', true),
  s('la-crema-candle', 'La Crema Candle', 4, 19.99, 'Wine'),
  s('new-amsterdam-gin-candle', 'New Amsterdam Gin Candle', 5, 24.99, 'Gin'),
  s('pink-whitney-candle', 'Pink Whitney Candle', 6, 24.99, 'Vodka'),
  s('ruffino-prosecco-candle', 'Ruffino Prosecco Candle', 7, 19.99, 'Wine'),
  s('santan-espresso-martini-candle', 'SanTan Espresso Martini Candle', 8, 24.99, 'Liqueur'),
  s('bacardi-candle', 'Bacardi Candle', 9, 24.99, 'Rum'),
  s('mi-campo-tequila-candle', 'Mi Campo Tequila Candle', 10, 24.99, 'Tequila'),
  s('hendricks-gin-candle', "Hendrick's Gin Candle", 11, 24.99, 'Gin'),
  s('grand-marnier-candle', 'Grand Marnier Candle', 12, 24.99, 'Liqueur'),
  s('woodford-reserve-candle', 'Woodford Reserve Candle', 13, 29.99, 'Whiskey', true),
  s('1800-tequila-candle', '1800 Tequila Candle', 14, 24.99, 'Tequila'),
  s('bulleit-bourbon-candle', 'Bulleit Bourbon Candle', 15, 24.99, 'Whiskey', true),
];

/** The defaults `seedDefaults` writes whenever `alcohol-types:index` is empty. */
export const DEFAULT_ALCOHOL_TYPES: readonly { id: string; name: string; sortOrder: number }[] = [
  { id: 'tequila', name: 'Tequila', sortOrder: 10 },
  { id: 'whiskey', name: 'Whiskey', sortOrder: 20 },
  { id: 'vodka', name: 'Vodka', sortOrder: 30 },
  { id: 'gin', name: 'Gin', sortOrder: 40 },
  { id: 'rum', name: 'Rum', sortOrder: 50 },
  { id: 'wine', name: 'Wine', sortOrder: 60 },
  { id: 'liqueur', name: 'Liqueur', sortOrder: 70 },
  { id: 'other', name: 'Other', sortOrder: 9999 },
];

/** A global scent of the generated store (written to `global:scents:{id}`). */
export interface ScentDef {
  id: string;
  name: string;
  sortOrder: number;
  limited?: boolean;
  seasonal?: boolean;
  notes?: string[];
  /** Base-oil ids of the composition, when the scent has one. */
  oils?: string[];
}

/** The 4 of `/api/admin/init-scents` first, then the store's own additions. */
export const SCENTS: readonly ScentDef[] = [
  { id: 'unscented', name: 'Unscented', sortOrder: 0 },
  { id: 'vanilla', name: 'Vanilla', sortOrder: 1, oils: ['vanilla_bean'] },
  { id: 'lavender', name: 'Lavender', sortOrder: 2, oils: ['lavender_fields'] },
  { id: 'cinnamon', name: 'Cinnamon', sortOrder: 3, oils: ['cinnamon_bark', 'vanilla_bean'] },
  {
    id: 'desert-rain',
    name: 'Desert Rain',
    sortOrder: 4,
    notes: ['petrichor', 'creosote', 'sage'],
    oils: ['sage_citrus', 'cedarwood'],
  },
  {
    id: 'prickly-pear',
    name: 'Prickly Pear',
    sortOrder: 5,
    notes: ['cactus fruit', 'lime'],
    oils: ['prickly_pear'],
  },
  {
    id: 'mesquite-smoke',
    name: 'Mesquite Smoke',
    sortOrder: 6,
    notes: ['smoke', 'leather'],
    oils: ['cedarwood'],
  },
  {
    id: 'citrus-grove',
    name: 'Citrus Grove',
    sortOrder: 7,
    notes: ['orange', 'grapefruit'],
    oils: ['sage_citrus'],
  },
  { id: 'sandalwood-amber', name: 'Sandalwood Amber', sortOrder: 8, oils: ['cedarwood', 'vanilla_bean'] },
  { id: 'coffee-bean', name: 'Coffee Bean', sortOrder: 9, notes: ['espresso', 'cocoa'] },
  {
    id: 'pumpkin-spice',
    name: 'Pumpkin Spice',
    sortOrder: 20,
    limited: true,
    seasonal: true,
    oils: ['cinnamon_bark'],
  },
  {
    id: 'winter-pine',
    name: 'Winter Pine',
    sortOrder: 21,
    limited: true,
    seasonal: true,
    notes: ['fir', 'snow'],
  },
  {
    id: 'agave-lime',
    name: 'Agave Lime',
    sortOrder: 22,
    limited: true,
    oils: ['prickly_pear', 'sage_citrus'],
  },
];

export const BASE_OILS: readonly { id: string; name: string; costPerOz: number }[] = [
  { id: 'vanilla_bean', name: 'Vanilla Bean', costPerOz: 1.85 },
  { id: 'lavender_fields', name: 'Lavender Fields', costPerOz: 2.1 },
  { id: 'cinnamon_bark', name: 'Cinnamon Bark', costPerOz: 1.6666666666666667 },
  { id: 'sage_citrus', name: 'Sage & Citrus', costPerOz: 2.35 },
  { id: 'cedarwood', name: 'Cedarwood', costPerOz: 1.4 },
  { id: 'prickly_pear', name: 'Prickly Pear', costPerOz: 2.0625 },
];

export const CONTAINERS: readonly {
  id: string;
  name: string;
  capacityWaterOz: number;
  shape: string;
  supplier?: string;
  costPerUnit: number;
  notes?: string;
}[] = [
  {
    id: 'bottle-750ml',
    name: '750 ml liquor bottle',
    capacityWaterOz: 25.4,
    shape: 'Bottle',
    costPerUnit: 0,
    notes: 'Upcycled from bars',
  },
  { id: 'bottle-1l', name: '1 L liquor bottle', capacityWaterOz: 33.8, shape: 'Bottle', costPerUnit: 0 },
  {
    id: 'wine-750',
    name: 'Wine bottle (cut)',
    capacityWaterOz: 25.4,
    shape: 'Round',
    supplier: 'Local wineries',
    costPerUnit: 0.5,
  },
  {
    id: 'tumbler_12oz',
    name: 'Rocks tumbler',
    capacityWaterOz: 12,
    shape: 'Round',
    supplier: 'Uline',
    costPerUnit: 2.37,
  },
  {
    id: 'square-decanter',
    name: 'Square decanter',
    capacityWaterOz: 16.9,
    shape: 'Square',
    supplier: 'Amazon',
    costPerUnit: 4.125,
  },
];

/** `initializeDefaultWickTypes`. */
export const DEFAULT_WICKS: readonly { id: string; name: string; costPerWick: number; appearAs: string }[] = [
  { id: 'wood_30mm', name: 'Wood 30mm', costPerWick: 1.4705882352941178, appearAs: 'Wavy Wood Wick' },
  { id: 'wood_20mm', name: 'Wood 20mm', costPerWick: 1.0455882352941175, appearAs: 'Wavy Wood Wick' },
  { id: 'cdn12', name: 'CDN 12', costPerWick: 0.9705882352941176, appearAs: 'Standard' },
  { id: 'cdn16', name: 'CDN 16', costPerWick: 0.7205882352941176, appearAs: 'Standard' },
];

/** Spirit brands for admin-created products: [brand, alcohol-type display name]. */
export const BRANDS: readonly (readonly [string, string])[] = [
  ['Jameson', 'Whiskey'],
  ['Crown Royal', 'Whiskey'],
  ["Maker's Mark", 'Whiskey'],
  ['Buffalo Trace', 'Whiskey'],
  ['Knob Creek', 'Whiskey'],
  ['Jim Beam', 'Whiskey'],
  ['Fireball', 'Whiskey'],
  ['Patron', 'Tequila'],
  ['Don Julio', 'Tequila'],
  ['Espolon', 'Tequila'],
  ['Hornitos', 'Tequila'],
  ['Teremana', 'Tequila'],
  ['Lunazul', 'Tequila'],
  ['Herradura', 'Tequila'],
  ['Grey Goose', 'Vodka'],
  ['Absolut', 'Vodka'],
  ['Ketel One', 'Vodka'],
  ['Deep Eddy', 'Vodka'],
  ['Ciroc', 'Vodka'],
  ['Captain Morgan', 'Rum'],
  ['Malibu', 'Rum'],
  ['Kraken', 'Rum'],
  ['Bombay Sapphire', 'Gin'],
  ['Tanqueray', 'Gin'],
  ['Aviation', 'Gin'],
  ['Empress 1908', 'Gin'],
  ['Aperol', 'Liqueur'],
  ['Kahlua', 'Liqueur'],
  ['Baileys', 'Liqueur'],
  ['Chambord', 'Liqueur'],
  ['Veuve Clicquot', 'Wine'],
  ['Josh Cellars', 'Wine'],
  ['Meiomi', 'Wine'],
  ['Apothic', 'Wine'],
  ['Chandon', 'Wine'],
  ['Topo Chico', 'Other'],
];

export const PRICES: readonly number[] = [19.99, 24.99, 24.99, 24.99, 29.99, 34.99];

export const PRODUCT_WICKS = {
  standard: { id: 'standard', name: 'Standard Wick' },
  wood: { id: 'wood', name: 'Wood Wick' },
} as const;
