/**
 * Per-test-file isolation on the real servers. Call these at the top level of a test file:
 *   const pg = usePostgres();      // a fresh database, migrations applied, dropped afterwards
 *   const lite = usePglite();      // an in-memory PGlite database with migrations applied
 *   const redis = useRedis();      // a client plus a unique key prefix, all its keys deleted afterwards
 * Each returns a holder whose fields are filled in `beforeAll`.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, inject } from 'vitest';
import { openPostgres, type PgHandle } from '../../src/backends/postgres/client.js';
import { migrateDatabase } from '../../src/backends/postgres/migrate.js';
import { openRedis, type RedisClient } from '../../src/backends/redis/client.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL, withDatabase } from './env.js';

export interface PgFixture {
  handle: PgHandle;
  /** URL of this file's database (no password on the test server). */
  url: string;
  name: string;
}

export async function createTestDatabase(): Promise<{
  name: string;
  url: string;
  drop: () => Promise<void>;
}> {
  const name = `dcw_t_${inject('runId')}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => undefined });
  // Concurrent CREATE DATABASE from one template can collide briefly; retry a few times.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${inject('pgTemplate')}`);
      break;
    } catch (err) {
      if (attempt >= 20) throw err;
      await new Promise((r) => setTimeout(r, 50 + attempt * 50));
    }
  }
  await admin.end({ timeout: 5 });
  return {
    name,
    url: withDatabase(TEST_DATABASE_URL, name),
    drop: async () => {
      const a = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => undefined });
      await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end({ timeout: 5 });
    },
  };
}

export function usePostgres(opts: { max?: number } = {}): PgFixture {
  const fx = {} as PgFixture;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const db = await createTestDatabase();
    drop = db.drop;
    fx.name = db.name;
    fx.url = db.url;
    fx.handle = await openPostgres({ url: db.url, max: opts.max ?? 10, driver: 'postgres-js' });
  });
  afterAll(async () => {
    await fx.handle?.close();
    await drop?.();
  });
  return fx;
}

export function usePglite(): { handle: PgHandle } {
  const fx = {} as { handle: PgHandle };
  beforeAll(async () => {
    fx.handle = await openPostgres({ url: undefined, dataDir: 'memory://', driver: 'pglite' });
    await migrateDatabase(fx.handle);
  });
  afterAll(async () => {
    await fx.handle?.close();
  });
  return fx;
}

export interface RedisFixture {
  client: RedisClient;
  /** Unique per test file; pass it as the legacy key prefix. Ends with `:`. */
  prefix: string;
  url: string;
}

export async function deleteByPrefix(client: RedisClient, prefix: string): Promise<number> {
  let deleted = 0;
  for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
    if (keys.length > 0) deleted += await client.del(keys);
  }
  return deleted;
}

export function useRedis(): RedisFixture {
  const fx = { url: TEST_REDIS_URL } as RedisFixture;
  beforeAll(async () => {
    fx.prefix = `t:${inject('runId')}:${randomBytes(4).toString('hex')}:`;
    fx.client = await openRedis({ url: TEST_REDIS_URL });
  });
  afterAll(async () => {
    if (fx.client?.isOpen) {
      await deleteByPrefix(fx.client, fx.prefix);
      await fx.client.quit();
    }
  });
  return fx;
}
