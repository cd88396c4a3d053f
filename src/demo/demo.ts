/**
 * `runDemo`: a live zero-downtime migration under traffic, end to end, as one typed function (the
 * CLI is a thin wrapper; the test calls this). Steps: open the stores and migrate the schema, seed a
 * legacy dataset in Redis, serve the store API and the dashboard, start the traffic, walk every
 * domain to `postgres-only` (walk.ts), stop the traffic, verify, audit every acknowledged write,
 * return the result — keeping the dashboard up for `lingerSeconds` first. Everything it started is
 * stopped before it returns, also on an error or when the signal fires.
 */
import { guardOptionsFromEnv } from '../migration/router/guards.js';
import type { Stage } from '../migration/router/stages.js';
import { generateToken } from '../ops/dashboard/auth.js';
import { legacyKeys } from '../legacy/keys.js';
import { silentLog, type RouterLog } from '../migration/router/log.js';
import { type AuditResult, auditWrites, stockSnapshot } from './audit.js';
import { startBackoffice } from './backoffice.js';
import { createChecks, type VerifyOutcome } from './checks.js';
import { collectRecordIds, createDemoAdmin, restockCatalogue, seedDataset } from './fixtures.js';
import { watchJournals } from './journal-watch.js';
import { DEMO_MAX_MISMATCH_RATE, type DemoOptions } from './options.js';
import type { DemoResult } from './result.js';
import { startDemoRuntime } from './runtime.js';
import { createStageController } from './stage-control.js';
import { openDemoStores, runNameAt } from './stores.js';
import { seededRandom, startTraffic } from './traffic.js';
import { bothWritten, walkStages } from './walk.js';

/** Where the demo runs; the CLI fills it from the environment, a test by hand. */
export interface DemoEnvironment {
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  keyPrefix: string;
  /** `redis-server` binary for a private Redis; null = use the local default server. */
  redisServer: string | null;
  /** Env for the guard thresholds (MIGRATION_MIN_SHADOW_COMPARISONS, MIGRATION_MAX_MISMATCH_RATE). */
  env: NodeJS.ProcessEnv;
  /** Dashboard token (DASHBOARD_TOKEN); generated when unset. */
  dashboardToken?: string;
  /** Ctrl-C: stop the traffic, finish the step in progress, return the partial result. */
  signal?: AbortSignal;
  /** Progress lines (stderr in the CLI). */
  progress?: (line: string) => void;
  /** Called once the dashboard is up (the screenshot script uses it). */
  onDashboard?: (url: string, token: string) => void;
  /** Called with the result before lingering, so the summary is printed while the dashboard is still up. */
  onResult?: (result: DemoResult) => void;
  /** Router timing; defaults suit one process (poll 250 ms, switch 600 ms). */
  router?: { pollMs: number; switchDelayMs: number };
  log?: RouterLog;
  now?: () => Date;
}

const linger = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

