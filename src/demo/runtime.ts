/**
 * The demo's serving process: the routed data layer (instrumented like `startOpsRuntime` does, with
 * the demo's router settings: every read compared while a stage compares reads, short switch delays
 * because there is one process), the store API and the dashboard on one loopback HTTP server.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createStoreApi } from '../api/app.js';
import { bcryptHash, bcryptVerify } from '../api/bcrypt.js';
import type { PgHandle } from '../backends/postgres/client.js';
import { createPostgresDataLayer } from '../backends/postgres/index.js';
import type { RedisClient } from '../backends/redis/client.js';
import { createRedisDataLayer } from '../backends/redis/index.js';
import { redactText } from '../config.js';
import type { DataLayer } from '../domain/data-layer.js';
import { rateLimiter } from '../ephemeral/rate-limit.js';
import { adminSessionStore, userSessionStore } from '../ephemeral/sessions.js';
import type { LegacyKeys } from '../legacy/keys.js';
import { createDataLayer, type RoutedDataLayer } from '../migration/router/index.js';
import type { RouterLog } from '../migration/router/log.js';
import { routerMigrationControl } from '../ops/adapters/router-control.js';
import { attachMigrationCollectors } from '../ops/collectors.js';
import { createDashboard } from '../ops/dashboard/app.js';
import { dataLayerDriftReader, startDriftChecks } from '../ops/drift.js';
import { instrumentDataLayer } from '../ops/instrument.js';
import { createMetrics, type OpsMetrics } from '../ops/metrics.js';
import { createPoolTracker, trackPgHandle } from '../ops/pg-pool.js';
import { mountApps } from '../ops/server.js';

export interface DemoRuntimeOptions {
  pg: PgHandle;
  pgPoolMax: number;
  redis: { client: RedisClient; keys: LegacyKeys };
  /** Dashboard admin token. */
  token: string;
  port: number;
  /** bcrypt cost of the demo's customers (the store uses 12: ~1 s of CPU per login here). */
  bcryptCost: number;
  router: { pollMs: number; switchDelayMs: number };
  log: RouterLog;
  /** Every 503 the API answers (its cause, redacted). */
  onInfrastructureError: (route: string, message: string) => void;
}

export interface DemoRuntime {
  /** The routed layer, instrumented (what the API serves from). */
  data: DataLayer;
  routed: RoutedDataLayer;
  metrics: OpsMetrics;
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  /** The dashboard's page (log in with the token). */
  dashboardUrl: string;
  /** Stops the HTTP server, the drift timer and the router (clients stay open). */
  close(): Promise<void>;
}

export async function startDemoRuntime(o: DemoRuntimeOptions): Promise<DemoRuntime> {
  const metrics = createMetrics();
  const pool = createPoolTracker(metrics, o.pgPoolMax);
  const pg = trackPgHandle(o.pg, pool);
  const now = () => new Date();
  const redisLayer = createRedisDataLayer({ client: o.redis.client, keys: o.redis.keys, now });
  const pgLayer = createPostgresDataLayer({ pg, now });
  const routed = await createDataLayer({
    redis: o.redis,
    pg,
    now,
    layers: {
      redis: instrumentDataLayer(redisLayer, { metrics, store: 'redis' }),
      postgres: instrumentDataLayer(pgLayer, { metrics, store: 'postgres', pool }),
    },
    env: {},
    stages: {
      pollMs: o.router.pollMs,
      switchDelayMs: o.router.switchDelayMs,
      quiesceMs: o.router.switchDelayMs,
    },
    // Compare every read while a stage compares reads: the guard rail wants evidence per domain,
    // and a demo's traffic is small. A difference is re-checked after 3 s (default 0.2 s) and a
    // shadow copy may take 3 s (default 1 s) before it is journaled: on a busy laptop, or on the one
    // PGlite connection, a request's copy can take that long, and a read compared meanwhile would
    // count against the guard rail although the stores agree a moment later.
    shadowReads: { sampleRate: { default: 1 }, recheckMs: 3000 },
    shadowWrites: { timeoutMs: 3000 },
    reconciler: { enabled: true, intervalMs: 250, baseBackoffMs: 250 },
    log: o.log,
  });
  const { migration, ...layer } = routed;
  const control = routerMigrationControl({ migration, pg, redis: o.redis, by: 'demo', countsTtlMs: 5000 });
  attachMigrationCollectors(metrics, control);
  const bothWritten = (stage: string) => stage !== 'redis' && stage !== 'postgres-only';
  const stopDrift = startDriftChecks({
    metrics,
    redis: dataLayerDriftReader(redisLayer),
    postgres: dataLayerDriftReader(pgLayer),
    intervalMs: 15_000,
    enabled: async () => ({
      stock: bothWritten(migration.stageOf('products')),
      points: bothWritten(migration.stageOf('users')) && bothWritten(migration.stageOf('points')),
    }),
  });
  const data = instrumentDataLayer(layer as DataLayer, { metrics, store: 'router' });
  const prefix = o.redis.keys.prefix;
  const api = createStoreApi({
    data,
    userSessions: userSessionStore(o.redis.client, { prefix }),
    adminSessions: adminSessionStore(o.redis.client, { prefix }),
    limiter: rateLimiter(o.redis.client, { prefix }),
    passwords: { hash: (p) => bcryptHash(p, o.bcryptCost), verify: bcryptVerify },
    // The virtual customers come from many (documentation-range) addresses in X-Forwarded-For.
    trustedProxies: 1,
    secureCookies: false,
    onInfrastructureError: (err, route) =>
      o.onInfrastructureError(route, redactText(err instanceof Error ? err.message : String(err))),
  });
  const dashboard = createDashboard({ control, metrics, token: o.token, basePath: '/ops' });
  const app = mountApps({ dashboard, api, dashboardPath: '/ops' });
  const server = serve({ fetch: app.fetch, port: o.port, hostname: '127.0.0.1' });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    data,
    routed,
    metrics,
    baseUrl,
    dashboardUrl: `${baseUrl}/ops/`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets of the virtual users (and a browser) would hold close() open.
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      stopDrift();
      await migration.close();
    },
  };
}
