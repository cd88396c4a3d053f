/**
 * Router overhead: `npm run bench:router -- [--iterations 300] [--warmup 30] [--json <file>]`
 *
 * Measures, in one run and on the same stores, what the migration router adds to a call: each
 * scenario alternates a call through the single-store layer (the baseline) and the same call through
 * the router in a stage, iteration by iteration, so both see the same load. Scenarios:
 *   dual-write  write (users.updateProfile, points.earn) and read (users.getById) vs Redis alone;
 *   shadow-read read vs Redis alone, sampling every read (worst case) and 1 % (the default);
 *   postgres    write vs Postgres alone (the shadow copy now goes to Redis).
 * It prints p50/p99 of both and their ratio. Scratch storage: a fresh database on the server of
 * DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) and a unique key prefix under
 * REDIS_URL; both are removed at the end. Exit codes: 0 measured, 1 bad arguments, 2 a failure.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { openPostgres, type PgHandle } from '../src/backends/postgres/client.js';
import { createPostgresDataLayer } from '../src/backends/postgres/index.js';
import { migrateDatabase } from '../src/backends/postgres/migrate.js';
import { openRedis, type RedisClient } from '../src/backends/redis/client.js';
import { createRedisDataLayer } from '../src/backends/redis/index.js';
import { redactText } from '../src/config.js';
import type { DataLayer } from '../src/domain/data-layer.js';
import { legacyKeys } from '../src/legacy/keys.js';
import { createDataLayer, type RoutedDataLayer } from '../src/migration/router/index.js';
import { silentLog } from '../src/migration/router/log.js';
import type { Stage } from '../src/migration/router/stages.js';

const USAGE = 'usage: npm run bench:router -- [--iterations 300] [--warmup 30] [--json <file>]';

interface Row {
  scenario: string;
  op: string;
  n: number;
  base: { p50: number; p99: number };
  router: { p50: number; p99: number };
}

type Op = (layer: DataLayer, i: number) => Promise<unknown>;

function percentile(sorted: number[], p: number): number {
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
  );
}

const ms = (ns: bigint) => Number(ns) / 1e6;

/** Alternates baseline and router calls; returns the latency percentiles of each (ms). */
async function pair(base: DataLayer, routed: DataLayer, op: Op, iterations: number, warmup: number) {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < warmup + iterations; i++) {
    // Alternate which goes first, so neither always benefits from the other's warm caches.
    const order: [DataLayer, number[]][] =
      i % 2 === 0
        ? [
            [base, a],
            [routed, b],
          ]
        : [
            [routed, b],
            [base, a],
          ];
    for (const [layer, into] of order) {
      const t = process.hrtime.bigint();
      await op(layer, i);
      if (i >= warmup) into.push(ms(process.hrtime.bigint() - t));
    }
  }
  a.sort((x, y) => x - y);
  b.sort((x, y) => x - y);
  return {
    base: { p50: percentile(a, 50), p99: percentile(a, 99) },
    router: { p50: percentile(b, 50), p99: percentile(b, 99) },
  };
}

function table(rows: Row[]): string {
  const head = [
    'scenario',
    'op',
    'n',
    'single p50',
    'single p99',
    'router p50',
    'router p99',
    'ratio p50',
    'ratio p99',
  ];
  const f = (x: number) => x.toFixed(2);
  const body = rows.map((r) => [
    r.scenario,
    r.op,
    String(r.n),
    f(r.base.p50),
    f(r.base.p99),
    f(r.router.p50),
    f(r.router.p99),
    `${(r.router.p50 / r.base.p50).toFixed(2)}×`,
    `${(r.router.p99 / r.base.p99).toFixed(2)}×`,
  ]);
  const width = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(width[i]!) : c.padStart(width[i]!))).join('  ');
  return [line(head), ...body.map(line), '', 'latencies in ms per call; ratio = router / single store'].join(
    '\n',
  );
}

