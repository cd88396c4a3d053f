/**
 * `npm run jobs:cleanup`: deletes expired token rows and done, expired webhook events from
 * DATABASE_URL (or the embedded PGlite database when it is unset), in batches, and prints what it
 * removed per table. Options: --batch-size <n>, --dry-run, --help.
 * Exit codes: 0 done (also when nothing was expired), 2 error (bad arguments, missing tables, database).
 */
import { parseArgs } from 'node:util';
import { openPostgres } from '../backends/postgres/client.js';
import { loadConfig } from '../config.js';
import { CleanupTableMissingError, DEFAULT_CLEANUP_BATCH_SIZE, runCleanup } from '../ephemeral/cleanup.js';
import { runCli } from './common.js';
import { messages } from './messages.js';

type Parsed = { help: true } | { help: false; batchSize: number; dryRun: boolean };

function parse(argv: string[]): Parsed | string {
  let values: { 'batch-size'?: string; 'dry-run'?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'batch-size': { type: 'string' },
        'dry-run': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    return (err as Error).message;
  }
  if (values.help) return { help: true };
  const raw = values['batch-size'];
  const batchSize = raw === undefined ? DEFAULT_CLEANUP_BATCH_SIZE : Number(raw);
  if (raw !== undefined && (!/^\d+$/.test(raw) || !Number.isSafeInteger(batchSize) || batchSize < 1)) {
    return messages.cleanup.badBatchSize(raw);
  }
  return { help: false, batchSize, dryRun: values['dry-run'] ?? false };
}

async function main(): Promise<number> {
  const args = parse(process.argv.slice(2));
  if (typeof args === 'string') {
    console.error(messages.cleanup.badArgs(args));
    return 2;
  }
  if (args.help) {
    console.log(messages.cleanup.usage);
    return 0;
  }
  const config = loadConfig();
  const pg = await openPostgres({ url: config.databaseUrl, dataDir: config.dataDir, max: 2 });
  try {
    console.log(messages.cleanup.header(pg.target, args.dryRun, args.batchSize));
    const report = await runCleanup(pg, { batchSize: args.batchSize, dryRun: args.dryRun });
    console.log(messages.cleanup.table(report.tables, report.dryRun));
    console.log(messages.cleanup.done(report.totalRemoved, report.dryRun));
    return 0;
  } catch (err) {
    if (err instanceof CleanupTableMissingError) {
      console.error(messages.fatal(messages.cleanup.missingTables(pg.target, err.tables)));
      return 2;
    }
    throw err;
  } finally {
    await pg.close();
  }
}

runCli(main);
