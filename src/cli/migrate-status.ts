/**
 * `npm run migrate:status -- [--json] [--requeue [--from <store>]] [--drain [--timeout <s>]]
 * [--mismatches <domain>] [--audit]`: the migration router's state per domain (stage, group, since,
 * last verify, repair journal, shadow-read mismatch rate); `--requeue` hands the last verify's
 * differences to the repair journal, `--drain` copies every journaled record now. Exit codes: 0 shown
 * or drained, 1 `--drain` left records journaled, 2 error.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { openCliSession } from '../migration/router/cli-session.js';
import { routerMessages } from '../migration/router/messages.js';
import { createShadowStore } from '../migration/router/shadow-store.js';
import { createStageStore } from '../migration/stage-store/store.js';
import { runCli } from './common.js';

const m = routerMessages.status;

function positive(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) === 0)
    throw new Error(`${flag} must be a positive integer, got "${raw}"`);
  return Number(raw);
}

async function main(): Promise<number> {
  let values: ReturnType<typeof parse>;
  try {
    values = parse();
  } catch (err) {
    console.error(m.badArgs(err instanceof Error ? err.message : String(err)));
    return 2;
  }
  if (values.help) {
    console.log(m.usage);
    return 0;
  }
  const session = await openCliSession(loadConfig(), process.env);
  try {
    const router = session.layer.migration;
    if (values.mismatches !== undefined) {
      const rows = await createShadowStore(session.pg).recentMismatches(values.mismatches, values.limit);
      if (values.json) console.log(JSON.stringify(rows, null, 2));
      else if (rows.length === 0) console.log(m.noMismatches(values.mismatches));
      else {
        for (const r of rows) {
          console.log(m.mismatch(r));
          for (const d of r.diff) console.log(m.diff(d.path, d.served, d.compared));
        }
      }
      return 0;
    }
    if (values.audit) {
      const rows = await createStageStore(session.pg).audit({ limit: values.limit });
      console.log(values.json ? JSON.stringify(rows, null, 2) : m.audit(rows));
      return 0;
    }
    if (values.requeue) {
      const r = await router.requeueMismatches(values.from ? { from: values.from } : {});
      console.log(
        values.json && !values.drain ? JSON.stringify(r, null, 2) : m.requeued(r.journaled, r.relinked),
      );
      if (!values.drain) return 0;
    }
    if (values.drain) {
      const before = (await router.lag()).reduce((n, l) => n + l.depth, 0);
      if (!values.json) console.log(m.drainStart(before));
      const left = await router.drain(values.timeout * 1000);
      if (values.json) console.log(JSON.stringify({ left }, null, 2));
      else console.log(left.length === 0 ? m.drained : m.drainLeft(left));
      return left.length === 0 ? 0 : 1;
    }
    const report = await router.status();
    if (values.json) {
      console.log(JSON.stringify(report, null, 2));
      return 0;
    }
    console.log(m.table(report));
    const groups = m.groups(report);
    if (groups) console.log(`\n${groups}`);
    if (report.stageStore.stale) console.log(m.staleStages(report.stageStore.lastError));
    for (const s of report.journalsUnreadable) console.log(m.unreadable(`the ${s} repair journal`));
    return 0;
  } finally {
    await session.close();
  }
}

function parse() {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      drain: { type: 'boolean', default: false },
      requeue: { type: 'boolean', default: false },
      from: { type: 'string' },
      timeout: { type: 'string' },
      mismatches: { type: 'string' },
      audit: { type: 'boolean', default: false },
      limit: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.from !== undefined && values.from !== 'redis' && values.from !== 'postgres') {
    throw new Error(`--from must be redis or postgres, got "${values.from}"`);
  }
  return {
    ...values,
    from: values.from as 'redis' | 'postgres' | undefined,
    timeout: positive('--timeout', values.timeout, 60),
    limit: positive('--limit', values.limit, 20),
  };
}

runCli(main);
