/**
 * The data the hot-path benchmark reads and writes, seeded through the data layer itself so every
 * backend holds the same records in its own layout (Redis legacy JSON, Postgres rows).
 */
import type { CheckoutLine } from '../../src/domain/checkout.js';
import type { DataLayer } from '../../src/domain/data-layer.js';
import type { Order } from '../../src/domain/order.js';
import type { Product } from '../../src/domain/product.js';

/** How much to seed. The defaults are the size of the real store (tens of products, a few thousand users). */
export interface SeedSizes {
  users: number;
  orders: number;
  products: number;
  itemsPerOrder: number;
}

export const DEFAULT_SIZES: SeedSizes = { users: 1000, orders: 500, products: 40, itemsPerOrder: 3 };

/** Who buys what in one checkout. */
export interface CheckoutScene {
  userId: string;
  email: string;
  /** Two variant lines on two products, named by the caller as the Stripe webhook does. */
  lines: Required<CheckoutLine>[];
}

/** What was seeded: the keys each hot path is called with. */
export interface HotPathData {
  emails: string[];
  orderIds: string[];
  /** Catalogue products stored (the checkout products included). */
  productCount: number;
  /**
   * The layer's checkouts and the baseline's run on separate users and products, seeded identically,
   * so the baseline's hand-written writes never touch a record the layer reads (or the reverse).
   */
  checkout: { layer: CheckoutScene; baseline: CheckoutScene };
}

/** A syntactically valid bcrypt hash; the benchmark never checks a password. */
const FAKE_HASH = `$2b$12$${'a'.repeat(53)}`;
const WICKS = [
  { id: 'standard', name: 'Standard Wick' },
  { id: 'wood', name: 'Wood Wick' },
];
const SCENTS = ['vanilla', 'amber', 'cedar'];
/** Enough stock that no run can sell out (the column is a 32-bit integer). */
const CHECKOUT_STOCK = 1_000_000_000;

/** A catalogue product with 2 wick types × 3 scents of stocked variants, as the shop's candles. */
export function benchProduct(slug: string, i: number, variantStockLevel = 50): Product {
  const variantData: Record<string, { stock: number }> = {};
  for (const w of WICKS) for (const s of SCENTS) variantData[`${w.id}-${s}`] = { stock: variantStockLevel };
  return {
    slug,
    name: `Bench Candle ${i}`,
    priceCents: 2499,
    sku: `DCW-${String(9000 + i).padStart(4, '0')}`,
    seoDescription: 'Hand-poured candle in an upcycled bottle.',
    bestSeller: i % 5 === 0,
    stock: 5,
    variantConfig: { wickTypes: WICKS.map((w) => ({ ...w })), variantData },
    alcoholType: 'Vodka',
    visibleOnWebsite: true,
  };
}

function benchOrder(i: number, user: { id: string; email: string }, slugs: string[], items: number): Order {
  const lines = Array.from({ length: items }, (_, j) => ({
    productSlug: slugs[(i + j) % slugs.length] as string,
    productName: `Bench Candle ${(i + j) % slugs.length}`,
    quantity: 1 + (j % 2),
    priceCents: 2499 * (1 + (j % 2)),
    variantId: `standard-${SCENTS[j % SCENTS.length]}`,
  }));
  const subtotal = lines.reduce((sum, l) => sum + l.priceCents, 0);
  const createdAt = new Date(Date.UTC(2025, 11, 1) + i * 60_000).toISOString();
  return {
    id: `cs_test_hp${String(i).padStart(6, '0')}`,
    userId: user.id,
    email: user.email,
    totalCents: subtotal + 599,
    productSubtotalCents: subtotal,
    shippingCents: 599,
    taxCents: 0,
    pointsEarned: Math.round(subtotal / 100),
    status: 'completed',
    isGuest: false,
    items: lines,
    createdAt,
    completedAt: createdAt,
  };
}

/** Runs `work` over `items` with at most `width` calls in flight. */
async function inBatches<T, R>(
  items: readonly T[],
  width: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += width)
    out.push(...(await Promise.all(items.slice(i, i + width).map(work))));
  return out;
}

async function checkoutScene(layer: DataLayer, who: 'layer' | 'base'): Promise<CheckoutScene> {
  const user = await layer.users.create({
    email: `hp-checkout-${who}@bench.example`,
    passwordHash: FAKE_HASH,
    firstName: 'Bench',
    lastName: who,
  });
  const slugs = [`hp-checkout-${who}-a`, `hp-checkout-${who}-b`];
  for (const [i, slug] of slugs.entries())
    await layer.products.upsert(benchProduct(slug, 900 + i, CHECKOUT_STOCK));
  return {
    userId: user.id,
    email: user.email,
    lines: [
      {
        slug: slugs[0]!,
        variantId: 'standard-vanilla',
        quantity: 2,
        priceCents: 4998,
        productName: 'Bench Candle 900',
      },
      {
        slug: slugs[1]!,
        variantId: 'wood-amber',
        quantity: 1,
        priceCents: 2499,
        productName: 'Bench Candle 901',
      },
    ],
  };
}

/** Seeds users, products, orders with items and the two checkout scenes through `layer`. */
export async function seedHotPathData(
  layer: DataLayer,
  sizes: SeedSizes = DEFAULT_SIZES,
): Promise<HotPathData> {
  const users = await inBatches(
    Array.from({ length: sizes.users }, (_, i) => i),
    50,
    (i) =>
      layer.users.create({
        email: `hp-user-${i}@bench.example`,
        passwordHash: FAKE_HASH,
        firstName: 'Bench',
        lastName: `User ${i}`,
      }),
  );
  const slugs = Array.from({ length: sizes.products }, (_, i) => `hp-candle-${String(i).padStart(3, '0')}`);
  await inBatches(
    slugs.map((slug, i) => benchProduct(slug, i)),
    20,
    (product) => layer.products.upsert(product),
  );
  const orders = await inBatches(
    Array.from({ length: sizes.orders }, (_, i) => i),
    20,
    (i) => layer.orders.create(benchOrder(i, users[i % users.length]!, slugs, sizes.itemsPerOrder)),
  );
  const checkout = {
    layer: await checkoutScene(layer, 'layer'),
    baseline: await checkoutScene(layer, 'base'),
  };
  return {
    emails: users.map((u) => u.email),
    orderIds: orders.map((o) => o.id),
    productCount: slugs.length + 4,
    checkout,
  };
}
