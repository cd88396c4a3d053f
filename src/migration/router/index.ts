/**
 * `createDataLayer(config)`: the DataLayer the app uses during the migration. Each domain is routed by
 * its stage (stored in Postgres, polled), writes are copied to the shadow store, failures journaled and
 * reconciled, and a sample of reads compared. See docs/runbook.md for operating it.
 */
import type { PgHandle } from '../../backends/postgres/client.js';
import { createPostgresDataLayer } from '../../backends/postgres/index.js';
import type { RedisClient } from '../../backends/redis/client.js';
import { createRedisDataLayer } from '../../backends/redis/index.js';
import type { DataLayer } from '../../domain/data-layer.js';
import type { LegacyKeys } from '../../legacy/keys.js';
import { createSyncContext, ENTITIES } from '../entities/index.js';
import type { AnyEntitySync } from '../entities/types.js';
import { createJournalIndex } from '../journal/journal-index.js';
import { entityOfKey, keyOfEntry } from '../journal/refs.js';
import { migrationKeys } from '../journal/keys.js';
import { createPostgresJournal } from '../journal/postgres-journal.js';
import { createReconciler, type ReconcilerOptions } from '../journal/reconciler.js';
import { createRedisJournal } from '../journal/redis-journal.js';
import { stageDefaultsFromEnv } from '../stage-store/defaults.js';
import { createStageView, DEFAULT_POLL_MS } from '../stage-store/poller.js';
import { createStageStore } from '../stage-store/store.js';
import { type BreakerOptions, createBreaker } from './breaker.js';
import { createCopier } from './copier.js';
import { DECLARATIONS } from './declarations/index.js';
import type { TouchedKey } from './declare.js';
import { buildDomainModel, domainOfEntity } from './domains.js';
import { createEngine, type EngineCounters, type ShadowWriteOptions } from './engine.js';
import { createFence } from './fence.js';
import { type GuardOptions, guardOptionsFromEnv } from './guards.js';
import { type RouterLog, stderrLog } from './log.js';
import { createLookups } from './lookups.js';
import { createRecentWrites } from './recent-writes.js';
import { createMigrationRouter, type MigrationRouter } from './router.js';
import {
  createShadowReads,
  DEFAULT_SHADOW_READ_OPTIONS,
  type ShadowReadOptions,
  shadowReadOptionsFromEnv,
} from './shadow-reads.js';
import { createShadowStore } from './shadow-store.js';
import { planOf, type StoreName } from './stages.js';
import { wrapDataLayer } from './wrap.js';

export type { MigrationRouter } from './router.js';
export type { Stage } from './stages.js';
export { STAGES } from './stages.js';

/** Everything `createDataLayer` needs; only `redis` and `pg` are required. */
export interface RouterConfig {
  redis: { client: RedisClient; keys: LegacyKeys };
  pg: PgHandle;
  now?: () => Date;
  /** The two backends (default: built from `redis` and `pg`). */
  layers?: { redis: DataLayer; postgres: DataLayer };
  /** Sync-layer entities (default: all of src/migration/entities). */
  entities?: readonly AnyEntitySync[];
  /** Env for the default stages (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  stages?: {
    /** Default 1000 ms. */
    pollMs?: number;
    /** Processes switch this long after a change is committed; default 1500 ms (> poll interval). */
    switchDelayMs?: number;
    /** Writes of a group wait this long after its source of truth switched; default 1500 ms. */
    quiesceMs?: number;
  };
  shadowWrites?: Partial<ShadowWriteOptions> & {
    ledgerWindow?: number;
    adminLogWindow?: number;
    /** Circuit breaker of the shadow copies (default: open after 3 failures, probe every 1000 ms). */
    breaker?: Partial<BreakerOptions>;
  };
  shadowReads?: Partial<ShadowReadOptions>;
  reconciler?: Partial<ReconcilerOptions> & { enabled?: boolean };
  /** Thresholds of the cut-over guard (default from MIGRATION_MAX_MISMATCH_RATE / MIGRATION_MIN_SHADOW_COMPARISONS). */
  guard?: Partial<GuardOptions>;
  log?: RouterLog;
}

/** A DataLayer plus the router's controls (status, stage changes, drains). */
export type RoutedDataLayer = DataLayer & { readonly migration: MigrationRouter };

export const DEFAULT_SWITCH_DELAY_MS = 1500;

