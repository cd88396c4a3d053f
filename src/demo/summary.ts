/** The demo's summary as text (pure: a result in, lines out). */
import type { DemoResult } from './result.js';
import type { StepRecord } from './walk.js';

const n = (x: number) => x.toLocaleString('en-US');
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Left-aligned first column, right-aligned numbers, two spaces between columns. */
export function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

function verifyCell(s: StepRecord): string {
  const parts: string[] = [];
  if (s.verify) {
    parts.push(
      s.verify.clean
        ? `clean: ${s.verify.entities} entities, ${n(s.verify.records)} records`
        : `${s.verify.mismatches} mismatch(es): ${s.verify.examples.join(', ')}`,
    );
  } else if (s.stage === 'postgres-only' && s.outcome === 'done') {
    parts.push('Redis retired (cut-over verified clean in postgres)');
  } else {
    parts.push('not verified');
  }
  if (s.backfill) {
    const b = s.backfill;
    parts.push(
      `backfill ${n(b.migrated)} copied, ${n(b.unchanged)} unchanged (${n(b.liveNewer)} newer from live writes), ` +
        `${b.quarantined} quarantined, ${secs(b.durationMs)}`,
    );
  }
  if (s.mismatches.length > 0) {
    parts.push(
      `shadow-read mismatch(es) held against the step (stores verified equal after): ${s.mismatches.join('; ')}`,
    );
  }
  if (s.waitedFor.length > 0)
    parts.push(`waited ${secs(s.waitedMs)} for evidence (${s.waitedFor.join(', ')})`);
  if (s.outcome !== 'done' && s.problem) parts.push(`${s.outcome}: ${s.problem}`);
  return parts.join(' · ');
}

