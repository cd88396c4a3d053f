/**
 * Business purchases (§4.5) with their three indexes: `purchases:index`,
 * `purchases:vendor:{vendorName.toLowerCase()}` and `purchases:date:{first 7 chars of the date}`.
 */
import type { GenContext } from './context.js';
import { blobUrl } from './ids.js';
import type { Rng } from './prng.js';
import { DAY, iso, MINUTE, T, ymd } from './timeline.js';

const VENDORS = [
  'Amazon',
  'CandleScience',
  'Michaels',
  'Uline',
  'Bulk Apothecary',
  'Hobby Lobby',
  'Walmart',
  'Lone Star Candle Supply',
  'Wicks & Wax Co',
  'Home Depot',
  'Costco',
  'Etsy',
];

const ITEMS: Record<string, readonly (readonly [string, number])[]> = {
  wax: [
    ['Golden Brands 464 Soy Wax (10 lb)', 3499],
    ['Coconut apricot wax (5 lb)', 2899],
  ],
  wicks: [
    ['ECO 10 wicks (100 pk)', 1299],
    ['Wood wicks 0.5in (50 pk)', 2150],
  ],
  bottles: [
    ['Bottle cutter kit', 4999],
    ['Sanding belts (10 pk)', 1199],
  ],
  scents: [
    ['Fragrance oil 16 oz - Vanilla Bean', 2995],
    ['Fragrance oil 16 oz - Desert Rain', 3195],
  ],
  labels: [['Kraft labels 2in (500 roll)', 1850]],
  packaging: [
    ['Shipping boxes 8x8x8 (25)', 3275],
    ['Crinkle paper fill (2 lb)', 1499],
  ],
  equipment: [
    ['Pouring pitcher 4 lb', 1899],
    ['Heat gun', 2599],
  ],
  other: [['Misc supplies', 1000]],
};

/** Planted anomalies for one purchase. */
export interface PurchaseVariant {
  fractional?: boolean;
  receipt?: null | '';
  extraItemKey?: boolean;
  identicalLines?: boolean;
  vendor?: string;
  purchaseDate?: string;
  unindexed?: boolean;
}

function item(rng: Rng, csv: boolean): Record<string, unknown> {
  const category = rng.pick(Object.keys(ITEMS));
  const [name, unitCostCents] = rng.pick(ITEMS[category]!);
  return {
    name,
    quantity: rng.weighted([
      [1, 50],
      [2, 25],
      [3, 10],
      [5, 10],
      [10, 5],
    ] as const),
    unitCostCents,
    category,
    // CSV import leaves notes undefined; the form sends "" when left empty.
    notes: csv
      ? undefined
      : rng.weighted<string | undefined>([
          [undefined, 5],
          ['', 3],
          ['bulk order', 1],
        ]),
  };
}

/** One purchase record. */
export function buildPurchase(ctx: GenContext, rng: Rng, v: PurchaseVariant = {}): Record<string, unknown> {
  const createdMs = rng.between(T.subtotals, ctx.nowMs - MINUTE);
  const csv = rng.chance(0.2);
  const items = Array.from(
    {
      length: rng.weighted([
        [1, 45],
        [2, 30],
        [3, 15],
        [4, 10],
      ] as const),
    },
    () => item(rng, csv),
  );
  if (v.fractional) items[0] = { ...items[0], quantity: rng.pick([2.5, 0.75, 1.5]), unitCostCents: 1325 };
  if (v.extraItemKey) items[0] = { ...items[0], id: `item-${rng.base36(8)}`, lineTotal: 0 };
  if (v.identicalLines) items.push({ ...items[0] });
  const subtotalCents = items.reduce((s, i) => s + (i.quantity as number) * (i.unitCostCents as number), 0);
  const shippingCents = rng.chance(0.5) ? rng.pick([0, 599, 1299]) : 0;
  const taxCents = rng.chance(0.7) ? Math.round(subtotalCents * 0.087) : 0;
  const updatedMs = rng.chance(0.2) ? rng.between(createdMs, ctx.nowMs - MINUTE) : createdMs;
  const receipt = rng.chance(0.5) ? blobUrl(rng, 'receipts', 'receipt') : undefined;
  return {
    id: rng.uuid(),
    vendorName: v.vendor ?? rng.pick(VENDORS),
    purchaseDate: v.purchaseDate ?? ymd(rng.between(createdMs - 60 * DAY, createdMs)),
    items,
    subtotalCents,
    shippingCents,
    taxCents,
    totalCents: subtotalCents + shippingCents + taxCents,
    receiptImageUrl: v.receipt === undefined ? receipt : v.receipt,
    notes: rng.chance(0.3) ? rng.pick(['Restock', 'Holiday rush', 'Sample order']) : undefined,
    createdAt: iso(createdMs),
    updatedAt: iso(updatedMs),
  };
}

/** Writes the purchase and queues its three index entries. */
export function emitPurchase(ctx: GenContext, p: Record<string, unknown>, index = true): string {
  const id = p.id as string;
  const key = ctx.keys.purchase(id);
  ctx.out.json('purchase', key, p);
  if (index) {
    ctx.index.add('purchasesIndex', ctx.keys.purchasesIndex(), id);
    ctx.index.add('purchasesVendor', ctx.keys.purchasesVendor((p.vendorName as string).toLowerCase()), id);
    ctx.index.add('purchasesDate', ctx.keys.purchasesDate((p.purchaseDate as string).slice(0, 7)), id);
  }
  return key;
}

export function* purchasesSection(ctx: GenContext): Generator<void> {
  for (let i = 0; i < ctx.counts.purchases; i++) {
    emitPurchase(ctx, buildPurchase(ctx, ctx.rng('purchase', i)));
    yield;
  }
  ctx.index.flush();
}
