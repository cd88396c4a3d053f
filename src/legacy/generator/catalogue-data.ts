/**
 * Fixed reference data of the store as legacy-redis-format.md lists it. The 15-product static
 * catalogue (§4.4), the 8 default alcohol types (§4.8) and the 4 default calculator wicks (§4.11)
 * come from the domain, which the backends read too, so the generated store and the code cannot
 * disagree. Defined here: the seeded and extra scents (§4.9), oils, containers and spirit brands,
 * which the spec leaves open (§10).
 */
import { type AlcoholType, defaultAlcoholTypes } from '../../domain/alcohol-type.js';
import { type CalculatorWickType, defaultCalculatorWicks } from '../../domain/catalogue.js';
import { STATIC_ENTRIES } from '../../domain/static-catalogue.js';

/** A product that exists only in code (`src/lib/products.ts`) unless `ensureLive` copied it. */
export interface StaticProduct {
  slug: string;
  name: string;
  sku: string;
  /** Dollars, as the store writes them. */
  price: number;
  alcoholType: string;
  bestSeller: boolean;
}

export const STATIC_CATALOGUE: readonly StaticProduct[] = STATIC_ENTRIES.map((e) => ({
  slug: e.slug,
  name: e.name,
  sku: e.sku,
  price: e.priceCents / 100,
  alcoholType: e.alcoholType,
  bestSeller: e.bestSeller,
}));

/** The defaults `seedDefaults` writes whenever `alcohol-types:index` is empty (`archived: false`). */
export const DEFAULT_ALCOHOL_TYPES: readonly AlcoholType[] = defaultAlcoholTypes();

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
export const DEFAULT_WICKS: readonly CalculatorWickType[] = defaultCalculatorWicks();

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
