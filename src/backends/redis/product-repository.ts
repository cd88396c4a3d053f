/**
 * Products on the legacy keys (legacy-redis-format.md §2a #13–#14, §4.4, §7.4): the JSON record
 * `product:{slug}` (price in dollars, written by the codec) and the set `products:index`, which the
 * store SADDs on every product write. Stock changes are the store's read-modify-write of the whole
 * document, made atomic by a unit of work: concurrent checkouts can no longer lose a decrement or
 * oversell.
 */
import { NotFoundError } from '../../domain/errors.js';
import {
  applyStockChange,
  baseStock,
  type Product,
  type ProductRepository,
  type StockChange,
  variantStock,
  withVariantStock,
} from '../../domain/product.js';
import {
  checkDelta,
  checkSlug,
  checkStock,
  checkVariantId,
  validateProduct,
} from '../../domain/product-validation.js';
import { liveCopyOfStatic, staticProduct, staticProducts } from '../../domain/static-catalogue.js';
import { productValue } from '../../legacy/codecs/product.js';
import { type RedisUnitOfWork, runUnitOfWork } from './atomic.js';
import type { RedisDeps } from './index.js';
import { decodeRaw, readInUnit, readValue, readValues } from './record-io.js';

/** The record exactly as a later read decodes it (drops `undefined`s and empty `extra`). */
function asStored(deps: RedisDeps, product: Product): Product {
  const key = deps.keys.product(product.slug);
  return decodeRaw(productValue, key, productValue.encode(product)) as Product;
}

/** Reads a stored product inside a unit (the read guards the commit); `null` when absent. */
export function readProductStep(
  deps: RedisDeps,
  uow: RedisUnitOfWork,
  slug: string,
): Promise<Product | null> {
  return readInUnit(uow, productValue, deps.keys.product(slug));
}

/**
 * The product a stock operation works on: the stored one, else a copy of the static one (`ensureLive`,
 * §7.4; written by the caller together with its change).
 * @throws NotFoundError when the slug is neither stored nor static.
 */
export async function readLiveProductStep(
  deps: RedisDeps,
  uow: RedisUnitOfWork,
  slug: string,
): Promise<Product> {
  const stored = await readProductStep(deps, uow, slug);
  if (stored) return stored;
  const fallback = staticProduct(slug);
  if (!fallback) throw new NotFoundError('product', slug);
  return liveCopyOfStatic(fallback);
}

/** Queues the write of a whole product and its index entry, as the store's upsertProduct does. */
export function writeProductStep(deps: RedisDeps, uow: RedisUnitOfWork, product: Product): void {
  uow.set(deps.keys.product(product.slug), productValue.encode(product));
  uow.push({ op: 'sadd', key: deps.keys.productsIndex(), member: product.slug });
}

/**
 * Applies one stock movement inside the caller's unit (checkout: `delta < 0`; refunds: `delta > 0`)
 * and returns the new stock. Several steps on one product in one unit compose, because the unit
 * returns its pending value to later reads.
 * @throws InsufficientStockError, NotFoundError, ValidationError (see ProductRepository).
 */
export async function adjustProductStockStep(
  deps: RedisDeps,
  uow: RedisUnitOfWork,
  change: StockChange,
): Promise<number> {
  const slug = checkSlug(change.slug);
  const variantId = change.variantId === undefined ? undefined : checkVariantId(change.variantId);
  const delta = checkDelta(change.delta);
  const product = await readLiveProductStep(deps, uow, slug);
  const next = applyStockChange(product, { slug, variantId, delta });
  if (next !== product) writeProductStep(deps, uow, next);
  return variantId === undefined ? baseStock(next) : variantStock(next, variantId);
}

/** Sets the base stock (no `variantId`) or one variant's stock inside the caller's unit. */
export async function setProductStockStep(
  deps: RedisDeps,
  uow: RedisUnitOfWork,
  slug: string,
  variantId: string | undefined,
  stock: number,
): Promise<Product> {
  const checkedSlug = checkSlug(slug);
  const checkedVariant = variantId === undefined ? undefined : checkVariantId(variantId);
  const n = checkStock('stock', stock);
  const product = await readLiveProductStep(deps, uow, checkedSlug);
  const next =
    checkedVariant === undefined ? { ...product, stock: n } : withVariantStock(product, checkedVariant, n);
  writeProductStep(deps, uow, next);
  return asStored(deps, next);
}

export function createRedisProductRepository(deps: RedisDeps): ProductRepository {
  const { client, keys } = deps;

  const list = async (): Promise<Product[]> => {
    // Code-unit order, the same on every backend; index members without a record are skipped.
    const slugs = (await client.sMembers(keys.productsIndex())).sort();
    const products = await readValues(client, productValue, slugs.map(keys.product));
    return products.filter((p): p is Product => p !== null);
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
      return readValue(client, productValue, keys.product(checkSlug(slug)));
    },

    async getResolved(slug: string): Promise<Product | null> {
      const checked = checkSlug(slug);
      return (await readValue(client, productValue, keys.product(checked))) ?? staticProduct(checked);
    },

    async upsert(product: Product): Promise<Product> {
      const slug = checkSlug(product.slug);
      return runUnitOfWork(client, `upsert product ${slug}`, async (uow) => {
        const existing = await uow.get(keys.product(slug));
        validateProduct(product, existing === null);
        const stored = asStored(deps, product);
        writeProductStep(deps, uow, stored);
        return stored;
      });
    },

    async delete(slug: string): Promise<boolean> {
      const checked = checkSlug(slug);
      return runUnitOfWork(client, `delete product ${checked}`, async (uow) => {
        const existed = (await uow.get(keys.product(checked))) !== null;
        // The store's deleteProduct: DEL the record, then SREM the index (also drops a dangling id).
        if (existed) uow.del(keys.product(checked));
        uow.push({ op: 'srem', key: keys.productsIndex(), member: checked });
        return existed;
      });
    },

    async setStock(slug: string, stock: number): Promise<Product> {
      return runUnitOfWork(client, `set stock of ${slug}`, (uow) =>
        setProductStockStep(deps, uow, slug, undefined, stock),
      );
    },

    async adjustStock(slug: string, delta: number): Promise<number> {
      return runUnitOfWork(client, `adjust stock of ${slug}`, (uow) =>
        adjustProductStockStep(deps, uow, { slug, delta }),
      );
    },

    async setVariantStock(slug: string, variantId: string, stock: number): Promise<Product> {
      return runUnitOfWork(client, `set stock of ${slug} variant ${variantId}`, (uow) =>
        setProductStockStep(deps, uow, slug, variantId, stock),
      );
    },

    async adjustVariantStock(slug: string, variantId: string, delta: number): Promise<number> {
      return runUnitOfWork(client, `adjust stock of ${slug} variant ${variantId}`, (uow) =>
        adjustProductStockStep(deps, uow, { slug, variantId, delta }),
      );
    },
  };
}
