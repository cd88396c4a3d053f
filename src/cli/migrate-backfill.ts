/**
 * `npm run migrate:redis-to-postgres`: the backfill (issue 5). Reads REDIS_URL (+ KEY_PREFIX),
 * writes DATABASE_URL (the embedded PGlite database when unset). Options: see --help.
 * Exit codes: 0 done; 1 records were quarantined and --strict was given; 2 fatal error.
 */
import { createWriteStream, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openPostgres } from '../backends/postgres/client.js';
import { migrateDatabase } from '../backends/postgres/migrate.js';
import { openRedis } from '../backends/redis/client.js';
import { loadConfig, redactUrl } from '../config.js';
import { decodeUtf8 } from '../migration/backfill/redis-read.js';
import { runBackfill, UnknownEntityError } from '../migration/backfill/engine.js';
import { ALL_ENTITIES } from '../migration/backfill/entities.js';
import { progressReporter } from '../migration/backfill/progress.js';
import { RunPrefixMismatchError } from '../migration/backfill/state.js';
import type { BackfillReport } from '../migration/backfill/types.js';
import { runCli } from './common.js';
import { messages } from './messages.js';

const t = messages.backfill;

interface Args {
  dryRun: boolean;
  only: string[] | undefined;
  batchSize: number | undefined;
  concurrency: number | undefined;
  strict: boolean;
  report: string | undefined;
  rejectFile: string | undefined;
  restart: boolean;
}

function positive(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < 1) throw new Error(t.badNumber(flag, raw));
  return n;
}

function parse(argv: string[]): Args | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      'dry-run': { type: 'boolean' },
      only: { type: 'string' },
      'batch-size': { type: 'string' },
      concurrency: { type: 'string' },
      strict: { type: 'boolean' },
      report: { type: 'string' },
      'reject-file': { type: 'string' },
      resume: { type: 'boolean' },
      restart: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  if (values.resume && values.restart) throw new Error(t.bothModes);
  const only = values.only
    ?.split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
  const unknown = (only ?? []).filter((e) => !ALL_ENTITIES.includes(e));
  if (unknown.length > 0) throw new Error(t.unknownEntities(unknown, ALL_ENTITIES));
  return {
    dryRun: values['dry-run'] ?? false,
    only,
    batchSize: positive('--batch-size', values['batch-size']),
    concurrency: positive('--concurrency', values.concurrency),
    strict: values.strict ?? false,
    report: values.report,
    rejectFile: values['reject-file'],
    restart: values.restart ?? false,
  };
}

function summary(report: BackfillReport): string {
  const rows = Object.entries(report.entities).map(([name, s]) => [
    name,
    ...[s.scanned, s.migrated, s.unchanged, s.quarantined, s.expired, s.keptInRedis, s.keys].map(String),
  ]);
  const sum = (k: 'scanned' | 'keys') => Object.values(report.entities).reduce((a, s) => a + s[k], 0);
  const total = report.totals;
  rows.push([
    'total',
    ...[
      sum('scanned'),
      total.migrated,
      total.unchanged,
      total.quarantined,
      total.expired,
      total.keptInRedis,
      sum('keys'),
    ].map(String),
  ]);
  return t.table(t.header, rows);
}

async function main(): Promise<number> {
  let args: Args | 'help';
  try {
    args = parse(process.argv.slice(2));
  } catch (err) {
    console.error(t.badArgs((err as Error).message));
    return 2;
  }
  if (args === 'help') {
    console.log(t.usage);
    return 0;
  }
  const config = loadConfig();
  // The run's own connection plus one per parallel writer (runBackfill's `concurrency`, default 4).
  const max = (args.concurrency ?? 4) + 1;
  const pg = await openPostgres({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    statementTimeoutMs: 0,
    max,
  });
  const redis = await openRedis({ url: config.redisUrl });
  const rejects = args.rejectFile ? createWriteStream(args.rejectFile) : undefined;
  try {
    await migrateDatabase(pg);
    console.error(t.start(redactUrl(config.redisUrl), config.keyPrefix, pg.target, args.dryRun));
    const progress = progressReporter(
      { isTTY: Boolean(process.stderr.isTTY), write: (s) => process.stderr.write(s) },
      t.progressLine,
    );
    const report = await runBackfill({
      redis,
      pg,
      prefix: config.keyPrefix,
      dryRun: args.dryRun,
      only: args.only,
      batchSize: args.batchSize,
      concurrency: args.concurrency,
      restart: args.restart,
      // The JSON report lists every quarantined record (the stdout summary only counts them).
      quarantineListLimit: args.report ? 1_000_000 : 1000,
      onProgress: (e) => progress.update(e),
      onReject: rejects
        ? (q) => {
            const text = q.raw ? decodeUtf8(q.raw) : undefined;
            const raw =
              q.raw === null
                ? null
                : text !== undefined
                  ? text
                  : { base64: Buffer.from(q.raw).toString('base64') };
            rejects.write(
              `${JSON.stringify({ key: q.key, entity: q.entity, field: q.field, reason: q.reason, raw })}\n`,
            );
          }
        : undefined,
    });
    progress.end();
    console.error(t.mode(report.mode, report.runId));
    console.error(t.peakMemory(report.peakRssBytes));
    console.log(summary(report));
    console.log(t.discovery(report.discovery));
    if (report.points) console.log(t.points(report.points.usersCompared, report.points.discrepancies.length));
    const quarantined = report.quarantine.length + report.quarantineOmitted;
    if (quarantined > 0) console.log(t.quarantined(quarantined, args.rejectFile));
    console.log(t.done(report.totals.migrated, report.totals.unchanged, args.dryRun, report.durationMs));
    if (args.report) {
      writeFileSync(args.report, `${JSON.stringify(report, null, 2)}\n`);
      console.error(t.reportWritten(args.report));
    }
    if (args.strict && quarantined > 0) {
      console.error(t.strictFailed(quarantined));
      return 1;
    }
    return 0;
  } catch (err) {
    if (err instanceof RunPrefixMismatchError) {
      console.error(messages.fatal(t.prefixMismatch(err.runId, err.runPrefix, err.prefix)));
      return 2;
    }
    if (err instanceof UnknownEntityError) {
      console.error(messages.fatal(t.unknownEntities(err.names, ALL_ENTITIES)));
      return 2;
    }
    throw err;
  } finally {
    if (rejects) await new Promise<void>((resolve) => rejects.end(resolve));
    await redis.quit().catch(() => undefined);
    await pg.close();
  }
}

runCli(main);
