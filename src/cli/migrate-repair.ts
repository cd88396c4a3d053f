/**
 * `npm run migrate:repair -- [--from redis|postgres] [--only <entities>] [--dry-run] [--report <file>]`:
 * re-copies the records the latest verify found different or missing (src/migration/repair). Exit
 * codes: 0 every mismatch fixed (or none), 1 some not fixed or not verified yet (under --dry-run:
 * something to repair), 2 error.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { UnknownEntityError } from '../migration/entities/index.js';
import { type RepairReport, runRepair } from '../migration/repair/engine.js';
import { listOption, reportBadArgs, runCli, UsageError } from './common.js';
import { messages } from './messages.js';
import { withSyncStores } from './sync-stores.js';

const m = messages.repair;

/** The human-readable report (stdout). */
function renderRepairReport(report: RepairReport): string {
  const results = Object.values(report.entities);
  const rows = results.map((r) =>
    report.dryRun
      ? [r.entity, String(r.verifyRunId), ...[r.candidates, r.written, r.deleted, r.notCopyable].map(String)]
      : [
          r.entity,
          String(r.verifyRunId),
          ...[r.candidates, r.written, r.deleted, r.fixed, r.stillDifferent, r.notCopyable, r.failed].map(
            String,
          ),
        ],
  );
  const out = [messages.verify.table(report.dryRun ? m.dryHeader : m.header, rows)];
  for (const r of results)
    for (const p of r.problems) out.push(m.problem(r.entity, p.id, p.outcome, p.detail));
  if (report.relinked > 0) out.push(m.relinked(report.relinked));
  if (report.notVerified.length > 0) out.push(m.notVerified(report.notVerified));
  return out.join('\n');
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      from: { type: 'string' },
      only: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      report: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(m.usage);
    return 0;
  }
  const from = values.from ?? 'redis';
  if (from !== 'redis' && from !== 'postgres') throw new UsageError(m.badFrom(from));
  const only = listOption(values.only);
  const dryRun = values['dry-run'] ?? false;

  return withSyncStores(async ({ ctx }) => {
    console.error(m.start(from, from === 'redis' ? 'postgres' : 'redis', dryRun));
    const report = await runRepair({ ctx, from, only, dryRun });
    console.log(renderRepairReport(report));
    if (values.report) await writeFile(values.report, `${JSON.stringify(report, null, 2)}\n`);
    const results = Object.values(report.entities);
    const candidates = results.reduce((n, r) => n + r.candidates, 0);
    const fixed = results.reduce((n, r) => n + r.fixed, 0);
    const unresolved = results.reduce((n, r) => n + r.stillDifferent + r.notCopyable + r.failed, 0);
    console.log(m.done(dryRun, fixed, candidates, unresolved));
    return report.clean && report.notVerified.length === 0 ? 0 : 1;
  });
}

runCli(main, reportBadArgs(m.badArgs, UnknownEntityError));
