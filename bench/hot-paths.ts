/**
 * Hot-path benchmark: `npm run bench:hot-paths -- [--iterations 500] [--warmup 50] [--max-seconds 6]
 *   [--backends redis,postgres[,pglite]] [--paths user-by-email,…] [--products 40] [--json out.json]
 *   [--profile]`
 *
 * For each backend it seeds users, products and orders through the data layer on scratch storage
 * (Redis: a unique key prefix under REDIS_URL; Postgres: a fresh database on the server of
 * DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres; PGlite: in memory), then times
 * four hot paths (user by e-mail, order with items, product list, checkout) through the data layer
 * AND through a hand-written baseline on the same connection (raw Redis commands; plain SQL),
 * alternating the two on every iteration (a path stops early after --max-seconds, once it has 50
 * pairs; the table's n column says how many it measured). It prints p50/p99/ops/s of both, the slowdown of the layer
 * and the round trips one call makes; `--profile` also lists the statements behind those round
 * trips. Everything it created is removed at the end (also on Ctrl-C).
 * Exit codes: 0 measured; 1 bad arguments; 2 a failure (a store unreachable, a baseline mismatch).
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { redactText } from '../src/config.js';
import { BACKENDS, type BackendName, type OpenedBackend, openBackend } from './lib/hot-path-backends.js';
import { DEFAULT_SIZES } from './lib/hot-path-data.js';
import { HOT_PATHS, type HotPath } from './lib/hot-path-ops.js';
import { formatProfile, formatTable, SLOWDOWN_FLAG, toJson } from './lib/hot-path-report.js';
import { benchBackend, type PathResult } from './lib/hot-path-runner.js';

const log = (line: string) => console.error(line);

function fail(message: string): never {
  log(`bench:hot-paths: ${message}`);
  process.exit(1);
}

function list<T extends string>(raw: string, allowed: readonly T[], what: string): T[] {
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = items.filter((s) => !(allowed as readonly string[]).includes(s));
  if (bad.length > 0 || items.length === 0)
    fail(`unknown ${what} "${bad.join(',')}"; choose from ${allowed.join(', ')}`);
  return items as T[];
}

function count(raw: string, name: string, min: number): number {
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min) fail(`--${name} must be a whole number ≥ ${min}, got "${raw}"`);
  return n;
}

const USAGE = `usage: npm run bench:hot-paths -- [--iterations 500] [--warmup 50] [--max-seconds 6]
  [--backends redis,postgres,pglite] [--paths ${HOT_PATHS.join(',')}] [--products 40]
  [--json <file>] [--profile]`;

function options() {
  try {
    return parseArgs({ options: OPTIONS }).values;
  } catch (err) {
    return fail(`${(err as Error).message}\n${USAGE}`);
  }
}

const OPTIONS = {
  iterations: { type: 'string', default: '500' },
  warmup: { type: 'string', default: '50' },
  'max-seconds': { type: 'string', default: '6' },
  backends: { type: 'string', default: 'redis,postgres' },
  paths: { type: 'string', default: HOT_PATHS.join(',') },
  products: { type: 'string', default: String(DEFAULT_SIZES.products) },
  json: { type: 'string' },
  profile: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;
const values = options();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const iterations = count(values.iterations, 'iterations', 1);
const warmup = count(values.warmup, 'warmup', 0);
const maxSecondsPerPath = count(values['max-seconds'], 'max-seconds', 1);
const backends = list<BackendName>(values.backends, BACKENDS, 'backend');
const paths = list<HotPath>(values.paths, HOT_PATHS, 'path');
const sizes = { ...DEFAULT_SIZES, products: count(values.products, 'products', 1) };
const tag = randomBytes(4).toString('hex');
const targets = {
  redisUrl: process.env.REDIS_URL?.trim() || 'redis://127.0.0.1:6379',
  postgresServerUrl: process.env.DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres',
  tag,
  sizes,
};

const opened: OpenedBackend[] = [];
async function cleanup(): Promise<void> {
  for (const b of opened.splice(0).reverse()) {
    await b
      .cleanup()
      .catch((err: unknown) => log(`cleanup of ${b.bench.name} failed: ${redactText(String(err))}`));
  }
}
process.once('SIGINT', () => {
  log('interrupted: removing scratch data …');
  void cleanup().finally(() => process.exit(130));
});

async function main(): Promise<void> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const results: PathResult[] = [];
  for (const name of backends) {
    log(`${name}: seeding ${sizes.users} users, ${sizes.products} products, ${sizes.orders} orders …`);
    const t0 = performance.now();
    const backend = await openBackend(name, targets);
    opened.push(backend);
    log(`${name}: seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    log(`${name}: ${iterations} iterations (+${warmup} warm-up) per path, layer and baseline alternating`);
    results.push(
      ...(await benchBackend(backend.bench, {
        iterations,
        warmup,
        maxSecondsPerPath,
        paths,
        runTag: tag,
        log,
      })),
    );
  }
  console.log(formatTable(results));
  const flagged = results.filter((r) => r.slowdownP50 > SLOWDOWN_FLAG);
  if (flagged.length > 0) {
    console.log(
      `\n! more than ${SLOWDOWN_FLAG}× the baseline at p50: ${flagged.map((r) => `${r.backend} ${r.path}`).join(', ')}`,
    );
  }
  if (values.profile) console.log(`\n${formatProfile(results)}`);
  if (values.json) {
    const meta = {
      startedAt,
      node: process.version,
      iterations,
      warmup,
      maxSecondsPerPath,
      backends,
      sizes,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
    writeFileSync(values.json, `${JSON.stringify(toJson(results, meta), null, 2)}\n`);
    log(`wrote ${values.json}`);
  }
  log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

main()
  .then(cleanup)
  .catch(async (err: unknown) => {
    log(redactText(err instanceof Error ? (err.stack ?? err.message) : String(err)));
    await cleanup();
    process.exit(2);
  });
