/**
 * Runs once per `vitest run`: checks that the real servers answer (failing with instructions when
 * they do not) and builds a template database with every migration applied, so each test file can
 * get its own database with one fast `CREATE DATABASE … TEMPLATE`.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { createClient } from 'redis';
import type { TestProject } from 'vitest/node';
import { openPostgres } from '../../src/backends/postgres/client.js';
import { migrateDatabase } from '../../src/backends/postgres/migrate.js';
import {
  HOW_TO_START_POSTGRES,
  HOW_TO_START_REDIS,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
  withDatabase,
} from './env.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate: string;
    runId: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runId = randomBytes(4).toString('hex');
  const redis = createClient({
    url: TEST_REDIS_URL,
    socket: { connectTimeout: 3000, reconnectStrategy: false },
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    throw new Error(
      `Redis is not reachable at ${TEST_REDIS_URL} (${(err as Error).message}). ${HOW_TO_START_REDIS}`,
    );
  } finally {
    if (redis.isOpen) await redis.quit();
  }

  const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => undefined, connect_timeout: 5 });
  try {
    await admin`select 1`;
  } catch (err) {
    await admin.end({ timeout: 1 });
    throw new Error(
      `Postgres is not reachable at ${TEST_DATABASE_URL} (${(err as Error).message}). ${HOW_TO_START_POSTGRES}`,
    );
  }
  const template = `dcw_tmpl_${runId}`;
  await admin.unsafe(`CREATE DATABASE ${template}`);
  const pg = await openPostgres({
    url: withDatabase(TEST_DATABASE_URL, template),
    max: 1,
    driver: 'postgres-js',
  });
  try {
    await migrateDatabase(pg);
  } finally {
    await pg.close();
  }
  project.provide('pgTemplate', template);
  project.provide('runId', runId);

  return async () => {
    const rows = await admin<{ datname: string }[]>`
      select datname from pg_database where datname like ${`dcw_%${runId}%`}`;
    for (const { datname } of rows) {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    }
    await admin.end({ timeout: 5 });
    // Safety net: every file deletes its own prefix, but a late write (a router's journal flush
    // after its file's cleanup) must not survive the run either. Test prefixes are `t:<runId>:…`.
    const sweeper = createClient({ url: TEST_REDIS_URL, socket: { reconnectStrategy: false } });
    sweeper.on('error', () => undefined);
    try {
      await sweeper.connect();
      for await (const keys of sweeper.scanIterator({ MATCH: `t:${runId}:*`, COUNT: 1000 })) {
        if (keys.length > 0) await sweeper.del(keys);
      }
    } finally {
      if (sweeper.isOpen) await sweeper.quit();
    }
  };
}