async function main(): Promise<number> {
  let values: { iterations: string; warmup: string; json?: string };
  try {
    values = parseArgs({
      options: {
        iterations: { type: 'string', default: '300' },
        warmup: { type: 'string', default: '30' },
        json: { type: 'string' },
      },
    }).values as typeof values;
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 1;
  }
  const iterations = Number(values.iterations);
  const warmup = Number(values.warmup);
  if (!Number.isSafeInteger(iterations) || iterations < 10 || !Number.isSafeInteger(warmup) || warmup < 0) {
    console.error(`--iterations must be ≥ 10 and --warmup ≥ 0\n${USAGE}`);
    return 1;
  }

  const serverUrl = process.env.DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.REDIS_URL?.trim() || 'redis://127.0.0.1:6379';
  const tag = randomBytes(4).toString('hex');
  const dbName = `bench_router_${tag}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`CREATE DATABASE ${dbName}`);
  const url = new URL(serverUrl);
  url.pathname = `/${dbName}`;
  let pg: PgHandle | undefined;
  let redis: RedisClient | undefined;
  const routers: RoutedDataLayer[] = [];
  const prefix = `bench:router:${tag}:`;
  try {
    pg = await openPostgres({ url: url.toString(), max: 10, driver: 'postgres-js' });
    await migrateDatabase(pg);
    redis = await openRedis({ url: redisUrl });
    const keys = legacyKeys(prefix);
    const now = () => new Date();
    const single = {
      redis: createRedisDataLayer({ client: redis, keys, now }),
      postgres: createPostgresDataLayer({ pg, now }),
    };
    const router = async (stage: Stage, sampleRate = 0) => {
      const r = await createDataLayer({
        redis: { client: redis!, keys },
        pg: pg!,
        env: { MIGRATION_STAGE: stage },
        log: silentLog,
        shadowReads: { sampleRate: { default: sampleRate } },
      });
      routers.push(r);
      return r;
    };
    const dual = await router('dual-write');
    // Users on both stores (created through the router, which copies them).
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      const u = await dual.users.create({
        email: `bench.${tag}.${i}@example.com`,
        passwordHash: `$2b$10$${'a'.repeat(53)}`,
        firstName: 'Bench',
        lastName: 'User',
      });
      ids.push(u.id);
    }
    const user = (i: number) => ids[i % ids.length]!;
    const write: Op = (l, i) => l.users.updateProfile(user(i), { firstName: `B${i}` });
    const earn: Op = (l, i) => l.points.earn(user(i), 1, 'Purchase #cs_test_');
    const read: Op = (l, i) => l.users.getById(user(i));

    const rows: Row[] = [];
    const add = async (scenario: string, op: string, base: DataLayer, routed: DataLayer, fn: Op) => {
      console.error(`measuring ${scenario} ${op}…`);
      rows.push({ scenario, op, n: iterations, ...(await pair(base, routed, fn, iterations, warmup)) });
    };
    await add('dual-write', 'users.updateProfile', single.redis, dual, write);
    await add('dual-write', 'points.earn', single.redis, dual, earn);
    await add('dual-write', 'users.getById', single.redis, dual, read);
    const shadowAll = await router('shadow-read', 1);
    await add('shadow-read (100 %)', 'users.getById', single.redis, shadowAll, read);
    await shadowAll.migration.idle();
    const shadowSome = await router('shadow-read', 0.01);
    await add('shadow-read (1 %)', 'users.getById', single.redis, shadowSome, read);
    const pgPrimary = await router('postgres');
    await add('postgres', 'users.updateProfile', single.postgres, pgPrimary, write);
    await add('postgres', 'users.getById', single.postgres, pgPrimary, read);

    console.log(table(rows));
    if (values.json) writeFileSync(values.json, `${JSON.stringify({ iterations, warmup, rows }, null, 2)}\n`);
    return 0;
  } finally {
    for (const r of routers) await r.migration.close().catch(() => undefined);
    if (redis) {
      for await (const batch of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
        if (batch.length > 0) await redis.del(batch);
      }
      await redis.quit();
    }
    await pg?.close();
    await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end({ timeout: 5 });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`bench:router: ${redactText(err instanceof Error ? err.message : String(err))}`);
    process.exit(2);
  },
);
