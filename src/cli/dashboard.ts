/**
 * `npm run dashboard`: serves the migration dashboard and `/metrics` (and with `--api` the store API)
 * on 127.0.0.1. Thin wrapper over `startOpsRuntime` and the Hono apps; exit codes: 0 stopped by a
 * signal, 2 bad arguments or a store that cannot be reached at start.
 */
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { createStoreApi } from '../api/app.js';
import { bcryptHash, bcryptVerify } from '../api/bcrypt.js';
import { openPostgres } from '../backends/postgres/client.js';
import { openRedis } from '../backends/redis/client.js';
import { loadConfig, redactText, redactUrl } from '../config.js';
import { withQueryCache } from '../ephemeral/cached-data-layer.js';
import { queryCache } from '../ephemeral/query-cache.js';
import { rateLimiter } from '../ephemeral/rate-limit.js';
import { adminSessionStore, userSessionStore } from '../ephemeral/sessions.js';
import { legacyKeys } from '../legacy/keys.js';
import { stderrLog } from '../migration/router/log.js';
import { createDashboard } from '../ops/dashboard/app.js';
import { generateToken } from '../ops/dashboard/auth.js';
import { effectivePoolMax } from '../ops/pg-pool.js';
import { mountApps, startOpsRuntime } from '../ops/server.js';

/** This command's messages (kept here until src/cli/messages.ts takes a `dashboard` section). */
const text = {
  usage: [
    'usage: npm run dashboard -- [--port <n>] [--host <address>] [--api]',
    '',
    'Serves the migration dashboard (stages, verify, journal, shadow reads, backfill, counts) and',
    'Prometheus metrics on /metrics, for DATABASE_URL and REDIS_URL.',
    '',
    '  --port <n>        default DASHBOARD_PORT or 8787',
    '  --host <address>  default DASHBOARD_HOST or 127.0.0.1 (only this machine can connect)',
    '  --api             also serve the store API under /api (the dashboard moves to /ops)',
    '',
    'The admin token is DASHBOARD_TOKEN; when unset a token is generated and printed once.',
    'exit codes: 0 stopped, 2 bad arguments or a store that cannot be reached',
  ].join('\n'),
  badArgs: (detail: string) => `dashboard: ${detail}; run with --help for the options`,
  badPort: (raw: string) => `--port must be a port number (1–65535), got "${raw}"`,
  generatedToken: (token: string) =>
    `DASHBOARD_TOKEN is not set; this run's admin token is:\n\n    ${token}\n\nSet DASHBOARD_TOKEN to keep one token across restarts.`,
  listening: (url: string, api: boolean, dashboardPath: string) =>
    `migration dashboard on ${url}${dashboardPath === '/' ? '/' : `${dashboardPath}/`}` +
    ` · metrics on ${url}${dashboardPath === '/' ? '' : dashboardPath}/metrics` +
    (api ? ` · store API on ${url}/api` : ''),
  publicHost: (host: string) =>
    `warning: listening on ${host}, reachable from other machines; put TLS in front and keep the token secret`,
  cannotStart: (detail: string) => `dashboard: cannot start: ${detail}`,
  stopping: 'stopping…',
};

async function main(): Promise<number> {
  const parse = () =>
    parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        api: { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
    });
  let args: ReturnType<typeof parse>;
  try {
    args = parse();
  } catch (err) {
    console.error(text.badArgs((err as Error).message));
    return 2;
  }
  if (args.values.help) {
    console.log(text.usage);
    return 0;
  }
  const rawPort = args.values.port ?? process.env.DASHBOARD_PORT ?? '8787';
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    console.error(text.badArgs(text.badPort(rawPort)));
    return 2;
  }
  const host = args.values.host ?? process.env.DASHBOARD_HOST ?? '127.0.0.1';
  const withApi = args.values.api === true;

  let token = process.env.DASHBOARD_TOKEN?.trim();
  if (!token) {
    token = generateToken();
    console.log(text.generatedToken(token));
  }

  const config = loadConfig();
  const poolMax = 10;
  let runtime: Awaited<ReturnType<typeof startOpsRuntime>>;
  let closeClients: () => Promise<void>;
  try {
    const pg = await openPostgres({ url: config.databaseUrl, dataDir: config.dataDir, max: poolMax });
    const redis = await openRedis({ url: config.redisUrl, reconnect: true });
    closeClients = async () => {
      await redis.quit().catch(() => undefined);
      await pg.close();
    };
    runtime = await startOpsRuntime({
      pg,
      pgPoolMax: effectivePoolMax(pg, poolMax),
      redis: { client: redis, keys: legacyKeys(config.keyPrefix) },
      reconcile: withApi,
      log: stderrLog(),
    });
    const dashboardPath = withApi ? '/ops' : '/';
    const dashboard = createDashboard({
      control: runtime.control,
      metrics: runtime.metrics,
      token,
      basePath: dashboardPath === '/' ? '' : dashboardPath,
      secureCookies: process.env.DASHBOARD_SECURE_COOKIES === 'true',
    });
    const api = withApi
      ? createStoreApi({
          // The catalogue reads of the store API go through the Redis query cache; every write made
          // through this layer invalidates what it changed (src/ephemeral/cached-data-layer.ts).
          data: withQueryCache(runtime.data, queryCache(redis, { prefix: config.keyPrefix }), {
            onCacheError: (err, op) =>
              console.error(
                `query cache: ${op}: ${redactText(err instanceof Error ? err.message : String(err))}`,
              ),
          }),
          userSessions: userSessionStore(redis, { prefix: config.keyPrefix }),
          adminSessions: adminSessionStore(redis, { prefix: config.keyPrefix }),
          limiter: rateLimiter(redis, { prefix: config.keyPrefix }),
          passwords: { hash: (p) => bcryptHash(p, 12), verify: bcryptVerify },
          trustedProxies: Number(process.env.TRUSTED_PROXIES ?? 0) || 0,
          onInfrastructureError: (err, route) =>
            console.error(`${route}: ${redactText(err instanceof Error ? err.message : String(err))}`),
        })
      : undefined;
    const app = mountApps({ dashboard, ...(api ? { api } : {}), dashboardPath });
    const server = serve({ fetch: app.fetch, port, hostname: host }, () => {
      const shown = host.includes(':') ? `[${host}]` : host;
      console.log(text.listening(`http://${shown}:${port}`, withApi, dashboardPath));
      if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1')
        console.error(text.publicHost(host));
    });
    return await new Promise<number>((resolve) => {
      const stop = () => {
        console.error(text.stopping);
        server.close();
        void runtime
          .close()
          .then(closeClients)
          .finally(() => resolve(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  } catch (err) {
    console.error(text.cannotStart(redactText(err instanceof Error ? err.message : String(err))));
    console.error(`  Postgres: ${redactUrl(config.databaseUrl)} · Redis: ${redactUrl(config.redisUrl)}`);
    return 2;
  }
}

process.exitCode = await main();
