/**
 * Products in `products` + `product_variants` (one row per `variantData` key). A stock change locks
 * the product row first (every writer of a product does, so they queue in one order and cannot
 * deadlock), then moves the counter with one conditional `UPDATE … WHERE stock + d >= 0 RETURNING`,
 * so stock can never go below 0 even under 200 concurrent checkouts; the CHECK (stock >= 0) is the
 * last line of defence. Every write refreshes `sync_hash` / `sync_written_at`. Checkout takes a whole
 * batch at once: {@link lockProducts} (slug order), {@link variantsOf}, then {@link planStockTakes}'
 * two guarded UPDATEs inside its one combined write.
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
import { type ProductRow, type ProductVariantRow, products, productVariants } from './schema.js';
import { inList, insertRows, selectRows, type Tx, valuesList, type WritePart } from './transaction.js';

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

/** One stock decrement of a batch (checkout); no `variantId` = the base stock. */
export interface StockTake {
  slug: string;
  variantId?: string;
  quantity: number;
}

/**
 * Copies the static-only products among `slugs` in (`ensureLive`, §7.4) with one INSERT … ON
 * CONFLICT DO NOTHING, in slug order (no statement when none is in the static catalogue). A stored
 * product is left as it is; a refused checkout rolls the copy back with everything else.
 */
export async function copyStaticProducts(deps: PgDeps, tx: Tx, slugs: readonly string[]): Promise<void> {
  const copies = slugs.flatMap((slug) => {
    const fallback = staticProduct(slug);
    return fallback
      ? [{ ...toProductRows(liveCopyOfStatic(fallback)).product, syncWrittenAt: deps.now() }]
      : [];
  });
  if (copies.length === 0) return;
  await tx.execute(sql`${insertRows(products, copies)} on conflict ("slug") do nothing`);
}

/**
 * The products of `slugs`, locked until the transaction ends in slug order (code-unit order, as
 * `stockMoves` sorts), the order every batch of stock takes uses. FOR NO KEY UPDATE: the stock
 * columns change, the key never does.
 */
export function lockProducts(tx: Tx, slugs: readonly string[]): Promise<ProductRow[]> {
  return selectRows(
    tx,
    products,
    sql`where ${inList(products.slug, slugs)} order by "slug" collate "C" for no key update`,
  );
}

/**
 * The variant rows of `slugs`. Run it after {@link lockProducts} (a later statement): every writer of
 * a variant row locks its product first, so this read sees the current rows.
 */
export function variantsOf(tx: Tx, slugs: readonly string[]): Promise<ProductVariantRow[]> {
  return selectRows(tx, productVariants, sql`where ${inList(productVariants.productSlug, slugs)}`);
}

/**
 * Applies `takes` to products the caller has locked (`rows`, with every variant row of theirs) and
 * returns the products as they will be and the writes: ONE UPDATE of the variant rows and ONE UPDATE
 * of the product rows (base stock, sync hash of the whole record), both `… FROM (VALUES …)` and
 * guarded with `stock >= quantity`, so even a bug above cannot sell stock that is not there.
 * @throws NotFoundError a slug that is not stored. @throws InsufficientStockError, in `takes` order.
 */
export function planStockTakes(
  deps: PgDeps,
  rows: readonly ProductRow[],
  variants: readonly ProductVariantRow[],
  takes: readonly StockTake[],
): { products: Map<string, Product>; writes: WritePart[] } {
  const variantsBySlug = new Map<string, ProductVariantRow[]>();
  for (const v of variants)
    variantsBySlug.set(v.productSlug, [...(variantsBySlug.get(v.productSlug) ?? []), v]);
  const after = new Map(rows.map((r) => [r.slug, fromProductRow(r, variantsBySlug.get(r.slug) ?? [])]));
  const baseTaken = new Map<string, number>();
  const variantTakes: [string, string, number][] = [];
  for (const take of takes) {
    const product = after.get(take.slug);
    if (!product) throw new NotFoundError('product', take.slug);
    after.set(take.slug, applyStockChange(product, { ...take, delta: -take.quantity }));
    if (take.variantId === undefined)
      baseTaken.set(take.slug, (baseTaken.get(take.slug) ?? 0) + take.quantity);
    else variantTakes.push([take.slug, take.variantId, take.quantity]);
  }
  const touched = [...new Set(takes.map((t) => t.slug))];
  const writes: WritePart[] = [];
  if (variantTakes.length > 0) {
    writes.push({
      what: 'variant stock',
      query: sql`update ${productVariants} set "stock" = coalesce(${productVariants.stock}, 0) - m.qty,
          "legacy_nulls" = array_remove(${productVariants.legacyNulls}, 'stock')
        from (values ${valuesList(variantTakes, ['text', 'text', 'int'])}) as m(slug, variant_id, qty)
        where ${productVariants.productSlug} = m.slug and ${productVariants.variantId} = m.variant_id
          and coalesce(${productVariants.stock}, 0) >= m.qty
        returning 1`,
      rows: variantTakes.length,
    });
  }
  const productValues = touched.map((slug) => [
    slug,
    baseTaken.get(slug) ?? 0,
    toProductRows(after.get(slug)!).product.syncHash,
  ]);
  // A product whose variants alone are taken keeps its base stock column as it is (NULL included).
  writes.push({
    what: 'product stock',
    query: sql`update ${products} set
          "stock" = case when m.qty > 0 then coalesce(${products.stock}, 0) - m.qty else ${products.stock} end,
          "legacy_nulls" = case when m.qty > 0 then array_remove(${products.legacyNulls}, 'stock') else ${products.legacyNulls} end,
          "sync_hash" = m.hash, "sync_written_at" = ${deps.now().toISOString()}::timestamptz
        from (values ${valuesList(productValues, ['text', 'int', 'text'])}) as m(slug, qty, hash)
        where ${products.slug} = m.slug and coalesce(${products.stock}, 0) >= m.qty
        returning 1`,
    rows: touched.length,
  });
  const changed = new Map(touched.map((slug) => [slug, after.get(slug)!]));
  return { products: changed, writes };
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
