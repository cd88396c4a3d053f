/**
 * Read-through cache for catalogue queries. Invalidation is by versioned keys: every entry depends on
 * tags (`catalogue` always, `product:{slug}` per product it shows, `product-lists` for any listing),
 * each tag has a counter, and an entry's key hashes the counters it was loaded under. Bumping a
 * counter makes every entry that depends on it unreachable at once (it then expires by its TTL), and a
 * loader that read the database before a write can only store its result under the old, already
 * unreachable key: no stale value can be written back after an invalidation.
 *
 * `invalidateProduct(slug)` bumps `product:{slug}` and `product-lists` (any write can change which
 * products a listing contains or its order); `invalidateCatalogue()` bumps `catalogue` (scents,
 * wicks, alcohol types feed every resolved product). Call them AFTER the database write commits.
 *
 * Stampede protection: one loader per entry across processes (a short Redis lock; the others poll
 * for the value) and per process (shared promise). Values must survive a JSON round trip.
 * Version counters have no TTL on purpose: one that expired would restart at 0 and revive old entries.
 *
 * Every Redis round trip is bounded (`commandTimeoutMs`), so a Redis that stopped answering (a
 * network partition, a paused server) makes calls fail with `RedisTimeoutError` instead of hanging
 * the request; callers that can do without the cache (`withQueryCache`) then go to the database.
 */
import { createHash } from 'node:crypto';
import type { RedisClient } from '../backends/redis/client.js';
import { RedisTimeoutError } from './errors.js';
import { ephemeralKeys } from './keys.js';
import { pollUntil, tryAcquireLock } from './lock.js';
import { defineScript, runScript } from './script.js';

// KEYS: the product's version, the listings' version. Both move together or not at all (one script,
// so the call is one round trip that the timeout covers).
const BUMP_PRODUCT = defineScript(
  'cache-bump-product',
  `redis.call('INCR', KEYS[1])
redis.call('INCR', KEYS[2])
return 1`,
);

/** What a cached value shows; decides which invalidations make it stale. */
export interface CacheScope {
  /** Products whose data the value contains (an item view, a fixed set). */
  products?: string[];
  /** True for listings/searches over products: stale after ANY product write. */
  list?: boolean;
}

export interface GetOrLoadOptions {
  ttlMs: number;
  scope?: CacheScope;
}

export interface QueryCache {
  /** The cached value of `key` under the current versions of its scope, else `loader()` (stored). */
  getOrLoad<T>(key: string, loader: () => Promise<T>, opts: GetOrLoadOptions): Promise<T>;
  /** Makes every entry showing `slug`, and every listing, stale. */
  invalidateProduct(slug: string): Promise<void>;
  /** Makes every entry stale. */
  invalidateCatalogue(): Promise<void>;
  /**
   * False while the Redis connection is down (commands would wait in the client's offline queue until
   * it reconnects, or fail): callers that can do without the cache should skip it.
   */
  isAvailable(): boolean;
}

export interface QueryCacheOptions {
  prefix?: string;
  /** Lease of the per-entry load lock; longer than the slowest loader. Default 10 s. */
  lockLeaseMs?: number;
  /** How long a caller waits for another process's load before loading itself. Default 10 s. */
  waitTimeoutMs?: number;
  /** Poll interval while waiting. Default 20 ms. */
  pollMs?: number;
  /** A Redis round trip fails with `RedisTimeoutError` after this long. Default 2 s. */
  commandTimeoutMs?: number;
}

export const CACHE_TAGS = {
  catalogue: 'catalogue',
  productLists: 'product-lists',
  product: (slug: string) => `product:${slug}`,
} as const;

/** The tags an entry of this scope depends on (pure; exported for tests and diagnostics). */
export function scopeTags(scope: CacheScope = {}): string[] {
  const tags = new Set<string>([CACHE_TAGS.catalogue]);
  if (scope.list) tags.add(CACHE_TAGS.productLists);
  for (const slug of scope.products ?? []) tags.add(CACHE_TAGS.product(slug));
  return [...tags].sort();
}

export function queryCache(client: RedisClient, opts: QueryCacheOptions = {}): QueryCache {
  const keys = ephemeralKeys(opts.prefix);
  const lockLeaseMs = opts.lockLeaseMs ?? 10_000;
  const waitTimeoutMs = opts.waitTimeoutMs ?? 10_000;
  const pollMs = opts.pollMs ?? 20;
  const commandTimeoutMs = opts.commandTimeoutMs ?? 2000;
  const inFlight = new Map<string, Promise<unknown>>();

  /** One Redis round trip, bounded (node-redis has no timeout once a command is on the socket). */
  const r = <T>(what: string, p: Promise<T>): Promise<T> => withTimeout(p, commandTimeoutMs, what);
  const decode = (raw: string): { v: unknown } => JSON.parse(raw) as { v: unknown };

  const load = async (digest: string, loader: () => Promise<unknown>, ttlMs: number): Promise<unknown> => {
    const entryKey = keys.cacheEntry(digest);
    const lockKey = keys.cacheLock(digest);
    const started = Date.now();
    for (;;) {
      const lock = await r('lock', tryAcquireLock(client, lockKey, lockLeaseMs));
      if (lock) {
        try {
          const again = await r('get', client.get(entryKey));
          if (again !== null) return decode(again).v;
          const value = await loader();
          await r(
            'set',
            client.set(entryKey, JSON.stringify({ v: value }), {
              expiration: { type: 'PX', value: Math.max(1, Math.round(ttlMs)) },
            }),
          );
          return value;
        } finally {
          // Best effort: a lock that cannot be released ends with its lease, and the waiters see the
          // entry (or the lease running out) without it.
          await r('unlock', lock.release()).catch(() => false);
        }
      }
      const seen: { entry: string | null } = { entry: null };
      const settled = await pollUntil(
        async () => {
          const [entry, holder] = await r('poll', client.mGet([entryKey, lockKey]));
          seen.entry = entry ?? null;
          return seen.entry !== null || holder === null;
        },
        { timeoutMs: Math.max(0, waitTimeoutMs - (Date.now() - started)), intervalMs: pollMs },
      );
      if (seen.entry !== null) return decode(seen.entry).v;
      // The other loader is too slow: serve this caller from the database without caching.
      if (!settled) return loader();
      // The lock went away without a value (the loader failed): try to load ourselves.
    }
  };

  return {
    async getOrLoad<T>(key: string, loader: () => Promise<T>, o: GetOrLoadOptions): Promise<T> {
      const tags = scopeTags(o.scope);
      const versions = await r('versions', client.mGet(tags.map((t) => keys.cacheVersion(t))));
      const digest = createHash('sha256')
        .update(JSON.stringify([key, tags, versions.map((v) => v ?? '0')]))
        .digest('hex');
      const hit = await r('get', client.get(keys.cacheEntry(digest)));
      if (hit !== null) return decode(hit).v as T;
      const shared = inFlight.get(digest);
      if (shared) return (await shared) as T;
      const p = load(digest, loader, o.ttlMs).finally(() => inFlight.delete(digest));
      inFlight.set(digest, p);
      return (await p) as T;
    },

    async invalidateProduct(slug) {
      const tags = [CACHE_TAGS.product(slug), CACHE_TAGS.productLists].map((t) => keys.cacheVersion(t));
      await r('invalidate', runScript(client, BUMP_PRODUCT, tags, []));
    },

    async invalidateCatalogue() {
      await r('invalidate', client.incr(keys.cacheVersion(CACHE_TAGS.catalogue)));
    },

    isAvailable: () => client.isReady,
  };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RedisTimeoutError(what, ms)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
