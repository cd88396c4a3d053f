/**
 * The stage walk: every group of domains, stage by stage, from `redis` to `postgres-only`, while the
 * traffic runs. One step = one target stage: each group that is behind moves there with one guarded
 * `setStage` (a group moves together or not at all), the process switches, the stage runs under
 * traffic for `stageSeconds`, the repair journals are drained, and both stores are verified (except
 * in `postgres-only`, where Redis is no longer written). After `dual-write` the backfill runs. A
 * refused step is retried while its evidence builds up (more compared reads, an emptied journal);
 * it fails after `stepTimeoutMs`, on drift, or when the guard finds a real mismatch rate.
 *
 * Stopping (the signal): a `setStage` in flight is never cut short. The walk waits until the change
 * it committed is in force here, drains the journals, and returns; no stage is left half-applied.
 */
import type { RoutedDataLayer } from '../migration/router/index.js';
import { planOf, STAGES, type Stage, stageIndex } from '../migration/router/stages.js';
import type { Backoffice } from './backoffice.js';
import type { BackfillOutcome, Checks, VerifyOutcome } from './checks.js';
import type { JournalWatch } from './journal-watch.js';
import type { StageController } from './stage-control.js';
import type { TrafficTotals } from './stats.js';
import { describeStep } from './summary.js';

export type StepOutcome = 'done' | 'refused' | 'drift' | 'interrupted';

export interface StepRecord {
  stage: Stage;
  startedAt: Date;
  durationMs: number;
  outcome: StepOutcome;
  /** The groups that moved in this step. */
  moved: string[][];
  /** Guard findings waited out (e.g. `too-few-comparisons`), and for how long in total. */
  waitedFor: string[];
  waitedMs: number;
  /** Shadow-read mismatches the guard held against a step (transient when verify was clean). */
  mismatches: string[];
  /** Why the step did not finish (the guard's last findings, or the drift). */
  problem?: string;
  /** Requests answered during the step, and how many of them failed. */
  requests: number;
  failed: number;
  journalPeak: number;
  /** Journal entries left after the drain (0 = every shadow copy landed). */
  journalLeft: number;
  backfill?: BackfillOutcome;
  /** `null` in `postgres-only` (Redis is not written any more: nothing to compare). */
  verify: VerifyOutcome | null;
}

export interface WalkDeps {
  layer: RoutedDataLayer;
  control: StageController;
  checks: Checks;
  backoffice: Backoffice;
  journal: JournalWatch;
  traffic: () => TrafficTotals;
  stageSeconds: number;
  minComparisons: number;
  stepTimeoutMs: number;
  pollMs: number;
  signal: AbortSignal;
  progress: (line: string) => void;
}

export interface WalkResult {
  steps: StepRecord[];
  completed: boolean;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/** Stages after `redis`, in order. */
export const WALK: readonly Stage[] = STAGES.filter((s) => s !== 'redis');

/** Both stores are written: Redis and Postgres can be compared. */
export const bothWritten = (stage: Stage) => planOf(stage).shadow !== null;

export async function walkStages(deps: WalkDeps): Promise<WalkResult> {
  const { layer, signal } = deps;
  const migration = layer.migration;
  const model = migration.model;
  /** When each domain's current stage took effect (shadow-read comparisons count from then). */
  const since = new Map<string, Date>();
  const steps: StepRecord[] = [];
  /** Domains whose mismatch rate is diluted with more compared reads (see moveGroup). */
  const dilute = new Set<string>();

  const domainsNeedingReads = async (): Promise<string[]> => {
    const out: string[] = [];
    for (const d of model.domains) {
      if (!deps.control.withReads.has(d) || !planOf(migration.stageOf(d)).compareReads) continue;
      const from = since.get(d);
      if (!from || (await deps.control.comparisons(d, from)) < deps.minComparisons) out.push(d);
    }
    return out;
  };

  async function moveGroup(group: string[], stage: Stage, rec: StepRecord): Promise<boolean> {
    const deadline = Date.now() + deps.stepTimeoutMs;
    let verifiedAfterMismatch = false;
    for (;;) {
      const result = await deps.control.move(group[0]!, stage, `npm run demo: step to ${stage}`);
      if (result.ok) {
        const at = result.effectiveAt ?? new Date();
        for (const d of group) {
          since.set(d, at);
          dilute.delete(d);
        }
        if (result.moves.length > 0) {
          rec.moved.push(group);
          deps.progress(`  moved ${group.join('+')} to ${stage}`);
        }
        return true;
      }
      for (const r of result.reasons) if (!rec.waitedFor.includes(r.code)) rec.waitedFor.push(r.code);
      rec.problem = result.reasons.map((r) => r.message).join('; ');
      const codes = new Set(result.reasons.map((r) => r.code));
      if (codes.has('verify-dirty')) {
        rec.outcome = 'drift';
        return false;
      }
      if (signal.aborted) {
        rec.outcome = 'interrupted';
        rec.problem = `stopped while waiting for evidence (${[...codes].join(', ')})`;
        return false;
      }
      if (Date.now() > deadline) {
        rec.outcome = 'refused';
        return false;
      }
      if (codes.has('mismatch-rate')) {
        // A read compared while a write was between the two stores, seen twice: the stores must agree
        // now (verify), and more compared reads then bring the rate under the threshold.
        if (!verifiedAfterMismatch) {
          rec.verify = await deps.checks.verify(group);
          if (!rec.verify.clean) {
            rec.outcome = 'drift';
            return false;
          }
          verifiedAfterMismatch = true;
          for (const r of result.reasons.filter((x) => x.code === 'mismatch-rate')) {
            const domain = r.message.split(':')[0]!;
            dilute.add(domain);
            rec.mismatches.push(...(await deps.control.mismatches(domain, since.get(domain))));
          }
        }
      }
      if (codes.has('journal-not-empty')) await migration.drain(5000);
      if (codes.has('verify-missing')) rec.verify = await deps.checks.verify(group);
      if (codes.has('too-few-comparisons') || codes.has('mismatch-rate')) {
        deps.backoffice.focus([...new Set([...(await domainsNeedingReads()), ...dilute])]);
      }
      const paused = Date.now();
      await sleep(250, signal);
      rec.waitedMs += Date.now() - paused;
    }
  }

  /** Waits until this process routes every domain of the moved groups with the new stage. */
  async function switched(groups: string[][], stage: Stage): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (groups.flat().some((d) => migration.stageOf(d as never) !== stage) && Date.now() < deadline) {
      await sleep(Math.min(deps.pollMs, 100));
      await migration.refresh();
    }
  }

