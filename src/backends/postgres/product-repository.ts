/**
 * Products in `products` + `product_variants` (one row per `variantData` key). A stock change locks
 * the product row first (every writer of a product does, so they queue in one order and cannot
 * deadlock), then moves the counter with one conditional `UPDATE … WHERE stock + d >= 0 RETURNING`,
 * so stock can never go below 0 even under 200 concurrent checkouts; the CHECK (stock >= 0) is the
 * last line of defence. Every write refreshes `sync_hash` / `sync_written_at`.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { InsufficientStockError, NotFoundError } from '../../domain/errors.js';
import {
  applyStockChange,
  baseStock,
  defaultVariantConfig,
  type Product,
  type ProductRepository,
  type StockChange,
  variantStock,
} from '../../domain/product.js';
import {
  checkDelta,
  checkSlug,
  checkStock,
  checkVariantId,
  validateProduct,
} from '../../domain/product-validation.js';
import { liveCopyOfStatic, staticProduct, staticProducts } from '../../domain/static-catalogue.js';
import type { Db } from './client.js';
import type { PgDeps } from './index.js';
import { fromProductRow, toProductRows } from './mappers/product.js';
import { type ProductRow, products, productVariants } from './schema.js';
import type { Tx } from './transaction.js';

type Executor = Db | Tx;

async function readProduct(db: Executor, slug: string): Promise<Product | null> {
  const [row] = await db.select().from(products).where(eq(products.slug, slug));
  if (!row) return null;
  const variants = await db.select().from(productVariants).where(eq(productVariants.productSlug, slug));
  return fromProductRow(row, variants);
}

/** Writes a whole product (parent row upserted, variant rows replaced) with its sync columns. */
async function writeProduct(deps: PgDeps, tx: Tx, product: Product): Promise<void> {
  const rows = toProductRows(product);
  const { slug: _slug, ...columns } = rows.product;
  await tx
    .insert(products)
    .values({ ...rows.product, syncWrittenAt: deps.now() })
    .onConflictDoUpdate({ target: products.slug, set: { ...columns, syncWrittenAt: deps.now() } });
  await tx.delete(productVariants).where(eq(productVariants.productSlug, product.slug));
  if (rows.variants.length > 0) await tx.insert(productVariants).values(rows.variants);
}

/** Re-hashes the product after a targeted column change (the hash covers the whole record). */
async function refreshSync(deps: PgDeps, tx: Tx, slug: string): Promise<Product> {
  const product = await readProduct(tx, slug);
  if (!product) throw new Error(`product ${slug} vanished while its row was locked`);
  const { syncHash } = toProductRows(product).product;
  await tx.update(products).set({ syncHash, syncWrittenAt: deps.now() }).where(eq(products.slug, slug));
  return product;
}

/**
 * Locks the product a stock operation works on. A static-only slug is copied in first (`ensureLive`,
 * §7.4) unless `change` would be refused anyway, so a refused decrement writes nothing.
 * @throws NotFoundError when the slug is neither stored nor static.
 */
async function lockLiveProduct(
  deps: PgDeps,
  tx: Tx,
  slug: string,
  change?: StockChange,
): Promise<ProductRow> {
  const lock = async () => (await tx.select().from(products).where(eq(products.slug, slug)).for('update'))[0];
  const row = await lock();
  if (row) return row;
  const fallback = staticProduct(slug);
  if (!fallback) throw new NotFoundError('product', slug);
  const live = liveCopyOfStatic(fallback);
  if (change) applyStockChange(live, change);
  const rows = toProductRows(live);
  // A concurrent ensureLive of the same slug wins the insert; this one then locks its row.
  await tx
    .insert(products)
    .values({ ...rows.product, syncWrittenAt: deps.now() })
    .onConflictDoNothing({ target: products.slug });
  const copied = await lock();
  if (!copied) throw new Error(`static product ${slug} could not be copied in`);
  return copied;
}

/** Gives a product without a variantConfig the default one, as the store's resolved product has. */
async function ensureVariantConfig(tx: Tx, row: ProductRow): Promise<void> {
  if (row.hasVariantConfig) return;
  await tx
    .update(products)
    .set({
      hasVariantConfig: true,
      wickTypes: defaultVariantConfig().wickTypes.map((w) => ({ id: w.id, name: w.name })),
      legacyNulls: sql`array_remove(${products.legacyNulls}, 'variantConfig')`,
    })
    .where(eq(products.slug, row.slug));
}

const variantKey = (slug: string, variantId: string) =>
  and(eq(productVariants.productSlug, slug), eq(productVariants.variantId, variantId));

/**
 * Applies one stock movement inside the caller's transaction (checkout: `delta < 0`; refunds:
 * `delta > 0`) and returns the new stock.
 * @throws InsufficientStockError, NotFoundError, ValidationError (see ProductRepository).
 */
