/**
 * `runBackfill`: copies the legacy Redis dataset into Postgres (issue 5). Steps, each resumable:
 * discover (SCAN) → indexes (members of every index) → entities in dependency order → finish
 * (reference links, points discrepancies) → report. Never throws for a bad record (it is
 * quarantined); throws only for infrastructure failures and a run/prefix mismatch.
 */
import { countKeys, readIndexes, scanKeys } from '../discovery.js';
import { discoveryReport } from './discovery-report.js';
import { migrateAdminLogs, migrateTwoFactor } from './admin-steps.js';
import {
  ADMIN_LOGS_ENTITY,
  ALL_ENTITIES,
  APP_EPHEMERAL_ENTITY,
  EPHEMERAL_ENTITY,
  INDEXES_ENTITY,
  MIGRATED_ENTITIES,
  RECORD_ENTITIES,
  TWO_FACTOR_ENTITY,
  UNKNOWN_ENTITY,
} from './entities.js';
import {
  linkReferences,
  listPointsDiscrepancies,
  POINTS_POLICY,
  recordPointsDiscrepancies,
} from './finish.js';
import { migrateRecordEntity, type StepContext } from './records.js';
import { rawRedis } from './redis-read.js';
import { openSession, type SqlSession } from './session.js';
import { RunState } from './state.js';
import type { BackfillOptions, BackfillReport, EntityStats, QuarantineEntry } from './types.js';

/** `--only` named an entity that does not exist. */
export class UnknownEntityError extends Error {
  constructor(readonly names: string[]) {
    super(`unknown entit${names.length === 1 ? 'y' : 'ies'}: ${names.join(', ')}`);
    this.name = 'UnknownEntityError';
  }
}

/** Records per batch (one transaction each): large enough to amortise the per-commit round trips. */
export const DEFAULT_BATCH_SIZE = 1000;

const EPHEMERAL_NAMES: readonly string[] = [...Object.values(EPHEMERAL_ENTITY), APP_EPHEMERAL_ENTITY];

export async function runBackfill(opts: BackfillOptions): Promise<BackfillReport> {
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  const only = opts.only && opts.only.length > 0 ? new Set(opts.only) : undefined;
  const unknown = [...(only ?? [])].filter((e) => !ALL_ENTITIES.includes(e));
  if (unknown.length > 0) throw new UnknownEntityError(unknown);
  const session = await openSession(opts.pg);
  const writers: SqlSession[] = [];
  try {
    const state = await RunState.open(session, {
      prefix: opts.prefix,
      restart: opts.restart ?? false,
      dryRun: opts.dryRun ?? false,
      options: { batchSize: opts.batchSize, only: opts.only, dryRun: opts.dryRun ?? false },
    });
    const concurrency = Math.max(1, opts.concurrency ?? 4);
    // Parallel batch writers need their own connections (PGlite has one; a dry run's shadow tables
    // live in the run's session only).
    if (opts.pg.capabilities.parallelConnections && !opts.dryRun && concurrency > 1) {
      for (let i = 0; i < concurrency; i++) writers.push(await openSession(opts.pg));
    }
    const ctx: StepContext = {
      redis: rawRedis(opts.redis),
      session,
      writers,
      state,
      prefix: opts.prefix,
      batchSize: opts.batchSize ?? DEFAULT_BATCH_SIZE,
      concurrency,
      dryRun: opts.dryRun ?? false,
      now: opts.now ?? (() => new Date()),
      onProgress: opts.onProgress,
    };
    const stepMs: Record<string, number> = {};
    const timed = async (step: string, fn: () => Promise<unknown>) => {
      const t = performance.now();
      await fn();
      stepMs[step] = Math.round(performance.now() - t);
    };
    await timed('discover', () =>
      scanKeys({ ...ctx, onProgress: (done, total) => opts.onProgress?.({ step: 'discover', done, total }) }),
    );
    await timed('indexes', async () => {
      const total = await countKeys(session, INDEXES_ENTITY);
      await readIndexes(
        { ...ctx, onProgress: (done, t) => opts.onProgress?.({ step: 'indexes', done, total: t }) },
        total,
      );
    });

    const wanted = (name: string) => !only || only.has(name);
    for (const entity of RECORD_ENTITIES) {
      if (wanted(entity.name)) await timed(entity.name, () => migrateRecordEntity(ctx, entity));
    }
    if (wanted(ADMIN_LOGS_ENTITY)) await timed(ADMIN_LOGS_ENTITY, () => migrateAdminLogs(ctx));
    if (wanted(TWO_FACTOR_ENTITY)) await timed(TWO_FACTOR_ENTITY, () => migrateTwoFactor(ctx));

    let points: BackfillReport['points'];
    if (!ctx.dryRun) {
      await timed('finish', async () => {
        await linkReferences(session);
        // Only with both sides in scope: comparing balances against a ledger left out by --only
        // would list nearly every user.
        if (wanted('users') && wanted('points_transactions')) {
          const usersCompared = await recordPointsDiscrepancies(session);
          points = {
            usersCompared,
            discrepancies: await listPointsDiscrepancies(session),
            policy: POINTS_POLICY,
          };
        }
      });
    }
    const report = await buildReport(session, state, opts, wanted, points, stepMs, started, cpuAtStart);
    await state.finish();
    if (opts.onReject) {
      for await (const q of state.quarantined()) opts.onReject(q);
    }
    return report;
  } finally {
    // A writer whose connection died must not keep the others (or the run's own) from being released.
    await Promise.allSettled(writers.map((w) => w.release()));
    await session.release();
  }
}

