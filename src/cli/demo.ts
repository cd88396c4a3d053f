/**
 * `npm run demo`: a live zero-downtime migration under traffic (see src/demo/demo.ts and --help).
 * Thin wrapper: parses the options, wires Ctrl-C to a clean stop, prints the summary.
 * Exit codes: 0 migrated with 0 failed requests and 0 drift; 1 failed requests, drift, or stopped
 * early; 2 bad arguments or a store that cannot be reached.
 */
import { loadConfig, redactText, redactUrl } from '../config.js';
import { runDemo } from '../demo/demo.js';
import { DEMO_USAGE, DemoUsageError, parseDemoArgs } from '../demo/options.js';
import { findRedisServer } from '../demo/redis-child.js';
import { DatabaseNotEmptyError } from '../demo/stores.js';
import { renderSummary } from '../demo/summary.js';

const text = {
  badArgs: (detail: string) => `demo: ${detail}; run with --help for the options`,
  stopping:
    'stopping: the traffic ends, the stage step in progress finishes, then the summary (Ctrl-C again to quit at once)',
  notEmpty: (target: string, tables: string[]) =>
    `demo: ${target} already holds data (${tables.join(', ')}). The demo writes a made-up dataset; point ` +
    'DATABASE_URL at an empty scratch database, or unset it to use a fresh embedded PGlite directory',
  cannotRun: (detail: string, pg: string, redis: string) =>
    `demo: cannot run: ${detail}\n  Postgres: ${pg} · Redis: ${redis}`,
};

async function main(): Promise<number> {
  let options: ReturnType<typeof parseDemoArgs>;
  try {
    options = parseDemoArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof DemoUsageError) {
      console.error(text.badArgs(err.message));
      return 2;
    }
    throw err;
  }
  if (options === 'help') {
    console.log(DEMO_USAGE);
    return 0;
  }
  const config = loadConfig();
  const controller = new AbortController();
  let firstSignalAt = 0;
  const onSignal = () => {
    // Under `npm run` / tsx one Ctrl-C arrives twice (from the terminal and relayed by the wrapper):
    // only a second press, a moment later, quits at once.
    if (controller.signal.aborted) {
      if (Date.now() - firstSignalAt > 1000) process.exit(130);
      return;
    }
    firstSignalAt = Date.now();
    console.error(text.stopping);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const result = await runDemo(options, {
      databaseUrl: config.databaseUrl,
      redisUrl: process.env.REDIS_URL?.trim() || undefined,
      keyPrefix: config.keyPrefix,
      redisServer: findRedisServer(),
      env: process.env,
      dashboardToken: process.env.DASHBOARD_TOKEN,
      signal: controller.signal,
      progress: (line) => console.error(redactText(line)),
      onResult: (r) => console.log(redactText(renderSummary(r))),
    });
    return result.ok ? 0 : 1;
  } catch (err) {
    if (err instanceof DatabaseNotEmptyError) {
      console.error(text.notEmpty(err.target, err.tables));
      return 2;
    }
    const redis = process.env.REDIS_URL
      ? redactUrl(process.env.REDIS_URL)
      : 'private redis-server or the local default';
    console.error(
      text.cannotRun(
        redactText(err instanceof Error ? err.message : String(err)),
        redactUrl(config.databaseUrl),
        redis,
      ),
    );
    return 2;
  }
}

process.exitCode = await main();
// Lingering timers of client libraries must not keep a finished demo alive.
setTimeout(() => process.exit(), 2000).unref();