export async function adjustProductStockTx(deps: PgDeps, tx: Tx, change: StockChange): Promise<number> {
  const slug = checkSlug(change.slug);
  const variantId = change.variantId === undefined ? undefined : checkVariantId(change.variantId);
  const delta = checkDelta(change.delta);
  if (delta === 0) {
    // A read: nothing is locked or copied in (as on Redis).
    const current = (await readProduct(tx, slug)) ?? staticProduct(slug);
    if (!current) throw new NotFoundError('product', slug);
    return variantId === undefined ? baseStock(current) : variantStock(current, variantId);
  }
  const row = await lockLiveProduct(deps, tx, slug, { slug, variantId, delta });

  if (variantId === undefined) {
    const [moved] = await tx
      .update(products)
      .set({
        stock: sql`coalesce(${products.stock}, 0) + ${delta}`,
        legacyNulls: sql`array_remove(${products.legacyNulls}, 'stock')`,
      })
      .where(and(eq(products.slug, slug), sql`coalesce(${products.stock}, 0) + ${delta} >= 0`))
      .returning({ stock: products.stock });
    if (!moved) throw new InsufficientStockError(slug, undefined, -delta, row.stock ?? 0);
    await refreshSync(deps, tx, slug);
    return moved.stock ?? 0;
  }

  const [existing] = await tx.select().from(productVariants).where(variantKey(slug, variantId));
  const [moved] = await tx
    .update(productVariants)
    .set({
      stock: sql`coalesce(${productVariants.stock}, 0) + ${delta}`,
      legacyNulls: sql`array_remove(${productVariants.legacyNulls}, 'stock')`,
    })
    .where(and(variantKey(slug, variantId), sql`coalesce(${productVariants.stock}, 0) + ${delta} >= 0`))
    .returning({ stock: productVariants.stock });
  let stock = moved?.stock;
  if (!moved) {
    // No entry counts as 0: an increment creates it (legacy incrVariantStock), anything else is refused.
    if (existing || delta < 0)
      throw new InsufficientStockError(slug, variantId, -delta, existing?.stock ?? 0);
    await ensureVariantConfig(tx, row);
    await tx.insert(productVariants).values({ productSlug: slug, variantId, stock: delta });
    stock = delta;
  }
  await refreshSync(deps, tx, slug);
  return stock ?? 0;
}

/** Sets the base stock (no `variantId`) or one variant's stock inside the caller's transaction. */
export async function setProductStockTx(
  deps: PgDeps,
  tx: Tx,
  slug: string,
  variantId: string | undefined,
  stock: number,
): Promise<Product> {
  const checkedSlug = checkSlug(slug);
  const checkedVariant = variantId === undefined ? undefined : checkVariantId(variantId);
  const n = checkStock('stock', stock);
  const row = await lockLiveProduct(deps, tx, checkedSlug);
  if (checkedVariant === undefined) {
    await tx
      .update(products)
      .set({ stock: n, legacyNulls: sql`array_remove(${products.legacyNulls}, 'stock')` })
      .where(eq(products.slug, checkedSlug));
  } else {
    await ensureVariantConfig(tx, row);
    await tx
      .insert(productVariants)
      .values({ productSlug: checkedSlug, variantId: checkedVariant, stock: n })
      .onConflictDoUpdate({
        target: [productVariants.productSlug, productVariants.variantId],
        set: { stock: n, legacyNulls: sql`array_remove(${productVariants.legacyNulls}, 'stock')` },
      });
  }
  return refreshSync(deps, tx, checkedSlug);
}

export function createPostgresProductRepository(deps: PgDeps): ProductRepository {
  const { db } = deps.pg;
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => db.transaction(work);

  const list = async (): Promise<Product[]> => {
    const rows = await db.select().from(products).orderBy(sql`${products.slug} collate "C"`);
    if (rows.length === 0) return [];
    const variants = await db
      .select()
      .from(productVariants)
      .where(
        inArray(
          productVariants.productSlug,
          rows.map((r) => r.slug),
        ),
      );
    const bySlug = new Map<string, (typeof variants)[number][]>();
    for (const v of variants) bySlug.set(v.productSlug, [...(bySlug.get(v.productSlug) ?? []), v]);
    return rows.map((r) => fromProductRow(r, bySlug.get(r.slug) ?? []));
  };

  return {
    list,

    async listResolved(): Promise<Product[]> {
      const stored = await list();
      const storedSlugs = new Set(stored.map((p) => p.slug));
      const fallbacks = staticProducts().filter((p) => !storedSlugs.has(p.slug));
      return [...stored, ...fallbacks].sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
    },

    async get(slug: string): Promise<Product | null> {
      return readProduct(db, checkSlug(slug));
    },

    async getResolved(slug: string): Promise<Product | null> {
      const checked = checkSlug(slug);
      return (await readProduct(db, checked)) ?? staticProduct(checked);
    },

    async upsert(product: Product): Promise<Product> {
      const slug = checkSlug(product.slug);
      return inTx(async (tx) => {
        const [existing] = await tx
          .select({ slug: products.slug })
          .from(products)
          .where(eq(products.slug, slug))
          .for('update');
        validateProduct(product, existing === undefined);
        await writeProduct(deps, tx, product);
        return (await readProduct(tx, slug)) as Product;
      });
    },

    async delete(slug: string): Promise<boolean> {
      const gone = await db
        .delete(products)
        .where(eq(products.slug, checkSlug(slug)))
        .returning({ slug: products.slug });
      return gone.length > 0;
    },

    async setStock(slug: string, stock: number): Promise<Product> {
      return inTx((tx) => setProductStockTx(deps, tx, slug, undefined, stock));
    },

    async adjustStock(slug: string, delta: number): Promise<number> {
      return inTx((tx) => adjustProductStockTx(deps, tx, { slug, delta }));
    },

    async setVariantStock(slug: string, variantId: string, stock: number): Promise<Product> {
      return inTx((tx) => setProductStockTx(deps, tx, slug, variantId, stock));
    },

    async adjustVariantStock(slug: string, variantId: string, delta: number): Promise<number> {
      return inTx((tx) => adjustProductStockTx(deps, tx, { slug, variantId, delta }));
    },
  };
}
