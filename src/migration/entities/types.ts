/**
 * The per-entity sync layer: for every migrated entity, how to list, load and write its records on
 * both stores, in the one canonical (domain) form. Verify, repair and the migration router all move
 * records with exactly these functions, so they hold no CLI or reporting concerns.
 */
import type { Db, PgHandle } from '../../backends/postgres/client.js';
import type { RedisClient } from '../../backends/redis/client.js';
import type { DecodeError } from '../../legacy/codecs/result.js';
import type { LegacyKeys } from '../../legacy/keys.js';

/** The stores an entity lives in, plus the clock (token expiry, Redis TTLs). */
export interface SyncContext {
  redis: RedisClient;
  keys: LegacyKeys;
  pg: PgHandle;
  now: () => Date;
  /**
   * Token digest → token, learnt while listing or loading Redis tokens. Postgres keeps only the digest
   * (decisions.md §9), so this is how a digest finds its Redis key again. Shared by the token entities.
   */
  tokenKeys: Map<string, string>;
}

/** One Redis record as loaded: decoded, or the reason it cannot be decoded (it stays present). */
export type RedisEntry<T> =
  | { ok: true; key: string; record: T }
  | { ok: false; key: string; error: DecodeError };

/** A Postgres write target: the database handle's Drizzle db, or a transaction of it. */
export type PgWriter = Db;

/** One of the two stores. */
export type Side = 'redis' | 'postgres';

/** Outcome of one `writePostgres` / `writeRedis`. */
export type WriteOutcome = 'written' | 'deleted' | 'absent';

/**
 * The record cannot be written to this store as it is (e.g. a Postgres token row knows only the
 * token's digest, so it cannot recreate the Redis key). Not an infrastructure failure.
 */
export class NotCopyableError extends Error {
  constructor(
    readonly entity: string,
    readonly id: string,
    readonly reason: string,
  ) {
    super(`${entity} ${id} cannot be copied: ${reason}`);
    this.name = 'NotCopyableError';
  }
}

/**
 * One migrated entity (a Postgres parent table with its child rows, and the legacy keys it comes
 * from). Ids are strings shared by both sides: the legacy id (slug for products), the token digest for
 * tokens, a fixed name for single-record entities, a content key for admin log entries.
 */
export interface EntitySync<T> {
  /** The Postgres parent table, e.g. `orders` (child rows belong to it). */
  readonly name: string;
  /** The data-access domain it belongs to (router stages, verify results per domain). */
  readonly domain: string;
  /** Legacy keys this entity reads (for messages), e.g. `order:{id}`. */
  readonly redisPattern: string;
  /**
   * Every id found in Redis, streamed in batches: SCAN of the record keys ∪ the members of the
   * entity's index sets/lists. Index ids with no record are included; a batch may repeat an id that
   * an earlier batch held (SCAN may return a key twice), callers tolerate that.
   */
  listRedisIds(ctx: SyncContext, batchSize: number): AsyncIterable<string[]>;
  /** Every id in Postgres, streamed in batches in id order (keyset pages). */
  listPostgresIds(ctx: SyncContext, batchSize: number): AsyncIterable<string[]>;
  /** MGET + decode; ids with no record are missing from the result. Never throws on bad data. */
  loadRedis(ctx: SyncContext, ids: readonly string[]): Promise<Map<string, RedisEntry<T>>>;
  /**
   * The ids that have a Redis record (decodable or not), without decoding them; verify's Postgres pass
   * only needs to know which ids Redis lacks. Defaults to the keys of `loadRedis`.
   */
  presentInRedis?(ctx: SyncContext, ids: readonly string[]): Promise<Set<string>>;
  /** Rows → mappers → domain records; ids with no row are missing from the result. */
  loadPostgres(ctx: SyncContext, ids: readonly string[]): Promise<Map<string, T>>;
  /** The value whose canonical hash is compared, for a record loaded from Redis. */
  compareFormRedis(record: T): unknown;
  /** The same for a record loaded from Postgres. */
  compareFormPostgres(record: T): unknown;
  /**
   * Why `record`, present only on `presentOn`, is legitimately absent on the other store (an expired
   * token the backfill does not copy; an admin log entry Redis trimmed away), or undefined when its
   * absence is a real difference. Such records are counted as `skipped`, never as missing.
   */
  absenceExpected?(ctx: SyncContext, record: T, presentOn: Side): Promise<string | undefined>;
  /**
   * Upserts one aggregate (parent + child rows) from a Redis-side record, setting the sync columns,
   * or deletes it (children cascade) when `record` is null, i.e. absent on the source.
   */
  writePostgres(ctx: SyncContext, db: PgWriter, id: string, record: T | null): Promise<WriteOutcome>;
  /**
   * Writes one record to Redis with the index memberships the store keeps (legacy §5), atomically,
   * from a Postgres-side record; deletes it and its index entries the way the store does when null.
   * Throws {@link NotCopyableError} when the Postgres form cannot recreate the Redis record.
   */
  writeRedis(ctx: SyncContext, id: string, record: T | null): Promise<WriteOutcome>;
}

/**
 * An entity of any record type (the registry holds several). Method parameters are bivariant, so every
 * `EntitySync<T>` is one; callers only pass records back to the entity that produced them.
 */
export type AnyEntitySync = EntitySync<unknown>;
