/**
 * Shared set-up of the verify / repair tests: a generated legacy dataset in Redis (src/legacy/generator)
 * copied to Postgres, and small helpers to pick records and plant differences with raw commands (so
 * the tests do not plant through the code under test).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import type { PgHandle } from '../../src/backends/postgres/client.js';
import { openRedis } from '../../src/backends/redis/client.js';
import { TEST_REDIS_URL } from '../support/env.js';
import { deleteByPrefix, type RedisFixture } from '../support/harness.js';
import type { RedisClient } from '../../src/backends/redis/client.js';
import { seedLegacyDataset } from '../../src/legacy/generator/writer.js';
import { runBackfill } from '../../src/migration/backfill/engine.js';
import { legacyKeys } from '../../src/legacy/keys.js';
import { createSyncContext, entityByName } from '../../src/migration/entities/index.js';
import type { AnyEntitySync, SyncContext } from '../../src/migration/entities/types.js';
import { ENTITIES } from '../../src/migration/entities/index.js';

/**
 * A Redis client and unique key prefix for one test file, like the harness's `useRedis`, but in a
 * logical database of its own (`VERIFY_TEST_REDIS_DB`, default 7). Verify and the backfill discover
 * records by SCAN over the whole keyspace, as they must on the store's own Redis; on the shared test
 * server other suites can leave a million keys behind, which every SCAN would wade through.
 */
export function useStoreRedis(): RedisFixture {
  const fx = {} as RedisFixture;
  beforeAll(async () => {
    const url = new URL(TEST_REDIS_URL);
    url.pathname = `/${process.env.VERIFY_TEST_REDIS_DB ?? '7'}`;
    fx.url = url.toString();
    fx.prefix = `t:${inject('runId')}:${randomBytes(4).toString('hex')}:`;
    fx.client = await openRedis({ url: fx.url });
  });
  afterAll(async () => {
    if (fx.client?.isOpen) {
      await deleteByPrefix(fx.client, fx.prefix);
      await fx.client.quit();
    }
  });
  return fx;
}

/** The current hour: tokens generated "now" are live for the real clock the CLIs use. */
export function thisHour(): string {
  const d = new Date();
  d.setUTCMinutes(0, 0, 0);
  return d.toISOString();
}

/**
 * Copies every decodable Redis record into Postgres with the sync layer's `writePostgres` (the slow but
 * simple reference path), a few records at a time.
 */
export async function copyAllToPostgres(ctx: SyncContext): Promise<number> {
  let written = 0;
  for (const entity of ENTITIES) {
    for await (const ids of entity.listRedisIds(ctx, 200)) {
      const loaded = [...(await entity.loadRedis(ctx, ids))];
      for (let i = 0; i < loaded.length; i += 8) {
        await Promise.all(
          loaded.slice(i, i + 8).map(async ([id, entry]) => {
            if (!entry.ok) return;
            await entity.writePostgres(ctx, ctx.pg.db, id, entry.record);
            written++;
          }),
        );
      }
    }
  }
  return written;
}

/**
 * Seeds a dataset under `prefix` (every §8 edge case planted at `edgeRate`) and loads it into Postgres
 * with the backfill engine (default) or the sync layer's reference path; returns the sync context.
 */
export async function seedAndCopy(
  redis: RedisClient,
  pg: PgHandle,
  prefix: string,
  opts: { seed?: string; edgeRate?: number; loader?: 'backfill' | 'sync-layer' } = {},
): Promise<SyncContext> {
  await seedLegacyDataset(
    redis,
    {
      scale: 1,
      seed: opts.seed ?? 'verify',
      prefix,
      now: thisHour(),
      edgeRate: opts.edgeRate ?? 0.05,
      flush: false,
    },
    () => undefined,
  );
  const ctx = createSyncContext({ redis, keys: legacyKeys(prefix), pg });
  if (opts.loader === 'sync-layer') await copyAllToPostgres(ctx);
  else await runBackfill({ redis, pg, prefix });
  return ctx;
}

/** The entity called `name` (throws when it does not exist, so a typo fails the test). */
export function entity(name: string): AnyEntitySync {
  const e = entityByName(name);
  if (!e) throw new Error(`no entity ${name}`);
  return e;
}

/** Ids present and decodable in Redis and present in Postgres, sorted. */
export async function sharedIds(ctx: SyncContext, name: string): Promise<string[]> {
  const e = entity(name);
  const out: string[] = [];
  for await (const ids of e.listRedisIds(ctx, 500)) {
    const redis = await e.loadRedis(ctx, ids);
    const pg = await e.loadPostgres(ctx, ids);
    for (const id of ids) if (redis.get(id)?.ok && pg.has(id)) out.push(id);
  }
  return [...new Set(out)].sort();
}

/** Rewrites the JSON value at `key` through `change`, keeping its TTL. */
export async function editRedisJson(
  redis: RedisClient,
  key: string,
  change: (value: Record<string, unknown>) => void,
): Promise<void> {
  const raw = await redis.get(key);
  if (raw === null) throw new Error(`no value at ${key}`);
  const value = JSON.parse(String(raw)) as Record<string, unknown>;
  change(value);
  await redis.set(key, JSON.stringify(value), { expiration: 'KEEPTTL' });
}

/** Runs SQL on the test database. */
export function sql<T = Record<string, unknown>>(
  pg: PgHandle,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  return pg.query<T>(text, params);
}
