/**
 * The catalogue query cache put in front of a data layer: `withQueryCache(data, cache)` returns a
 * DataLayer whose product reads (`list`, `listResolved`, `get`, `getResolved`) are read through the
 * cache, and whose writes that change what a product read returns invalidate it once the write has
 * returned (so after it committed):
 *
 * | write                                                     | invalidates                        |
 * | --------------------------------------------------------- | ---------------------------------- |
 * | `products.*` (upsert, delete, stock and variant stock)    | the product (+ every listing)      |
 * | `checkout.placeOrder` (not a replay)                      | every ordered product              |
 * | `refunds.completeRefund` (applied, inventory restored)    | every restocked product            |
 * | `catalogue.scents.*`, `alcoholTypes.*` writes             | everything (`invalidateCatalogue`) |
 *
 * Product reads do not resolve scents or alcohol types today (variants are derived by the client,
 * `alcoholType` is a stored name), so the last row only matters to entries that other code caches in
 * the same cache; it is kept because those writes are rare and the contract is simple to state.
 *
 * A write that fails with a domain error wrote nothing (every repository promises it) and
 * invalidates nothing; any other failure leaves the outcome unknown, so it invalidates as if it had
 * succeeded (a refund whose items are unknown then invalidates everything).
 *
 * The cache is never required: while Redis is down or slow, reads go to the data layer and writes
 * succeed; each cache failure goes to `onCacheError`. An invalidation that failed leaves this process
 * reading around the cache until a catalogue-wide invalidation succeeds; other processes may serve
 * the old entry until its TTL ends, which is why the TTL is short.
 */
import type { CheckoutService } from '../domain/checkout.js';
import type { CatalogueRepository, ScentRepository } from '../domain/catalogue.js';
import type { AlcoholTypeRepository } from '../domain/alcohol-type.js';
import type { DataLayer } from '../domain/data-layer.js';
import { DomainError } from '../domain/errors.js';
import type { ProductRepository } from '../domain/product.js';
import type { RefundRepository } from '../domain/refund.js';
import type { CacheScope, QueryCache } from './query-cache.js';

export interface CachedDataLayerOptions {
  /** Lifetime of a cached read: the longest a write that bypassed this layer stays unseen. Default 30 s. */
  ttlMs?: number;
  /** Receives each cache failure (the request goes on without the cache). Default: `console.warn`. */
  onCacheError?: (err: unknown, operation: string) => void;
}

export const DEFAULT_QUERY_CACHE_TTL_MS = 30_000;

/** What a write made stale: some products, everything, or nothing. */
type Stale = { products: string[] } | 'everything' | null;

/** A loader's own failure, told apart from a cache failure (which the read survives). */
class LoadFailed {
  constructor(readonly cause: unknown) {}
}

