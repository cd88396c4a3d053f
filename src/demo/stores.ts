/**
 * The two stores of a demo run. Postgres: DATABASE_URL, else a fresh PGlite directory. Redis:
 * REDIS_URL, else a private `redis-server` child, else the local default server under a unique key
 * prefix. A database that already holds store data is refused: the demo writes a made-up dataset and
 * must never mix it into real records.
 */
import { effectivePoolMax } from '../ops/pg-pool.js';
import type { PgHandle } from '../backends/postgres/client.js';
import { openPostgres } from '../backends/postgres/client.js';
import { migrateDatabase } from '../backends/postgres/migrate.js';
import type { RedisClient } from '../backends/redis/client.js';
import { openRedis } from '../backends/redis/client.js';
import { DEFAULT_REDIS_URL, redactUrl } from '../config.js';
import { findRedisServer, type RedisChild, startRedisChild } from './redis-child.js';

export interface StoreSettings {
  databaseUrl: string | undefined;
  /** Directory of the PGlite database when `databaseUrl` is unset. */
  dataDir: string;
  redisUrl: string | undefined;
  /** KEY_PREFIX (prepended to the demo's own prefix on a shared Redis). */
  keyPrefix: string;
  /** Unique per run: `demo-<timestamp>`; names the key prefix on a shared Redis. */
  runName: string;
  /** `redis-server` to start when no Redis URL is given; null = none available. */
  redisServer: string | null;
}

export type RedisMode = 'private' | 'given' | 'local-default';

export interface DemoStores {
  /** The handle the store API and the router use. */
  pg: PgHandle;
  pgPoolMax: number;
  /** The handle the backfill and verify use: the same one on PGlite (a single connection). */
  toolsPg: PgHandle;
  redis: RedisClient;
  redisMode: RedisMode;
  /** Redacted. */
  redisTarget: string;
  postgresTarget: string;
  keyPrefix: string;
  redisChild: RedisChild | null;
  /** Closes the clients, kills the private Redis, deletes the run's keys on a shared Redis. */
  close(): Promise<void>;
}

/** The database already holds store or migration data. */
export class DatabaseNotEmptyError extends Error {
  constructor(
    readonly target: string,
    readonly tables: string[],
  ) {
    super(`${target} already holds data (${tables.join(', ')})`);
    this.name = 'DatabaseNotEmptyError';
  }
}

/** Tables that hold store records or migration state; any row in one means "not a scratch database". */
const GUARDED_TABLES = ['users', 'orders', 'products', 'migration_stages', 'backfill_runs'];

async function nonEmptyTables(pg: PgHandle): Promise<string[]> {
  const out: string[] = [];
  for (const table of GUARDED_TABLES) {
    const rows = await pg.query<{ found: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${table}) AS found`);
    if (rows[0]?.found === true) out.push(table);
  }
  return out;
}

async function deleteByPrefix(client: RedisClient, prefix: string): Promise<void> {
  if (prefix === '') return;
  for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
    if (keys.length > 0) await client.del(keys);
  }
}

export async function openDemoStores(s: StoreSettings): Promise<DemoStores> {
  const cleanups: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  };
  try {
    const pg = await openPostgres({ url: s.databaseUrl, dataDir: s.dataDir, max: 8 });
    const pgPoolMax = effectivePoolMax(pg, 8);
    cleanups.push(() => pg.close());
    await migrateDatabase(pg);
    const taken = await nonEmptyTables(pg);
    if (taken.length > 0) throw new DatabaseNotEmptyError(pg.target, taken);
    let toolsPg = pg;
    if (pg.kind !== 'pglite') {
      // Backfill and verify statements may run longer than the app's 5 s statement limit.
      toolsPg = await openPostgres({ url: s.databaseUrl, max: 3, statementTimeoutMs: 0 });
      cleanups.push(() => toolsPg.close());
    }

    let redisChild: RedisChild | null = null;
    let redisMode: RedisMode;
    let url: string;
    let keyPrefix: string;
    if (s.redisUrl) {
      redisMode = 'given';
      url = s.redisUrl;
      keyPrefix = `${s.keyPrefix}${s.runName}:`;
    } else if (s.redisServer) {
      redisMode = 'private';
      redisChild = await startRedisChild(s.redisServer);
      const child = redisChild;
      cleanups.push(() => child.stop());
      url = redisChild.url;
      keyPrefix = s.keyPrefix;
    } else {
      redisMode = 'local-default';
      url = DEFAULT_REDIS_URL;
      keyPrefix = `${s.keyPrefix}${s.runName}:`;
    }
    const redis = await openRedis({ url, reconnect: redisMode !== 'private' });
    cleanups.push(async () => {
      if (redisMode !== 'private') await deleteByPrefix(redis, keyPrefix);
      await redis.quit();
    });
    return {
      pg,
      pgPoolMax,
      toolsPg,
      redis,
      redisMode,
      redisTarget: redisMode === 'private' ? `private redis-server on ${url}` : redactUrl(url),
      postgresTarget: pg.target,
      keyPrefix,
      redisChild,
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

/** `demo-20260101-120000`: sortable, unique per second (the PGlite directory and key prefix). */
export function runNameAt(now: Date): string {
  const iso = now.toISOString();
  return `demo-${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`;
}

export { findRedisServer };
