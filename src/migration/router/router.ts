/**
 * The router's controls, attached to the routed DataLayer as `layer.migration`: the stage of a
 * domain, status for the dashboard, the typed `setStage`, journal lag and drains, and the ticker that
 * polls the stages and journals and saves the shadow-read counters.
 */
import type { PgHandle } from '../../backends/postgres/client.js';
import type { JournalIndex } from '../journal/journal-index.js';
import type { PassResult, Reconciler } from '../journal/reconciler.js';
import { withTimeout } from '../journal/timeout.js';
import type { Journal, JournalEntry, JournalLag } from '../journal/types.js';
import type { StageHealth, StageView } from '../stage-store/poller.js';
import type { StageStore } from '../stage-store/store.js';
import { walkDecls } from './declare.js';
import { DECLARATIONS } from './declarations/index.js';
import type { Domain, DomainModel } from './domains.js';
import type { EngineCounters, JournalWriter } from './engine.js';
import type { Fence } from './fence.js';
import { type GuardOptions, guardOptionsFromEnv } from './guards.js';
import type { RouterLog } from './log.js';
import { type SetStageRequest, type SetStageResult, setStage } from './set-stage.js';
import type { ShadowReads } from './shadow-reads.js';
import type { ShadowStore } from './shadow-store.js';
import { type RequeueResult, requeueMismatches } from './requeue.js';
import { planOf, type Stage, type StoreName } from './stages.js';
import { collectStatus, type StatusReport } from './status.js';

export interface RouterStatus extends StatusReport {
  /** This process: reads served by the Redis fallback, records journaled, per domain. */
  process: {
    fallbacks: Record<string, number>;
    /** Fallback reads the primary store answered (the record is missing in Postgres). */
    fallbackHits: Record<string, number>;
    journaled: Record<string, number>;
    /** Journal entries not written yet (the source store refused them; retried every poll). */
    journalBacklog: number;
    lostJournalWrites: number;
    writesInFlight: number;
  };
}

export interface MigrationRouter {
  readonly model: DomainModel;
  /** The stage in force for a domain in this process. */
  stageOf(domain: Domain): Stage;
  stageHealth(): StageHealth;
  status(): Promise<RouterStatus>;
  /** Changes a stage (see set-stage.ts), then polls so this process sees it at once. */
  setStage(req: SetStageRequest): Promise<SetStageResult>;
  /** Lag of both journals (a store that cannot be read throws). */
  lag(): Promise<JournalLag[]>;
  /** One reconciler pass now. */
  reconcileNow(): Promise<PassResult>;
  /** Reconciles until both journals are empty or the time is up; returns what is left. */
  drain(timeoutMs: number): Promise<JournalEntry[]>;
  /**
   * Journals the records the last verify found different, from each domain's current source of truth
   * (or `from`), for the reconciler to copy; safe while traffic runs. See requeue.ts.
   */
  requeueMismatches(opts?: { from?: StoreName }): Promise<RequeueResult>;
  /** Polls stages and journals and saves counters now. */
  refresh(): Promise<void>;
  /** Resolves when no shadow read is running. */
  idle(): Promise<void>;
  start(): void;
  /** Stops the timers and saves the counters (does not close the clients). */
  close(): Promise<void>;
}

export interface RouterDeps {
  pg: PgHandle;
  model: DomainModel;
  view: StageView;
  store: StageStore;
  defaults: ReadonlyMap<string, Stage>;
  journals: Record<StoreName, Journal>;
  index: JournalIndex;
  reconciler: Reconciler;
  shadowReads: ShadowReads;
  shadowStore: ShadowStore;
  fence: Fence;
  counters: EngineCounters;
  journalWriter: JournalWriter;
  switchDelayMs: number;
  pollMs: number;
  reconcilerEnabled: boolean;
  guard?: GuardOptions;
  log: RouterLog;
}