export async function runDemo(options: DemoOptions, env: DemoEnvironment): Promise<DemoResult> {
  const started = Date.now();
  const now = env.now ?? (() => new Date());
  const progress = env.progress ?? (() => undefined);
  const signal = env.signal ?? new AbortController().signal;
  const router = env.router ?? { pollMs: 250, switchDelayMs: 600 };
  const runName = runNameAt(now());
  const guard = guardOptionsFromEnv(env.env);
  if (!env.env.MIGRATION_MAX_MISMATCH_RATE?.trim()) guard.maxMismatchRate = DEMO_MAX_MISMATCH_RATE;
  if (options.minComparisons !== undefined) guard.minComparisons = options.minComparisons;
  if (options.maxMismatchRate !== undefined) guard.maxMismatchRate = options.maxMismatchRate;

  progress('opening the stores and migrating the schema…');
  const stores = await openDemoStores({
    databaseUrl: env.databaseUrl,
    dataDir: options.dataDir ?? `.data/${runName}`,
    redisUrl: env.redisUrl,
    keyPrefix: env.keyPrefix,
    runName,
    redisServer: env.redisServer,
  });
  const closers: (() => Promise<void>)[] = [() => stores.close()];
  try {
    const keys = legacyKeys(stores.keyPrefix);
    progress(`Postgres: ${stores.postgresTarget} · Redis: ${stores.redisTarget}`);
    progress(`seeding the legacy dataset (scale ${options.scale})…`);
    const manifest = await seedDataset(stores.redis, {
      scale: options.scale,
      seed: options.seed,
      prefix: keys.prefix,
      now: now(),
    });
    const token = env.dashboardToken?.trim() || generateToken();
    const runtime = await startDemoRuntime({
      pg: stores.pg,
      pgPoolMax: stores.pgPoolMax,
      redis: { client: stores.redis, keys },
      token,
      port: options.port,
      bcryptCost: 8,
      router,
      log: env.log ?? silentLog,
      onInfrastructureError: (route, message) => progress(`503 on ${route}: ${message}`),
    });
    closers.unshift(() => runtime.close());
    const migration = runtime.routed.migration;
    progress(`dashboard: ${runtime.dashboardUrl} (token ${token}) · store API: ${runtime.baseUrl}/api`);
    env.onDashboard?.(runtime.dashboardUrl, token);

    // Ids first: the back office reads only records that existed before the demo started.
    const ids = await collectRecordIds(runtime.data);
    const admin = await createDemoAdmin(runtime.data, runName);
    await restockCatalogue(runtime.data, 200);
    const initialStock = await stockSnapshot(runtime.data);
    progress(`traffic: ${options.users} customers + 1 admin, ≤ ${options.rps} requests/s`);
    const trafficStarted = Date.now();
    const traffic = startTraffic({
      baseUrl: runtime.baseUrl,
      users: options.users,
      rps: options.rps,
      runTag: runName,
      admin,
      seed: options.seed,
    });
    const backoffice = startBackoffice(
      runtime.data,
      ids,
      options.backofficeRps,
      seededRandom(`${options.seed}:backoffice`),
    );
    const journal = watchJournals(() => migration.lag());
    const stopLoad = async () => {
      await traffic.stop();
      await backoffice.stop();
    };
    closers.unshift(stopLoad, () => journal.stop());

    const checks = createChecks({ pg: stores.toolsPg, redis: stores.redis, keys });
    const control = createStageController({
      pg: stores.pg,
      layer: runtime.routed,
      guard,
      switchDelayMs: router.switchDelayMs,
    });
    const walk = await walkStages({
      layer: runtime.routed,
      control,
      checks,
      backoffice,
      journal,
      traffic: () => traffic.stats.totals(),
      stageSeconds: options.stageSeconds,
      minComparisons: guard.minComparisons,
      stepTimeoutMs: options.stepTimeoutSeconds * 1000,
      pollMs: router.pollMs,
      signal,
      progress,
    });

    progress('stopping the traffic…');
    await stopLoad();
    const trafficMs = Date.now() - trafficStarted;
    await migration.idle();
    await migration.drain(10_000);
    const interrupted = signal.aborted && !walk.completed;
    const stillBoth = migration.model.domains.filter((d) => bothWritten(migration.stageOf(d)));
    let finalVerify: VerifyOutcome | null = null;
    if (stillBoth.length > 0 && !signal.aborted) {
      progress(`final verify of ${stillBoth.join(', ')}…`);
      finalVerify = await checks.verify(stillBoth);
    }
    progress('auditing every acknowledged write…');
    const audit: AuditResult = await auditWrites(runtime.data, traffic.ledger, initialStock);
    await journal.stop();
    await migration.refresh();
    const shadowReads = await control.shadowTotals(new Date(trafficStarted));
    const peak = journal.peakTotal();
    const stages = Object.fromEntries(
      migration.model.domains.map((d) => [d, migration.stageOf(d)]),
    ) as Record<string, Stage>;

    const totals = traffic.stats.totals();
    const problems: string[] = [];
    if (interrupted) problems.push('stopped before every domain reached postgres-only');
    else if (!walk.completed) {
      const last = walk.steps.at(-1);
      problems.push(
        `the walk stopped at ${last?.stage ?? 'the start'} (${last?.outcome}): ${last?.problem ?? 'see the steps'}`,
      );
    }
    if (totals.failed > 0) problems.push(`${totals.failed} failed request(s)`);
    if (backoffice.errors.length > 0) problems.push(`${backoffice.errors.length} failed back-office read(s)`);
    if (traffic.crashes.length > 0) problems.push(`${traffic.crashes.length} virtual-user error(s)`);
    const dirty =
      walk.steps.filter((s) => s.verify && !s.verify.clean).length +
      (finalVerify && !finalVerify.clean ? 1 : 0);
    if (dirty > 0) problems.push(`${dirty} verify run(s) found drift`);
    if (audit.problemCount > 0) problems.push(`${audit.problemCount} acknowledged write(s) not as confirmed`);

    const result: DemoResult = {
      ok: problems.length === 0,
      problems,
      interrupted,
      completed: walk.completed,
      durationMs: Date.now() - started,
      stores: { postgres: stores.postgresTarget, redis: stores.redisTarget, keyPrefix: stores.keyPrefix },
      dataset: { scale: options.scale, keys: manifest.keys },
      traffic: {
        users: options.users,
        rps: options.rps,
        durationMs: trafficMs,
        totals,
        byRoute: traffic.stats.byRoute(),
        journeys: traffic.journeys(),
        uncertainWrites: traffic.ledger.uncertainWrites,
        crashes: traffic.crashes,
      },
      backoffice: { reads: backoffice.reads(), errors: backoffice.errors },
      steps: walk.steps,
      guard: { minComparisons: guard.minComparisons, maxMismatchRate: guard.maxMismatchRate },
      shadowReads,
      finalVerify,
      audit,
      journal: {
        peakTotal: peak.depth,
        peakAt: peak.at,
        peaks: journal.peaks(),
        unreadablePolls: journal.unreadable(),
      },
      stages,
      dashboard: { url: runtime.dashboardUrl, token },
      redisChild: stores.redisChild ? { pid: stores.redisChild.pid, port: stores.redisChild.port } : null,
    };
    env.onResult?.(result);
    if (options.lingerSeconds > 0 && !signal.aborted) {
      progress(
        `the dashboard stays up for ${options.lingerSeconds} s (Ctrl-C ends it): ${runtime.dashboardUrl}`,
      );
      await linger(options.lingerSeconds * 1000, signal);
    }
    return result;
  } finally {
    for (const close of closers) await close().catch(() => undefined);
  }
}
