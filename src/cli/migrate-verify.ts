/**
 * `npm run migrate:verify -- [--report <file>] [--sample <n>] [--only <entities>] [--batch-size <n>]
 * [--recheck-delay <ms>]`: compares Redis and Postgres record by record (src/migration/verify) and
 * prints a table; the result is stored in Postgres. Exit codes: 0 Redis and Postgres agree, 1 at
 * least one mismatch, 2 error.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { redactUrl } from '../config.js';
import { selectEntities, UnknownEntityError } from '../migration/entities/index.js';
import { runVerify } from '../migration/verify/engine.js';
import { mismatchCount, type VerifyReport } from '../migration/verify/types.js';
import { listOption, reportBadArgs, runCli, UsageError } from './common.js';
import { messages } from './messages.js';
import { withSyncStores } from './sync-stores.js';

const m = messages.verify;

function count(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new UsageError(m.badNumber(flag, raw));
  return Number(raw);
}

function show(value: unknown): string {
  return typeof value === 'string' && value === '(absent)' ? value : JSON.stringify(value);
}

/** The human-readable report (stdout). */
function renderVerifyReport(report: VerifyReport): string {
  const out: string[] = [];
  const rows = Object.values(report.entities).map((r) => {
    const c = r.counts;
    return [
      r.entity,
      ...[c.redisRecords, c.postgresRecords, c.equal, c.different, c.missingInPostgres, c.missingInRedis]
        .concat([c.undecodable, c.unlinkedRefs, c.quarantined, c.skipped])
        .map(String),
      r.clean ? m.clean : m.notClean,
    ];
  });
  out.push(m.table(m.header, rows), '');
  for (const r of Object.values(report.entities)) {
    const c = r.counts;
    const total = c.different + c.missingInPostgres + c.missingInRedis + c.undecodable + c.unlinkedRefs;
    if (r.childRows && r.childRows.redis !== r.childRows.postgres) {
      out.push(m.childRows(r.entity, r.childRows.redis, r.childRows.postgres));
    }
    for (const [reason, n] of Object.entries(r.skippedReasons)) out.push(m.skipped(r.entity, reason, n));
    if (total === 0) continue;
    out.push(m.samplesTitle(r.entity, r.samples.length, total));
    for (const s of r.samples) {
      out.push(m.sample(s.id, s.kind, s.detail));
      for (const d of s.diffs ?? []) out.push(m.fieldDiff(d.path, show(d.redis), show(d.postgres)));
    }
  }
  for (const d of report.relationships.dangling) out.push(m.dangling(d.relation, d.count, d.sample));
  for (const d of report.relationships.unlinked) out.push(m.unlinked(d.relation, d.count));
  for (const d of report.relationships.orphanChildRows) out.push(m.orphans(d.relation, d.count));
  out.push(m.stock(report.stock.count, report.stock.sample));
  out.push(m.balances(report.points.balanceDrift.count, report.points.balanceDrift.sample));
  if (report.points.ledger) out.push(m.ledger(report.points.ledger));
  return out.join('\n');
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      report: { type: 'string' },
      sample: { type: 'string' },
      only: { type: 'string' },
      'batch-size': { type: 'string' },
      'recheck-delay': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(m.usage);
    return 0;
  }
  const only = listOption(values.only);
  const entities = selectEntities(only);
  const sample = count('--sample', values.sample, 5);
  const batchSize = Math.max(1, count('--batch-size', values['batch-size'], 500));
  const recheckDelayMs = count('--recheck-delay', values['recheck-delay'], 250);

  return withSyncStores(async ({ config, pg, ctx }) => {
    console.error(m.start(redactUrl(config.redisUrl), config.keyPrefix, pg.target, entities.length));
    let lastProgress = '';
    let lastPrinted = 0;
    const report = await runVerify({
      ctx,
      only,
      sample,
      batchSize,
      recheckDelayMs,
      onProgress: (e) => {
        // At most one line a second per entity and pass: enough to see it move on a big store.
        const key = `${e.entity} ${e.phase}`;
        if (e.phase === 'checks' || (key === lastProgress && Date.now() - lastPrinted < 1000)) return;
        lastProgress = key;
        lastPrinted = Date.now();
        console.error(m.progress(e.entity, e.phase, e.done));
      },
    });
    console.log(renderVerifyReport(report));
    if (values.report) {
      await writeFile(values.report, `${JSON.stringify(report, null, 2)}\n`);
      console.error(m.reportWritten(values.report));
    }
    if (report.runId !== undefined) console.error(m.stored(report.runId));
    const results = Object.values(report.entities);
    const bad = results.filter((r) => !r.clean);
    const mismatches = bad.reduce((n, r) => n + mismatchCount(r.counts), 0);
    const compared = results.reduce((n, r) => n + r.counts.redisRecords, 0);
    console.log(
      m.done(
        report.clean,
        compared,
        mismatches,
        bad.map((r) => r.entity),
      ),
    );
    return report.clean ? 0 : 1;
  });
}

runCli(main, reportBadArgs(m.badArgs, UnknownEntityError));
