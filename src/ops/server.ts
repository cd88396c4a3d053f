/**
 * Wiring for one process that serves operations (and optionally the store API): the routed data
 * layer with metrics around both backends and the router, the MigrationControl adapter, the pull
 * collectors, the drift timer, and the two Hono apps on one root (API at `/api`, dashboard at
 * `/ops` when both are served, so neither app's middleware sees the other's paths).
 */
import { Hono } from 'hono';
import type { PgHandle } from '../backends/postgres/client.js';
import { createPostgresDataLayer } from '../backends/postgres/index.js';
import type { RedisClient } from '../backends/redis/client.js';
import { createRedisDataLayer } from '../backends/redis/index.js';
import type { DataLayer } from '../domain/data-layer.js';
import type { LegacyKeys } from '../legacy/keys.js';
import { createDataLayer, type RoutedDataLayer, type RouterConfig } from '../migration/router/index.js';
import type { RouterLog } from '../migration/router/log.js';
import { routerMigrationControl } from './adapters/router-control.js';
import { attachMigrationCollectors } from './collectors.js';
import { dataLayerDriftReader, startDriftChecks } from './drift.js';
import { instrumentDataLayer } from './instrument.js';
import { createMetrics, type OpsMetrics } from './metrics.js';
import type { MigrationControl } from './migration-control.js';
import { createPoolTracker, type PoolTracker, trackPgHandle } from './pg-pool.js';

export interface OpsRuntimeOptions {
  pg: PgHandle;
  /** The pool size `pg` was opened with (for the pool gauges). */
  pgPoolMax: number;
  redis: { client: RedisClient; keys: LegacyKeys };
  /** Run the journal reconciler in this process (a process that serves traffic should). */
  reconcile: boolean;
  /** Drift check interval; 0 disables the check. Default 5 minutes. */
  driftIntervalMs?: number;
  log?: RouterLog;
  env?: NodeJS.ProcessEnv;
  /** Router tuning (stage polling, shadow reads/writes, guard rails); defaults otherwise. */
  router?: Pick<RouterConfig, 'stages' | 'shadowReads' | 'shadowWrites' | 'guard'>;
}

export interface OpsRuntime {
  metrics: OpsMetrics;
  control: MigrationControl;
  /** The routed layer, instrumented as store `router` (what the store API should use). */
  data: DataLayer;
  routed: RoutedDataLayer;
  /** `pg` as this process uses it: every operation on it feeds the pool gauges and timeout counter. */
  pg: PgHandle;
  pool: PoolTracker;
  close(): Promise<void>;
}

export async function startOpsRuntime(opts: OpsRuntimeOptions): Promise<OpsRuntime> {
  const metrics = createMetrics();
  const pool = createPoolTracker(metrics, opts.pgPoolMax);
  const pg = trackPgHandle(opts.pg, pool);
  const now = () => new Date();
  const redisLayer = createRedisDataLayer({ client: opts.redis.client, keys: opts.redis.keys, now });
  const pgLayer = createPostgresDataLayer({ pg, now });
  const routed = await createDataLayer({
    redis: opts.redis,
    pg,
    now,
    layers: {
      redis: instrumentDataLayer(redisLayer, { metrics, store: 'redis' }),
      postgres: instrumentDataLayer(pgLayer, { metrics, store: 'postgres', pool }),
    },
    ...opts.router,
    reconciler: { enabled: opts.reconcile },
    ...(opts.log ? { log: opts.log } : {}),
    ...(opts.env ? { env: opts.env } : {}),
  });
  const { migration, ...layer } = routed;
  const control = routerMigrationControl({ migration, pg, redis: opts.redis });
  attachMigrationCollectors(metrics, control);

  // Drift only means something while both stores are written for the domain.
  const bothWritten = (stage: string) => stage !== 'redis' && stage !== 'postgres-only';
  const stopDrift =
    opts.driftIntervalMs === 0
      ? () => undefined
      : startDriftChecks({
          metrics,
          redis: dataLayerDriftReader(redisLayer),
          postgres: dataLayerDriftReader(pgLayer),
          intervalMs: opts.driftIntervalMs ?? 300_000,
          enabled: async () => ({
            stock: bothWritten(migration.stageOf('products')),
            points: bothWritten(migration.stageOf('users')) && bothWritten(migration.stageOf('points')),
          }),
        });

  return {
    metrics,
    control,
    data: instrumentDataLayer(layer as DataLayer, { metrics, store: 'router' }),
    routed,
    pg,
    pool,
    async close() {
      stopDrift();
      await migration.close();
    },
  };
}

/** One root app: the store API's `/api/*` routes and the dashboard under `dashboardPath`. */
export function mountApps(apps: { dashboard: Hono; api?: Hono; dashboardPath?: string }): Hono {
  // Not strict: the dashboard redirects to `${path}/` (after login, for instance), which a strict
  // router answers 404 when the dashboard is mounted under a path.
  const root = new Hono({ strict: false });
  const path = apps.dashboardPath ?? (apps.api ? '/ops' : '/');
  if (apps.api) root.route('/', apps.api);
  root.route(path, apps.dashboard);
  if (path !== '/') root.get('/', (c) => c.redirect(`${path}/`));
  return root;
}