export async function createDataLayer(config: RouterConfig): Promise<RoutedDataLayer> {
  const now = config.now ?? (() => new Date());
  const log = config.log ?? stderrLog();
  const layers = config.layers ?? {
    redis: createRedisDataLayer({ client: config.redis.client, keys: config.redis.keys, now }),
    postgres: createPostgresDataLayer({ pg: config.pg, now }),
  };
  const model = buildDomainModel(DECLARATIONS);
  const defaults = stageDefaultsFromEnv(config.env ?? process.env, model.groups);
  for (const w of defaults.warnings) log.warn(w);

  const pollMs = config.stages?.pollMs ?? DEFAULT_POLL_MS;
  const store = createStageStore(config.pg);
  const view = createStageView({ store, defaults: defaults.stages, pollMs, now });

  const journals = {
    redis: createRedisJournal(config.redis.client, migrationKeys(config.redis.keys.prefix)),
    postgres: createPostgresJournal(config.pg),
  };
  const index = createJournalIndex([journals.redis, journals.postgres]);
  const ctx = createSyncContext({ redis: config.redis.client, keys: config.redis.keys, pg: config.pg, now });
  const copier = createCopier({
    ctx,
    entities: new Map((config.entities ?? ENTITIES).map((e) => [e.name, e])),
    layers,
    ledgerWindow: config.shadowWrites?.ledgerWindow ?? 20,
    adminLogWindow: config.shadowWrites?.adminLogWindow ?? 50,
  });
  const shadowWrites: ShadowWriteOptions = {
    timeoutMs: config.shadowWrites?.timeoutMs ?? 1000,
    settleMs: config.shadowWrites?.settleMs ?? 2000,
  };
  const counters: EngineCounters = {
    fallbacks: new Map(),
    fallbackHits: new Map(),
    journaled: new Map(),
    lostJournalWrites: 0,
  };
  const shadowStore = createShadowStore(config.pg);
  const shadowReadOptions: ShadowReadOptions = {
    ...DEFAULT_SHADOW_READ_OPTIONS,
    ...shadowReadOptionsFromEnv(config.env ?? process.env, model.domains),
    ...config.shadowReads,
  };
  const recentWrites = createRecentWrites({ recentMs: shadowReadOptions.recentWriteMs });
  let journalKeysRef:
    | ((...a: Parameters<ReturnType<typeof createEngine>['journalKeys']>) => Promise<void>)
    | undefined;
  const shadowReads = createShadowReads({
    store: shadowStore,
    options: shadowReadOptions,
    journal: (keys, _primaryAtRead, why) => journalFromCurrentPrimary(keys, why),
    // A copy on its way: this process's write, or a repair waiting in a journal (any process's).
    inFlight: (domain, keys, since) =>
      recentWrites.overlaps(domain, keys, since) ||
      (keys.length === 0
        ? index.hasEntries(domain)
        : keys.some((k) => index.sourceOf(entityOfKey(k), k.id) !== undefined)),
    onError: (m) => log.warn(m),
  });
  const fence = createFence({
    view,
    groupOf: model.groupOf,
    quiesceMs: config.stages?.quiesceMs ?? DEFAULT_SWITCH_DELAY_MS,
  });
  const breaker = createBreaker({ threshold: 3, cooldownMs: 1000, ...config.shadowWrites?.breaker });
  const engine = createEngine({
    layers,
    view,
    fence,
    copier,
    journals,
    index,
    shadowReads,
    shadowWrites,
    log,
    counters,
    lookups: createLookups(ctx),
    breaker,
    recentWrites,
  });
  journalKeysRef = engine.journalKeys;

  // A comparison finishes after its re-check, possibly after the domain's source of truth changed.
  // Journaled under the primary it was read with, the old primary's (stale) copy would be taken as the
  // newest and copied over the new primary's writes. Repair from the source of truth now, and not at
  // all when the stage writes one store only (`redis`, `postgres-only`: the other one is not kept).
  async function journalFromCurrentPrimary(keys: TouchedKey[], why: string): Promise<void> {
    const byPrimary = new Map<StoreName, TouchedKey[]>();
    for (const key of keys) {
      const domain = domainOfEntity(entityOfKey(key));
      if (!domain) continue;
      const plan = planOf(view.stageOf(domain));
      if (plan.shadow === null) continue;
      byPrimary.set(plan.primary, [...(byPrimary.get(plan.primary) ?? []), key]);
    }
    for (const [primary, list] of byPrimary) await journalKeysRef?.(list, primary, why);
  }
  const reconciler = createReconciler({
    journals: [journals.redis, journals.postgres],
    copier,
    // A repaired record has just been written to the other store: a comparison may straddle it.
    index: {
      ...index,
      remove(entry) {
        index.remove(entry);
        recentWrites.copied([keyOfEntry(entry)]);
      },
    },
    breaker,
    options: config.reconciler,
    onFailure: (entry, error) =>
      log.warn(`reconcile ${entry.entity} ${entry.id} from ${entry.source}: ${error}`),
  });

  const migration = createMigrationRouter({
    pg: config.pg,
    model,
    view,
    store,
    defaults: defaults.stages,
    journals,
    index,
    reconciler,
    shadowReads,
    shadowStore,
    fence,
    counters,
    journalWriter: engine.journalKeys,
    switchDelayMs: config.stages?.switchDelayMs ?? DEFAULT_SWITCH_DELAY_MS,
    pollMs,
    reconcilerEnabled: config.reconciler?.enabled ?? true,
    guard: { ...guardOptionsFromEnv(config.env ?? process.env), ...config.guard },
    log,
  });
  await migration.refresh();
  migration.start();
  return Object.assign(wrapDataLayer(DECLARATIONS, engine.route), { migration });
}
