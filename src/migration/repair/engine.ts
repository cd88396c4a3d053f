/**
 * `runRepair`: re-copies exactly the records the latest verify of each entity found different or
 * missing, from the source of truth (Redis by default) to the other store, with the entity sync layer;
 * then re-compares those records and records per mismatch whether it is fixed. A record missing on
 * the source is deleted from the target. Idempotent: fixed mismatches are not picked up again, and a
 * copy of an identical record changes nothing.
 */
import { CasContentionError } from '../../backends/redis/atomic.js';
import { describeDecodeError } from '../../legacy/codecs/result.js';
import { selectEntities } from '../entities/index.js';
import {
  type AnyEntitySync,
  NotCopyableError,
  type RedisEntry,
  type Side,
  type SyncContext,
} from '../entities/types.js';
import { QuarantineLookup } from '../verify/backfill-records.js';
import { compareIds, isMismatch } from '../verify/compare.js';
import { relinkReferences, stillUnlinked } from '../verify/relationships.js';
import {
  finishRun,
  latestVerifyResults,
  markRepaired,
  type OpenMismatch,
  openMismatches,
  startRun,
} from '../verify/store.js';

export type RepairOutcome = 'fixed' | 'still_different' | 'not_copyable' | 'failed';

export interface RepairOptions {
  ctx: SyncContext;
  /** The source of truth (default `redis`). */
  from?: Side;
  /** Entity or domain names; default every entity. */
  only?: readonly string[];
  /** Say what would be copied; write nothing. */
  dryRun?: boolean;
  /** Mismatches per batch (default 200). */
  batchSize?: number;
  /** Store the run and the per-mismatch outcome (default true; never under dry-run). */
  store?: boolean;
  onProgress?: (event: { entity: string; done: number }) => void;
}

/** Per entity. Under dry-run `written`/`deleted` say what would be done and nothing is re-checked. */
export interface EntityRepairResult {
  entity: string;
  /** The verify run whose mismatches were repaired. */
  verifyRunId: number;
  candidates: number;
  written: number;
  deleted: number;
  fixed: number;
  stillDifferent: number;
  notCopyable: number;
  failed: number;
  /** The first problems (not fixed), with the reason. */
  problems: { id: string; outcome: RepairOutcome; detail?: string }[];
}

export interface RepairReport {
  runId?: number;
  from: Side;
  dryRun: boolean;
  durationMs: number;
  /** True when every candidate was fixed (always false under dry-run when there were candidates). */
  clean: boolean;
  entities: Record<string, EntityRepairResult>;
  /** Selected entities with no finished verify yet (run `migrate:verify` first). */
  notVerified: string[];
  /** `*_ref` columns linked by the relink step. */
  relinked: number;
}

const PROBLEM_SAMPLE = 20;

/** Errors that concern one record (a constraint, bad data, contention), not the stores' health. */
function isRecordError(err: unknown): boolean {
  if (err instanceof CasContentionError) return true;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^(22|23)/.test(code);
}

function problemOf(err: unknown): { outcome: RepairOutcome; detail: string } {
  if (err instanceof NotCopyableError) return { outcome: 'not_copyable', detail: err.reason };
  return { outcome: 'failed', detail: err instanceof Error ? err.message : String(err) };
}

interface Env {
  ctx: SyncContext;
  from: Side;
  dryRun: boolean;
  store: boolean;
  runId: number | undefined;
  quarantine: QuarantineLookup;
}

/** Copies one batch from the source side; returns the outcome of each id that could not be copied. */
async function copyBatch(
  env: Env,
  entity: AnyEntitySync,
  ids: readonly string[],
  result: EntityRepairResult,
): Promise<Map<string, { outcome: RepairOutcome; detail: string }>> {
  const { ctx } = env;
  const failures = new Map<string, { outcome: RepairOutcome; detail: string }>();
  const source: Map<string, RedisEntry<unknown> | { ok: true; record: unknown }> =
    env.from === 'redis'
      ? await entity.loadRedis(ctx, ids)
      : new Map(
          [...(await entity.loadPostgres(ctx, ids))].map(([id, r]) => [id, { ok: true as const, record: r }]),
        );
  for (const id of ids) {
    const entry = source.get(id);
    if (entry && !entry.ok) {
      failures.set(id, {
        outcome: 'not_copyable',
        detail: `the Redis value cannot be decoded (${describeDecodeError(entry.error)}); fix or remove it in Redis`,
      });
      continue;
    }
    const record = entry ? entry.record : null;
    if (record === null) result.deleted++;
    else result.written++;
    if (env.dryRun) continue;
    try {
      if (env.from === 'redis') await entity.writePostgres(ctx, ctx.pg.db, id, record);
      else await entity.writeRedis(ctx, id, record);
    } catch (err) {
      if (!(err instanceof NotCopyableError) && !isRecordError(err)) throw err;
      if (record === null) result.deleted--;
      else result.written--;
      failures.set(id, problemOf(err));
    }
  }
  return failures;
}

