/**
 * Streaming id discovery on the legacy keys: SCAN of a record family ∪ the members of its index sets
 * and lists (legacy-redis-format.md §2c recommends the union: orphan records and dangling index ids
 * both occur, §8.1–§8.2). Memory stays bounded by one batch.
 */
import { classifyKey, type KeyFamily } from '../../legacy/keys.js';
import type { SyncContext } from './types.js';

/** Where an entity's ids are indexed besides its record keys. */
export type IndexSource =
  /** One set, e.g. `products:index`. */
  | { kind: 'set'; key: (ctx: SyncContext) => string }
  /** Every list of a family, e.g. all `points:user:*`. */
  | { kind: 'lists'; family: KeyFamily };

/**
 * Ids of the record keys of `family` (collisions of §2c filtered out), in batches of up to
 * `batchSize`: SCAN replies are gathered, since a sparse pattern over a big keyspace returns only a
 * few keys per call.
 */
export async function* scanFamilyIds(
  ctx: SyncContext,
  family: KeyFamily,
  batchSize: number,
): AsyncGenerator<string[]> {
  let ids: string[] = [];
  const count = Math.max(batchSize, 5000);
  for await (const keys of ctx.redis.scanIterator({ MATCH: ctx.keys.scanPattern(family), COUNT: count })) {
    for (const key of keys) {
      const c = classifyKey(String(key), ctx.keys.prefix);
      if (c.family === family && c.id !== undefined) ids.push(c.id);
    }
    while (ids.length >= batchSize) {
      yield ids.slice(0, batchSize);
      ids = ids.slice(batchSize);
    }
  }
  if (ids.length > 0) yield ids;
}

/** Keys of every key of a family without ids in their pattern (e.g. all `orders:user:*` lists). */
async function* scanFamilyKeys(
  ctx: SyncContext,
  family: KeyFamily,
  batchSize: number,
): AsyncGenerator<string> {
  const count = Math.max(batchSize, 5000);
  for await (const keys of ctx.redis.scanIterator({ MATCH: ctx.keys.scanPattern(family), COUNT: count })) {
    for (const key of keys) {
      if (classifyKey(String(key), ctx.keys.prefix).family === family) yield String(key);
    }
  }
}

/** Members of one index (SSCAN for a set, LRANGE pages for lists), in batches. */
async function* indexMembers(
  ctx: SyncContext,
  source: IndexSource,
  batchSize: number,
): AsyncGenerator<string[]> {
  if (source.kind === 'set') {
    const key = source.key(ctx);
    // A record with the id `index` can overwrite its own index set with a string (§2c, §8.18).
    if ((await ctx.redis.type(key)) !== 'set') return;
    for await (const members of ctx.redis.sScanIterator(key, { COUNT: batchSize })) {
      if (members.length > 0) yield members.map(String);
    }
    return;
  }
  for await (const key of scanFamilyKeys(ctx, source.family, batchSize)) {
    if ((await ctx.redis.type(key)) !== 'list') continue;
    for (let start = 0; ; start += batchSize) {
      const page = await ctx.redis.lRange(key, start, start + batchSize - 1);
      if (page.length > 0) yield page.map(String);
      if (page.length < batchSize) break;
    }
  }
}

/**
 * SCAN ids, then the index ids that have no record (dangling ids). An index id whose record exists
 * was (or will be) returned by SCAN, which sees every key present for the whole iteration, so it is
 * not repeated. Duplicates inside one batch are dropped.
 */
export async function* redisIdsWithIndexes(
  ctx: SyncContext,
  family: KeyFamily,
  indexes: readonly IndexSource[],
  recordKey: (id: string) => string,
  batchSize: number,
): AsyncGenerator<string[]> {
  yield* scanFamilyIds(ctx, family, batchSize);
  for (const source of indexes) {
    for await (const members of rechunk(indexMembers(ctx, source, batchSize), batchSize)) {
      const unique = [...new Set(members)];
      const exists = await existsEach(ctx, unique.map(recordKey));
      const dangling = unique.filter((_, i) => !exists[i]);
      if (dangling.length > 0) yield dangling;
    }
  }
}

/** Re-slices batches so none holds more than `size` items (SSCAN returns a small set whole). */
export async function* rechunk<T>(source: AsyncIterable<T[]>, size: number): AsyncGenerator<T[]> {
  for await (const batch of source) {
    for (let i = 0; i < batch.length; i += size) yield batch.slice(i, i + size);
  }
}

/** EXISTS for each key, pipelined. */
export async function existsEach(ctx: SyncContext, keys: readonly string[]): Promise<boolean[]> {
  if (keys.length === 0) return [];
  const multi = ctx.redis.multi();
  for (const key of keys) multi.exists(key);
  const replies = await multi.execAsPipeline();
  return replies.map((r) => Number(r) > 0);
}

/** MGET in pages of `pageSize`; one value (or null) per key. */
export async function mgetAll(
  ctx: SyncContext,
  keys: readonly string[],
  pageSize = 500,
): Promise<(string | null)[]> {
  const out: (string | null)[] = [];
  for (let i = 0; i < keys.length; i += pageSize) {
    const values = await ctx.redis.mGet(keys.slice(i, i + pageSize));
    for (const v of values) out.push(v === null ? null : String(v));
  }
  return out;
}

/** Whether `member` is in the list at `key` (LPOS), so a re-copy does not push it twice. */
export async function listHas(ctx: SyncContext, key: string, member: string): Promise<boolean> {
  return (await ctx.redis.lPos(key, member)) !== null;
}
