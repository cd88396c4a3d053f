/**
 * Backfill benchmark:
 * `npx tsx bench/backfill.ts --scale 100 [--batch-size 1000] [--concurrency 4] [--sample 2000] [--keep]`
 *
 * Seeds a generated legacy dataset under a scratch key prefix (REDIS_URL), creates a scratch database
 * on the server of DATABASE_URL (default the local test server) and measures, in the same run:
 * - the backfill, run as `npm run migrate:redis-to-postgres` runs it (its own process): records/s
 *   and that process's peak RSS, from its JSON report;
 * - a raw baseline: the same string keys read with SCAN + MGET and COPYed unmapped into a scratch
 *   table (the floor any migrator pays for moving the bytes);
 * - a naive baseline on a sample: one awaited INSERT per row (parent and child rows) through Drizzle;
 * - the CPU seconds the backfill and the raw baseline used in Node, Postgres and Redis (the servers'
 *   only when they run on this machine), and the shortest wall time that CPU allows on these cores.
 * Everything it created is removed afterwards unless --keep is given.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { openPostgres } from '../src/backends/postgres/client.js';
import { migrateDatabase } from '../src/backends/postgres/migrate.js';
import { openRedis } from '../src/backends/redis/client.js';
import { decodeLegacyValue } from '../src/legacy/codecs/dispatch.js';
import { deletePrefix } from '../src/legacy/generator/writer.js';
import { classifyKey, legacyKeys } from '../src/legacy/keys.js';
import * as s from '../src/backends/postgres/schema.js';
import { DEFAULT_BATCH_SIZE } from '../src/migration/backfill/engine.js';
import type { BackfillReport } from '../src/migration/backfill/types.js';
import { decodeAndMapMs, postgresInsertFloor, readIndexMembers } from './lib/lower-bound.js';
import { measureServers } from './lib/server-cpu.js';
import { MIGRATED_ENTITIES, RECORD_ENTITIES } from '../src/migration/backfill/entities.js';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '100' },
    'batch-size': { type: 'string' },
    concurrency: { type: 'string', default: '4' },
    sample: { type: 'string', default: '2000' },
    keep: { type: 'boolean', default: false },
  },
});
const scale = Number(values.scale);
const batchSize = Number(values['batch-size'] ?? DEFAULT_BATCH_SIZE);
const sampleSize = Number(values.sample);
const concurrency = Number(values.concurrency);
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const tag = randomBytes(3).toString('hex');
const prefix = `bench:${tag}:`;
const dbName = `dcw_bench_${tag}`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const log = (line: string) => console.error(line);

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function main(): Promise<void> {
  log(`seeding scale ${scale} under ${prefix} …`);
  const seeded = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli/legacy-seed.ts',
      '--scale',
      String(scale),
      '--prefix',
      prefix,
      '--seed',
      'bench',
      '--flush',
    ],
    { env: process.env, encoding: 'utf8', maxBuffer: 1 << 30 },
  );
  if (seeded.status !== 0) throw new Error(`seeding failed: ${seeded.stderr}`);
  const manifest = JSON.parse(seeded.stdout) as { keys: number };

  const admin = postgres(serverUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`CREATE DATABASE ${dbName}`);
  const pg = await openPostgres({
    url: withDatabase(serverUrl, dbName),
    statementTimeoutMs: 0,
    max: concurrency + 2,
  });
  const redis = await openRedis({ url: redisUrl });
  try {
    await migrateDatabase(pg);

    // ---- naive baseline first (empty tables): one awaited Drizzle INSERT per row, sample of orders --
    const orderEntity = RECORD_ENTITIES.find((e) => e.name === 'orders');
    if (!orderEntity) throw new Error('no orders entity');
    const sampleKeys: string[] = [];
    for await (const keys of redis.scanIterator({
      MATCH: legacyKeys(prefix).scanPattern('order'),
      COUNT: 2000,
    })) {
      for (const k of keys) if (classifyKey(k, prefix).family === 'order') sampleKeys.push(k);
      if (sampleKeys.length >= sampleSize) break;
    }
    const t2 = performance.now();
    let naiveRecords = 0;
    for (const key of sampleKeys.slice(0, sampleSize)) {
      const raw = await redis.get(key);
      if (raw === null) continue;
      const d = decodeLegacyValue(classifyKey(key, prefix), raw);
      if (!d.ok) continue;
      const rows = orderEntity.rows(d.value.value, {});
      await pg.db.insert(s.orders).values(rows.parent as never);
      for (const item of rows.children.order_items ?? [])
        await pg.db.insert(s.orderItems).values(item as never);
      naiveRecords++;
    }
    const naiveMs = performance.now() - t2;
    await pg.query('TRUNCATE orders CASCADE');

    // ---- the backfill: `npm run migrate:redis-to-postgres`, as an operator runs it -------------
    // Its own process, with the package script's Node flags; its peak RSS comes from its report
    // (this process also holds the seeding manifest and the naive baseline).
    const reportFile = join(tmpdir(), `dcw-bench-backfill-${tag}.json`);
    const backfillRun = await measureServers(() =>
      spawnSync(
        'npm',
        [
          'run',
          '--silent',
          'migrate:redis-to-postgres',
          '--',
          '--restart',
          '--batch-size',
          String(batchSize),
          '--concurrency',
          String(concurrency),
          '--report',
          reportFile,
        ],
        {
          env: {
            ...process.env,
            DATABASE_URL: withDatabase(serverUrl, dbName),
            REDIS_URL: redisUrl,
            KEY_PREFIX: prefix,
          },
          encoding: 'utf8',
          maxBuffer: 1 << 30,
        },
      ),
    );
    const cli = backfillRun.result;
    if (cli.status !== 0) throw new Error(`backfill exited with ${cli.status}: ${cli.stderr}`);
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as BackfillReport;
    rmSync(reportFile);
    const backfillMs = report.durationMs;
    // Every key the backfill accounted for, and the ones it read and migrated or rejected (the rest,
    // kept in Redis by design or unknown, are only classified and counted). The rate is taken over
    // the records it read: the raw baseline reads only record keys too.
    const records = Object.values(report.entities).reduce((a, e) => a + e.scanned, 0);
    const recordsRead = MIGRATED_ENTITIES.reduce((a, name) => a + (report.entities[name]?.scanned ?? 0), 0);
    const migrated = report.totals.migrated;

    // ---- raw baseline: SCAN + MGET + COPY of the same string keys, unmapped ---------------------
    const recordFamilies = new Set<string>([
      ...RECORD_ENTITIES.map((e) => e.family),
      'admin2faSecret',
      'admin2faBackupCodes',
    ]);
    await pg.query('CREATE UNLOGGED TABLE bench_raw (key text, value text)');
    const sql = pg.postgresJs;
    if (!sql) throw new Error('the raw baseline needs postgres.js (a postgres:// DATABASE_URL)');
    const rawCpu0 = process.cpuUsage();
    const t1 = performance.now();
    let rawKeys = 0;
    let pending: string[] = [];
    const flush = async () => {
      if (pending.length === 0) return;
      const vals = await redis.mGet(pending);
      const stream = await sql`COPY bench_raw (key, value) FROM STDIN`.writable();
      const esc = (s: string) =>
        s.replace(/[\\\n\r\t]/g, (c) => ({ '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] ?? c);
      await new Promise<void>((resolve, reject) => {
        stream.on('finish', resolve);
        stream.on('error', reject);
        stream.end(
          `${pending
            .map((k, i) => `${esc(k)}\t${vals[i] === null ? '\\N' : esc(vals[i] as string)}`)
            .join('\n')}\n`,
        );
      });
      rawKeys += pending.length;
      pending = [];
    };
    const rawServers = await measureServers(async () => {
      for await (const keys of redis.scanIterator({ MATCH: legacyKeys(prefix).all(), COUNT: 2000 })) {
        for (const k of keys) if (recordFamilies.has(classifyKey(k, prefix).family)) pending.push(k);
        if (pending.length >= batchSize) await flush();
      }
      await flush();
    });
    const rawMs = performance.now() - t1;
    const rawCpu = process.cpuUsage(rawCpu0);

    // ---- lower bound: the part of the work no implementation can skip, measured on its own -------
    const floorDecode = await decodeAndMapMs(redis, prefix, batchSize);
    const floorIndexes = await readIndexMembers(redis, floorDecode.indexKeys);
    const floorInsert = await postgresInsertFloor(sql);

    // CPU seconds per process and the wall time they allow at best on this machine's cores: a run
    // cannot finish faster than its total CPU time divided by the cores.
    const cores = availableParallelism();
    const cpu = (node: number, postgres: number | undefined, redisMs: number | undefined) => {
      const total = node + (postgres ?? 0) + (redisMs ?? 0);
      return {
        node: +(node / 1000).toFixed(1),
        postgres: postgres === undefined ? null : +(postgres / 1000).toFixed(1),
        redis: redisMs === undefined ? null : +(redisMs / 1000).toFixed(1),
        floorSecondsOnTheseCores: +(total / 1000 / cores).toFixed(1),
      };
    };

    const rate = (n: number, ms: number) => n / (ms / 1000);
    // The fastest any backfill could go here: the unavoidable CPU (decode and map in Node, inserting
    // the rows in Postgres, reading the bytes in Redis) spread perfectly over every core.
    const lowerBound = () => {
      const redisMs = (rawServers.redisMs ?? 0) + (floorIndexes.redisMs ?? 0);
      const nodeMs = floorDecode.ms + floorIndexes.nodeMs;
      const bound = (insert: { postgresMs: number | undefined; ms: number }) => {
        const pgMs = insert.postgresMs ?? insert.ms;
        const seconds = (nodeMs + pgMs + redisMs) / 1000 / cores;
        return {
          insertPostgresSeconds: +(pgMs / 1000).toFixed(1),
          floorSecondsOnTheseCores: +seconds.toFixed(1),
          bestPossibleRateRatio: +(rate(recordsRead, seconds * 1000) / rate(rawKeys, rawMs)).toFixed(3),
        };
      };
      return {
        decodeAndMapNodeSeconds: +(floorDecode.ms / 1000).toFixed(1),
        decodedRecords: floorDecode.records,
        indexMembers: floorIndexes.members,
        readIndexesNodeSeconds: +(floorIndexes.nodeMs / 1000).toFixed(1),
        readRedisSeconds: +(redisMs / 1000).toFixed(1),
        insertedRows: floorInsert.live.rows,
        insertTables: floorInsert.tables,
        liveSchema: bound(floorInsert.live),
        withoutSecondaryIndexes: {
          dropped: floorInsert.secondaryIndexes,
          ...bound(floorInsert.withoutSecondaryIndexes),
        },
      };
    };
    const backfillRate = rate(recordsRead, backfillMs);
    const out = {
      scale,
      keys: manifest.keys,
      batchSize,
      backfill: {
        records,
        recordsRead,
        migrated,
        quarantined: report.totals.quarantined,
        seconds: +(backfillMs / 1000).toFixed(1),
        recordsPerSecond: Math.round(backfillRate),
        peakRss: mb(report.peakRssBytes),
        cpuSeconds: cpu(report.cpuMs, backfillRun.postgresMs, backfillRun.redisMs),
        stepSeconds: Object.fromEntries(
          Object.entries(report.stepMs).map(([k, v]) => [k, +(v / 1000).toFixed(1)]),
        ),
      },
      rawBaseline: {
        keys: rawKeys,
        seconds: +(rawMs / 1000).toFixed(1),
        recordsPerSecond: Math.round(rate(rawKeys, rawMs)),
        cpuSeconds: cpu((rawCpu.user + rawCpu.system) / 1000, rawServers.postgresMs, rawServers.redisMs),
        backfillTimeRatio: +(backfillMs / rawMs).toFixed(2),
        backfillRateRatio: +(backfillRate / rate(rawKeys, rawMs)).toFixed(3),
      },
      cores,
      lowerBound: lowerBound(),
      insertPerRowBaseline: {
        sampleOrders: naiveRecords,
        recordsPerSecond: Math.round(rate(naiveRecords, naiveMs)),
        backfillSpeedup: +(backfillRate / rate(naiveRecords, naiveMs)).toFixed(1),
      },
    };
    console.log(JSON.stringify(out, null, 2));
  } finally {
    await pg.close();
    if (!values.keep) {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await deletePrefix(redis, prefix);
    }
    await admin.end({ timeout: 5 });
    await redis.quit();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(2);
});