export function renderSummary(r: DemoResult): string {
  const out: string[] = [];
  out.push(r.interrupted ? 'Demo summary (stopped early: partial)' : 'Demo summary');
  out.push(`  Postgres: ${r.stores.postgres}`);
  out.push(
    `  Redis:    ${r.stores.redis}${r.stores.keyPrefix ? ` (key prefix "${r.stores.keyPrefix}")` : ''}`,
  );
  out.push(
    `  dataset:  scale ${r.dataset.scale}, ${n(r.dataset.keys)} legacy keys · traffic: ${r.traffic.users} customers + 1 admin, ` +
      `≤ ${r.traffic.rps} requests/s, ${secs(r.traffic.durationMs)}`,
  );
  out.push('');
  const t = r.traffic;
  out.push(
    `Requests served: ${n(t.totals.requests)} · failed: ${n(t.totals.failed)} · customer journeys: ${n(t.journeys)} · ` +
      `back-office reads: ${n(r.backoffice.reads)} (${r.backoffice.errors.length} failed)`,
  );
  out.push(
    table(
      ['route', 'requests', 'failed', 'p50 ms', 'p95 ms', 'max ms'],
      t.byRoute.map((x) => [
        x.route,
        n(x.requests),
        n(x.failed),
        x.p50Ms.toFixed(0),
        x.p95Ms.toFixed(0),
        x.maxMs.toFixed(0),
      ]),
    ),
  );
  const reasons = t.byRoute.flatMap((x) =>
    Object.entries(x.reasons).map(([why, c]) => `  ${x.route}: ${why} ×${c}`),
  );
  out.push(
    reasons.length === 0
      ? 'Failed requests by route and reason: none'
      : ['Failed requests by route and reason:', ...reasons].join('\n'),
  );
  for (const e of r.backoffice.errors.slice(0, 5)) out.push(`  back-office read failed: ${e}`);
  for (const c of t.crashes.slice(0, 3)) out.push(`  virtual user error: ${c.split('\n')[0]}`);
  out.push('');
  const pct = (x: number) => `${Number((x * 100).toFixed(3))} %`;
  out.push(
    `Stage walk: each group moves with one guarded step; a step past shadow-read needs a clean verify, an empty ` +
      `repair journal, ≥ ${r.guard.minComparisons} compared reads per domain and a mismatch rate ≤ ${pct(r.guard.maxMismatchRate)}`,
  );
  out.push(
    table(
      ['stage', 'time', 'requests', 'failed', 'journal peak', 'left', 'result'],
      r.steps.map((s) => [
        s.stage,
        secs(s.durationMs),
        n(s.requests),
        n(s.failed),
        n(s.journalPeak),
        n(s.journalLeft),
        verifyCell(s),
      ]),
    ),
  );
  out.push('');
  out.push(
    `Shadow reads compared: ${n(r.shadowReads.compared)} · differing after the re-check: ${n(r.shadowReads.mismatched)}` +
      (r.shadowReads.compared > 0 ? ` (${pct(r.shadowReads.mismatched / r.shadowReads.compared)})` : ''),
  );
  const peaks = r.journal.peaks.slice(0, 6).map((p) => `${p.where} ${p.depth}`);
  out.push(
    `Repair journal peak: ${r.journal.peakTotal} record(s)${r.journal.peakAt ? ` at ${r.journal.peakAt.toISOString()}` : ''}` +
      (peaks.length > 0 ? ` · by domain: ${peaks.join(', ')}` : ' (every shadow write landed inline)'),
  );
  if (r.finalVerify) {
    out.push(
      `Final verify (domains still writing both stores): ${
        r.finalVerify.clean
          ? `clean, ${n(r.finalVerify.records)} records`
          : `${r.finalVerify.mismatches} mismatch(es)`
      }`,
    );
  }
  if (r.audit) {
    const a = r.audit;
    const what =
      `${n(a.usersChecked)} accounts, ${n(a.ordersChecked)} orders, ${n(a.refundsChecked)} refunds` +
      (a.arithmeticSkipped ? '' : `, stock of ${n(a.productsChecked)} products, every new customer's points`);
    out.push(
      a.problemCount === 0
        ? `Final audit of acknowledged writes (read back from the final store): ${what}: all as confirmed`
        : `Final audit of acknowledged writes: ${a.problemCount} problem(s) in ${what}:\n${a.problems.map((p) => `  ${p}`).join('\n')}`,
    );
    if (a.arithmeticSkipped)
      out.push('  (stock and points arithmetic skipped: some write has an unknown outcome)');
  }
  const stages = Object.entries(r.stages);
  const distinct = new Set(stages.map(([, s]) => s));
  out.push(
    distinct.size === 1
      ? `Final stages: every domain at ${[...distinct][0]}`
      : `Final stages: ${stages.map(([d, s]) => `${d}=${s}`).join(', ')}`,
  );
  if (r.dashboard) out.push(`Dashboard: ${r.dashboard.url}  (token: ${r.dashboard.token})`);
  out.push('');
  out.push(
    r.ok
      ? `Result: OK in ${secs(r.durationMs)}: every domain on postgres-only, 0 failed requests, 0 drift`
      : `Result: NOT OK: ${r.problems.join('; ')}`,
  );
  return out.join('\n');
}

/** One progress line for a finished step. */
export function describeStep(r: StepRecord): string {
  const verify = r.verify
    ? r.verify.clean
      ? `verify clean (${r.verify.records} records)`
      : `verify: ${r.verify.mismatches} mismatch(es)`
    : r.stage === 'postgres-only'
      ? 'Redis retired'
      : 'not verified';
  const waited =
    r.waitedFor.length > 0 ? `${(r.waitedMs / 1000).toFixed(1)} s for ${r.waitedFor.join(', ')}` : '';
  return (
    `  ${r.stage}: ${r.outcome} in ${(r.durationMs / 1000).toFixed(1)} s · ${r.requests} requests, ${r.failed} failed · ` +
    `journal peak ${r.journalPeak} · ${verify}${waited ? ` · waited ${waited}` : ''}${r.problem ? ` · ${r.problem}` : ''}`
  );
}