export function withQueryCache(
  data: DataLayer,
  cache: QueryCache,
  opts: CachedDataLayerOptions = {},
): DataLayer {
  const ttlMs = opts.ttlMs ?? DEFAULT_QUERY_CACHE_TTL_MS;
  const onCacheError =
    opts.onCacheError ??
    ((err: unknown, operation: string) =>
      console.warn(`query cache: ${operation} failed: ${err instanceof Error ? err.message : String(err)}`));
  const report = (err: unknown, operation: string) => {
    try {
      onCacheError(err, operation);
    } catch {
      // A failing logger must not fail the request.
    }
  };
  /** Set when an invalidation could not be made: entries in Redis may be stale. */
  let unsure = false;
  /** Reported once per outage, not once per read. */
  let down = false;

  /** Clears `unsure` by invalidating everything; says whether the cache can be trusted. */
  const trustCache = async (): Promise<boolean> => {
    if (!cache.isAvailable()) {
      if (!down) report(new Error('Redis is not connected'), 'read');
      down = true;
      return false;
    }
    down = false;
    if (!unsure) return true;
    try {
      await cache.invalidateCatalogue();
      unsure = false;
      return true;
    } catch (err) {
      report(err, 'invalidate after an earlier failure');
      return false;
    }
  };

  const read = async <T>(key: string, scope: CacheScope, load: () => Promise<T>): Promise<T> => {
    if (!(await trustCache())) return load();
    let loaded: { value: T } | undefined;
    const loader = async () => {
      try {
        loaded = { value: await load() };
        return loaded.value;
      } catch (err) {
        throw new LoadFailed(err);
      }
    };
    try {
      return await cache.getOrLoad(key, loader, { ttlMs, scope });
    } catch (err) {
      if (err instanceof LoadFailed) throw err.cause;
      report(err, `read ${key}`);
      return loaded ? loaded.value : load();
    }
  };

  const invalidate = async (stale: Stale, operation: string): Promise<void> => {
    if (stale === null) return;
    if (!cache.isAvailable()) {
      unsure = true;
      report(new Error('Redis is not connected'), `invalidate after ${operation}`);
      return;
    }
    try {
      if (stale === 'everything') await cache.invalidateCatalogue();
      else await Promise.all([...new Set(stale.products)].map((slug) => cache.invalidateProduct(slug)));
    } catch (err) {
      unsure = true;
      report(err, `invalidate after ${operation}`);
    }
  };

  /** Runs a write, then invalidates what it changed (`ifUnknown` when it failed other than by a domain error). */
  const write = async <T>(
    operation: string,
    run: () => Promise<T>,
    changed: (result: T) => Stale,
    ifUnknown: Stale,
  ): Promise<T> => {
    let result: T;
    try {
      result = await run();
    } catch (err) {
      if (!(err instanceof DomainError)) await invalidate(ifUnknown, operation);
      throw err;
    }
    await invalidate(changed(result), operation);
    return result;
  };

  const product = (slug: string): Stale => ({ products: [slug] });
  const everything = (): Stale => 'everything';
  /** A write that changes product `slug` (and, when its outcome is unknown, may have). */
  const writeProduct = <T>(operation: string, slug: string, run: () => Promise<T>): Promise<T> =>
    write(operation, run, () => product(slug), product(slug));

  const p = data.products;
  const products: ProductRepository = {
    list: () => read('products:list', { list: true }, () => p.list()),
    listResolved: () => read('products:list-resolved', { list: true }, () => p.listResolved()),
    get: (slug) => read(`products:get:${slug}`, { products: [slug] }, () => p.get(slug)),
    getResolved: (slug) => read(`products:resolved:${slug}`, { products: [slug] }, () => p.getResolved(slug)),
    upsert: (x) =>
      write(
        `upsert product ${x.slug}`,
        () => p.upsert(x),
        (r) => product(r.slug),
        product(x.slug),
      ),
    delete: (slug) => writeProduct(`delete product ${slug}`, slug, () => p.delete(slug)),
    setStock: (slug, n) => writeProduct(`set stock of ${slug}`, slug, () => p.setStock(slug, n)),
    adjustStock: (slug, d) => writeProduct(`adjust stock of ${slug}`, slug, () => p.adjustStock(slug, d)),
    setVariantStock: (slug, v, n) =>
      writeProduct(`set stock of ${slug}`, slug, () => p.setVariantStock(slug, v, n)),
    adjustVariantStock: (slug, v, d) =>
      writeProduct(`adjust stock of ${slug}`, slug, () => p.adjustVariantStock(slug, v, d)),
  };

  const checkout: CheckoutService = {
    placeOrder: (input) => {
      const ordered: Stale = { products: input.lines.map((l) => l.slug) };
      return write(
        `order ${input.orderId}`,
        () => data.checkout.placeOrder(input),
        (r) => (r.replayed ? null : ordered),
        ordered,
      );
    },
  };

  const rf = data.refunds;
  const refunds: RefundRepository = {
    create: (input) => rf.create(input),
    setStatus: (id, status, processing) => rf.setStatus(id, status, processing),
    get: (id) => rf.get(id),
    byOrder: (orderId) => rf.byOrder(orderId),
    list: () => rf.list(),
    completeRefund: (id, processing) =>
      write(
        `complete refund ${id}`,
        () => rf.completeRefund(id, processing),
        (r) => {
          const restocked = r.restock.filter((s) => s.status === 'restored').map((s) => s.productSlug);
          return r.applied && restocked.length > 0 ? { products: restocked } : null;
        },
        'everything',
      ),
  };

  const s = data.catalogue.scents;
  const scents: ScentRepository = {
    list: () => s.list(),
    get: (id) => s.get(id),
    forProduct: (slug) => s.forProduct(slug),
    upsert: (x) => write(`upsert scent ${x.id}`, () => s.upsert(x), everything, 'everything'),
    delete: (id) => write(`delete scent ${id}`, () => s.delete(id), everything, 'everything'),
  };
  const catalogue: CatalogueRepository = {
    scents,
    baseOils: data.catalogue.baseOils,
    containers: data.catalogue.containers,
    calculatorSettings: data.catalogue.calculatorSettings,
    calculatorWicks: data.catalogue.calculatorWicks,
  };

  const a = data.alcoholTypes;
  const alcoholTypes: AlcoholTypeRepository = {
    list: () => a.list(),
    get: (id) => a.get(id),
    add: (x) => write('add alcohol type', () => a.add(x), everything, 'everything'),
    update: (id, patch) =>
      write(`update alcohol type ${id}`, () => a.update(id, patch), everything, 'everything'),
    setArchived: (id, archived) =>
      write(`archive alcohol type ${id}`, () => a.setArchived(id, archived), everything, 'everything'),
    delete: (id) => write(`delete alcohol type ${id}`, () => a.delete(id), everything, 'everything'),
    seedDefaults: () =>
      write(
        'seed alcohol types',
        () => a.seedDefaults(),
        (r) => (r.length > 0 ? 'everything' : null),
        'everything',
      ),
  };

  return { ...data, products, checkout, refunds, catalogue, alcoholTypes };
}