/** Domains with at least one read method (shadow reads possible). */
export function domainsWithReads(): Set<string> {
  const out = new Set<string>();
  for (const [domain, tree] of Object.entries(DECLARATIONS)) {
    walkDecls(tree as Record<string, unknown>, (_p, decl) => {
      if (decl.kind === 'read') out.add(domain);
    });
  }
  return out;
}

export function createMigrationRouter(deps: RouterDeps): MigrationRouter {
  const journals = [deps.journals.redis, deps.journals.postgres];
  const withReads = domainsWithReads();
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> | undefined;
  let wasStale = false;
  let indexRefreshedAt = 0;

  async function lag(): Promise<JournalLag[]> {
    return (
      await Promise.all(journals.map((j) => withTimeout(j.lag(), 5000, `reading the ${j.source} journal`)))
    ).flat();
  }

  async function tick(force: boolean): Promise<void> {
    await deps.view.refresh();
    const stale = deps.view.health().stale;
    if (stale !== wasStale) {
      if (stale)
        deps.log.warn(
          `stage store unreachable (${deps.view.health().lastError}); keeping the last known stages`,
        );
      else deps.log.info('stage store reachable again');
      wasStale = stale;
    }
    // Listing a big journal is not free: at most once a second unless asked.
    if (force || Date.now() - indexRefreshedAt >= Math.max(deps.pollMs, 1000)) {
      indexRefreshedAt = Date.now();
      await deps.index.refresh();
    }
    await deps.journalWriter.retry();
    await deps.shadowReads.flush();
  }

  function queueTick(force: boolean): Promise<void> {
    const run: Promise<void> = (ticking ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => tick(force))
      .finally(() => {
        if (ticking === run) ticking = undefined;
      });
    ticking = run;
    return run;
  }

  const router: MigrationRouter = {
    model: deps.model,
    stageOf: (domain) => deps.view.stageOf(domain),
    stageHealth: () => deps.view.health(),

    async status() {
      const report = await collectStatus({
        pg: deps.pg,
        model: deps.model,
        view: deps.view,
        journals,
        shadowStore: deps.shadowStore,
      });
      return {
        ...report,
        process: {
          fallbacks: Object.fromEntries(deps.counters.fallbacks),
          fallbackHits: Object.fromEntries(deps.counters.fallbackHits),
          journaled: Object.fromEntries(deps.counters.journaled),
          journalBacklog: deps.journalWriter.backlog(),
          lostJournalWrites: deps.counters.lostJournalWrites,
          writesInFlight: deps.fence.inFlight(),
        },
      };
    },

    async setStage(req) {
      const result = await setStage(
        {
          pg: deps.pg,
          model: deps.model,
          store: deps.store,
          shadow: deps.shadowStore,
          defaults: deps.defaults,
          lag,
          guard: deps.guard ?? guardOptionsFromEnv(process.env),
          switchDelayMs: deps.switchDelayMs,
          hasReads: (d) => withReads.has(d),
        },
        req,
      );
      await deps.view.refresh();
      return result;
    },

    lag,
    async requeueMismatches(opts = {}) {
      const result = await requeueMismatches(
        deps.pg,
        deps.journals,
        (domain) => opts.from ?? planOf(deps.view.stageOf(domain)).primary,
      );
      await deps.index.refresh();
      return result;
    },
    reconcileNow: () => deps.reconciler.runOnce(),
    drain: (timeoutMs) => deps.reconciler.drain({ timeoutMs }),

    // An explicit refresh always runs a full tick that starts after the call (queued behind one in flight).
    refresh() {
      return queueTick(true);
    },

    idle: () => deps.shadowReads.idle(),

    start() {
      if (timer) return;
      // The timer skips a beat while a tick is still running (a store that hangs must not pile them up).
      timer = setInterval(() => {
        if (!ticking) void queueTick(false).catch(() => undefined);
      }, deps.pollMs);
      timer.unref();
      if (deps.reconcilerEnabled) deps.reconciler.start();
    },

    async close() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await deps.reconciler.stop();
      await deps.shadowReads.idle();
      await ticking?.catch(() => undefined);
      await deps.shadowReads.flush();
    },
  };
  return router;
}