async function repairEntity(
  env: Env,
  entity: AnyEntitySync,
  verifyRunId: number,
): Promise<EntityRepairResult> {
  const result: EntityRepairResult = {
    entity: entity.name,
    verifyRunId,
    candidates: 0,
    written: 0,
    deleted: 0,
    fixed: 0,
    stillDifferent: 0,
    notCopyable: 0,
    failed: 0,
    problems: [],
  };
  for await (const page of openMismatches(env.ctx.pg, entity.name, 200)) {
    result.candidates += page.length;
    const refOnly = page.filter((m) => m.kind === 'unlinked_ref');
    const records = page.filter((m) => m.kind !== 'unlinked_ref');
    const failures = await copyBatch(
      env,
      entity,
      records.map((m) => m.recordId),
      result,
    );
    if (env.dryRun) continue;
    const copied = records.filter((m) => !failures.has(m.recordId)).map((m) => m.recordId);
    const after = new Map(
      (await compareIds(entity, env.ctx, env.quarantine, copied)).map((o) => [o.id, o.outcome] as const),
    );
    const unlinked = await stillUnlinked(
      env.ctx.pg,
      entity.name,
      refOnly.map((m) => m.recordId),
    );
    for (const m of page) {
      const failure = failures.get(m.recordId);
      let outcome: RepairOutcome;
      let detail: string | undefined;
      if (failure) ({ outcome, detail } = failure);
      else if (m.kind === 'unlinked_ref') outcome = unlinked.has(m.recordId) ? 'still_different' : 'fixed';
      else {
        const o = after.get(m.recordId);
        outcome = o && isMismatch(o) ? 'still_different' : 'fixed';
        if (outcome === 'still_different') detail = `still ${o?.kind} after the copy (changed meanwhile?)`;
      }
      await record(env, m, result, outcome, detail);
    }
  }
  return result;
}

async function record(
  env: Env,
  m: OpenMismatch,
  result: EntityRepairResult,
  outcome: RepairOutcome,
  detail: string | undefined,
): Promise<void> {
  if (outcome === 'fixed') result.fixed++;
  else if (outcome === 'still_different') result.stillDifferent++;
  else if (outcome === 'not_copyable') result.notCopyable++;
  else result.failed++;
  if (outcome !== 'fixed' && result.problems.length < PROBLEM_SAMPLE) {
    result.problems.push({ id: m.recordId, outcome, ...(detail ? { detail } : {}) });
  }
  if (env.store && env.runId !== undefined) await markRepaired(env.ctx.pg, m, env.runId, outcome, detail);
}

/** Runs a repair; see {@link RepairOptions}. */
export async function runRepair(opts: RepairOptions): Promise<RepairReport> {
  const { ctx } = opts;
  const started = Date.now();
  const from = opts.from ?? 'redis';
  const dryRun = opts.dryRun ?? false;
  const store = (opts.store ?? true) && !dryRun;
  const entities = selectEntities(opts.only);
  const names = entities.map((e) => e.name);
  const runId = store ? await startRun(ctx.pg, 'repair', names, { from }) : undefined;
  const env: Env = { ctx, from, dryRun, store, runId, quarantine: new QuarantineLookup(ctx.pg) };
  try {
    const latest = new Map((await latestVerifyResults(ctx.pg, names)).map((r) => [r.entity, r.runId]));
    const relinked = dryRun ? 0 : await relinkReferences(ctx.pg, names);
    const report: RepairReport = {
      from,
      dryRun,
      durationMs: 0,
      clean: true,
      entities: {},
      notVerified: [],
      relinked,
    };
    for (const entity of entities) {
      const verifyRunId = latest.get(entity.name);
      if (verifyRunId === undefined) {
        report.notVerified.push(entity.name);
        continue;
      }
      const r = await repairEntity(env, entity, verifyRunId);
      report.entities[entity.name] = r;
      opts.onProgress?.({ entity: entity.name, done: r.candidates });
      if (dryRun ? r.candidates > 0 : r.fixed < r.candidates) report.clean = false;
    }
    report.durationMs = Date.now() - started;
    if (runId !== undefined) {
      report.runId = runId;
      await finishRun(ctx.pg, runId, report.clean ? 'clean' : 'mismatch', report);
    }
    return report;
  } catch (err) {
    if (runId !== undefined) {
      await finishRun(ctx.pg, runId, 'error', null, err instanceof Error ? err.message : String(err)).catch(
        () => undefined,
      );
    }
    throw err;
  }
}
