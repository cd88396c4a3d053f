/**
 * Opens each backend for the hot-path benchmark on scratch storage it removes afterwards: a unique
 * Redis key prefix, a fresh Postgres database (migrated with the project's migrations) or an
 * in-memory PGlite. The layer and its baseline share one client (one Postgres connection).
 */
import type { DataLayer } from '../../src/domain/data-layer.js';
import { openPostgres, type PgHandle } from '../../src/backends/postgres/client.js';
import { createPostgresDataLayer } from '../../src/backends/postgres/index.js';
import { migrateDatabase } from '../../src/backends/postgres/migrate.js';
import { openRedis } from '../../src/backends/redis/client.js';
import { createRedisDataLayer } from '../../src/backends/redis/index.js';
import { deletePrefix } from '../../src/legacy/generator/writer.js';
import { legacyKeys } from '../../src/legacy/keys.js';
import { type SeedSizes, seedHotPathData } from './hot-path-data.js';
import { layerOps } from './hot-path-ops.js';
import type { BackendUnderTest } from './hot-path-runner.js';
import { redisBaseline } from './redis-baseline.js';
import { countPostgresTrips, countRedisTrips } from './round-trips.js';
import { pgliteExecutor, postgresJsExecutor, sqlBaseline } from './sql-baseline.js';

export const BACKENDS = ['redis', 'postgres', 'pglite'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** A seeded backend and how to remove everything it created. */
export interface OpenedBackend {
  bench: BackendUnderTest;
  /** The data layer the benchmark measures (for inspecting what it did). */
  dataLayer: DataLayer;
  cleanup: () => Promise<void>;
}

export interface BackendTargets {
  redisUrl: string;
  /** A server where the user may CREATE DATABASE; the scratch database is created there. */
  postgresServerUrl: string;
  /** Unique per run: names the key prefix and the scratch database. */
  tag: string;
  sizes: SeedSizes;
}

const now = () => new Date();

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function openRedisBackend(t: BackendTargets): Promise<OpenedBackend> {
  const client = await openRedis({ url: t.redisUrl });
  const prefix = `bench:hp:${t.tag}:`;
  const keys = legacyKeys(prefix);
  const cleanup = async () => {
    await deletePrefix(client, prefix);
    await client.quit();
  };
  try {
    const layer = createRedisDataLayer({ client, keys, now });
    const data = await seedHotPathData(layer, t.sizes);
    return {
      bench: {
        name: 'redis',
        layer: layerOps(layer),
        baseline: redisBaseline(client, keys),
        data,
        countTrips: countRedisTrips,
      },
      dataLayer: layer,
      cleanup,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

async function openPostgresBackend(t: BackendTargets): Promise<OpenedBackend> {
  const name = `dcw_bench_hp_${t.tag}`;
  const admin = await openPostgres({ url: t.postgresServerUrl, max: 1, driver: 'postgres-js' });
  let pg: PgHandle | undefined;
  const cleanup = async () => {
    await pg?.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.close();
  };
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    const url = withDatabase(t.postgresServerUrl, name);
    // One connection: the layer and the baseline take turns on the very same socket.
    pg = await openPostgres({ url, max: 1, driver: 'postgres-js' });
    const sql = pg.postgresJs;
    if (!sql) throw new Error('the postgres backend needs the postgres.js driver');
    await migrateDatabase(pg);
    const layer = createPostgresDataLayer({ pg, now });
    const data = await seedHotPathData(layer, t.sizes);
    const port = Number(new URL(url).port || 5432);
    return {
      bench: {
        name: 'postgres',
        layer: layerOps(layer),
        baseline: sqlBaseline(postgresJsExecutor(sql)),
        data,
        countTrips: (op) => countPostgresTrips(sql, port, op),
      },
      dataLayer: layer,
      cleanup,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

async function openPgliteBackend(t: BackendTargets): Promise<OpenedBackend> {
  const pg = await openPostgres({ url: undefined, dataDir: 'memory://', driver: 'pglite' });
  const cleanup = () => pg.close();
  try {
    await migrateDatabase(pg);
    const layer = createPostgresDataLayer({ pg, now });
    const data = await seedHotPathData(layer, t.sizes);
    return {
      bench: { name: 'pglite', layer: layerOps(layer), baseline: sqlBaseline(pgliteExecutor(pg)), data },
      dataLayer: layer,
      cleanup,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** Opens, migrates and seeds one backend. */
export function openBackend(name: BackendName, targets: BackendTargets): Promise<OpenedBackend> {
  switch (name) {
    case 'redis':
      return openRedisBackend(targets);
    case 'postgres':
      return openPostgresBackend(targets);
    case 'pglite':
      return openPgliteBackend(targets);
  }
}