  async function dwell(ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (Date.now() < until && !signal.aborted) {
      deps.backoffice.focus(await domainsNeedingReads());
      await sleep(Math.min(500, until - Date.now()), signal);
    }
  }

  async function verifyAfter(stage: Stage, rec: StepRecord): Promise<void> {
    if (!bothWritten(stage)) return;
    const domains = model.domains.filter((d) => bothWritten(migration.stageOf(d)));
    rec.verify = await deps.checks.verify(domains);
    if (!rec.verify.clean) {
      // A record caught between the two writes of one request settles within moments: drain, look again.
      await migration.drain(10_000);
      rec.verify = await deps.checks.verify(domains);
    }
    if (!rec.verify.clean) {
      rec.outcome = 'drift';
      rec.problem = `verify found ${rec.verify.mismatches} record(s) that differ: ${rec.verify.examples.join(', ')}`;
    }
  }

  for (const stage of WALK) {
    if (signal.aborted) break;
    const started = new Date();
    const before = deps.traffic();
    deps.journal.mark();
    const rec: StepRecord = {
      stage,
      startedAt: started,
      durationMs: 0,
      outcome: 'done',
      moved: [],
      waitedFor: [],
      waitedMs: 0,
      mismatches: [],
      requests: 0,
      failed: 0,
      journalPeak: 0,
      journalLeft: 0,
      verify: null,
    };
    steps.push(rec);
    const behind = model.groups.filter((g) =>
      g.some((d) => stageIndex(migration.stageOf(d)) < stageIndex(stage)),
    );
    deps.progress(`step → ${stage}: ${behind.map((g) => g.join('+')).join(', ')}`);
    for (const group of behind) {
      if (signal.aborted) rec.outcome = 'interrupted';
      if (rec.outcome !== 'done' || !(await moveGroup(group, stage, rec))) break;
    }
    await switched(rec.moved, stage);
    if (rec.outcome === 'done') {
      delete rec.problem;
      if (stage === 'dual-write') {
        deps.progress('backfill: copying the Redis dataset while dual-write keeps it current');
        rec.backfill = await deps.checks.backfill();
      }
      await dwell(deps.stageSeconds * 1000);
    }
    const left = await migration.drain(signal.aborted ? 5000 : 30_000);
    rec.journalLeft = left.length;
    if (rec.outcome === 'done' && !signal.aborted) await verifyAfter(stage, rec);
    if (signal.aborted && rec.outcome === 'done') rec.outcome = 'interrupted';
    const after = deps.traffic();
    rec.requests = after.requests - before.requests;
    rec.failed = after.failed - before.failed;
    rec.journalPeak = deps.journal.mark();
    rec.durationMs = Date.now() - started.getTime();
    deps.progress(describeStep(rec));
    if (rec.outcome !== 'done') break;
  }
  deps.backoffice.focus([]);
  const completed = model.domains.every((d) => migration.stageOf(d) === 'postgres-only');
  return { steps, completed };
}