function emptyStats(): EntityStats {
  return {
    scanned: 0,
    migrated: 0,
    unchanged: 0,
    quarantined: 0,
    expired: 0,
    keptInRedis: 0,
    liveNewer: 0,
    keys: 0,
  };
}

async function buildReport(
  session: SqlSession,
  state: RunState,
  opts: BackfillOptions,
  wanted: (name: string) => boolean,
  points: BackfillReport['points'],
  stepMs: Record<string, number>,
  started: number,
  cpuAtStart: NodeJS.CpuUsage,
): Promise<BackfillReport> {
  const keyCounts = new Map(
    (
      await session.query<{ entity: string; n: number | string }>(
        'SELECT entity, count(*)::int AS n FROM backfill_keys GROUP BY entity',
      )
    ).map((r) => [r.entity, Number(r.n)]),
  );
  const entities: Record<string, EntityStats> = {};
  for (const name of ALL_ENTITIES) {
    if (!wanted(name)) continue;
    const stats = emptyStats();
    stats.keys = keyCounts.get(name) ?? 0;
    if (MIGRATED_ENTITIES.includes(name)) {
      const c = (await state.checkpoint(name)).counts;
      for (const k of ['scanned', 'migrated', 'unchanged', 'quarantined', 'expired', 'liveNewer'] as const)
        stats[k] = c[k] ?? 0;
    } else if (EPHEMERAL_NAMES.includes(name)) {
      stats.scanned = stats.keys;
      stats.keptInRedis = stats.keys;
    } else if (name === UNKNOWN_ENTITY) {
      stats.scanned = stats.keys;
      stats.quarantined = stats.keys;
    }
    entities[name] = stats;
  }
  const limit = opts.quarantineListLimit ?? 1000;
  const quarantine: QuarantineEntry[] = [];
  let omitted = 0;
  for await (const q of state.quarantined()) {
    if (!wanted(q.entity) && q.entity !== INDEXES_ENTITY) continue;
    if (quarantine.length < limit)
      quarantine.push({ key: q.key, entity: q.entity, field: q.field, reason: q.reason });
    else omitted++;
  }
  const totals = { migrated: 0, unchanged: 0, quarantined: 0, expired: 0, keptInRedis: 0 };
  for (const s of Object.values(entities))
    for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += s[k];
  const cpu = process.cpuUsage(cpuAtStart);
  return {
    runId: state.runId,
    mode: state.mode,
    entities,
    quarantine,
    quarantineOmitted: omitted,
    discovery: await discoveryReport(session, limit),
    points,
    totals,
    stepMs,
    durationMs: Math.round(performance.now() - started),
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
  };
}
