/**
 * `MigrationControl` over the real migration modules: the router (`layer.migration`: status, guarded
 * `setStage`, journal lag), both repair journals, the shadow-read store, verify results and the
 * backfill's checkpoints, all read from where those modules keep them.
 */
import type { PgHandle } from '../../backends/postgres/client.js';
import type { RedisClient } from '../../backends/redis/client.js';
import type { LegacyKeys } from '../../legacy/keys.js';
import { createSyncContext, ENTITIES } from '../../migration/entities/index.js';
import type { AnyEntitySync } from '../../migration/entities/types.js';
import { migrationKeys } from '../../migration/journal/keys.js';
import { createPostgresJournal } from '../../migration/journal/postgres-journal.js';
import { createRedisJournal } from '../../migration/journal/redis-journal.js';
import type { Journal, JournalEntry as RouterJournalEntry } from '../../migration/journal/types.js';
import { entitiesOfDomain } from '../../migration/router/domains.js';
import type { MigrationRouter, RouterStatus } from '../../migration/router/router.js';
import { createShadowStore } from '../../migration/router/shadow-store.js';
import { latestVerifyResults } from '../../migration/verify/store.js';
import type {
  FieldDiff,
  JournalEntry,
  MigrationControl,
  ShadowSample,
  Stage,
  VerifySummary,
} from '../migration-control.js';
import { backfillProgressReader } from './backfill-progress.js';
import { storeCountsReader } from './store-counts.js';

export interface RouterControlDeps {
  /** The router's controls (`(await createDataLayer(config)).migration`). */
  migration: MigrationRouter;
  pg: PgHandle;
  redis: { client: RedisClient; keys: LegacyKeys };
  /** Sync-layer entities to count (default all). */
  entities?: readonly AnyEntitySync[];
  /** Who stage changes are audited as. Default `dashboard`. */
  by?: string;
  /** How long live record counts are reused (ms). Default 60 000. */
  countsTtlMs?: number;
  now?: () => Date;
}

const toIso = (d: Date) => d.toISOString();

function journalEntry(e: RouterJournalEntry): JournalEntry {
  return {
    id: `${e.source}:${e.entity}:${e.id}`,
    domain: e.domain,
    recordKey: `${e.entity}:${e.id}`,
    // The journal lives in the store that has the newest state; the copy failed towards the other.
    target: e.source === 'redis' ? 'postgres' : 'redis',
    error: e.lastError ?? (e.parked ? 'parked after repeated failures' : ''),
    attempts: e.attempts,
    createdAt: toIso(e.firstAt),
  };
}

/** Verify counts → the dashboard's summary; `mismatched` counts everything that makes a run dirty. */
export function verifySummary(v: {
  entity: string;
  verifiedAt: Date;
  counts: Record<string, number>;
  samples: unknown[];
}): VerifySummary {
  const c = (k: string) => Number(v.counts[k] ?? 0);
  const examples = v.samples
    .map((s) => s as { id?: unknown; kind?: unknown })
    .filter((s) => typeof s.id === 'string')
    .slice(0, 5)
    .map((s) => `${String(s.id)}${typeof s.kind === 'string' ? ` (${s.kind.replaceAll('_', ' ')})` : ''}`);
  return {
    entity: v.entity,
    finishedAt: toIso(v.verifiedAt),
    checked: Math.max(c('redisRecords'), c('postgresRecords')),
    missingInPostgres: c('missingInPostgres'),
    missingInRedis: c('missingInRedis'),
    mismatched: c('different') + c('undecodable') + c('unlinkedRefs'),
    examples,
  };
}

export function routerMigrationControl(deps: RouterControlDeps): MigrationControl {
  const { migration, pg } = deps;
  const journals: Journal[] = [
    createRedisJournal(deps.redis.client, migrationKeys(deps.redis.keys.prefix)),
    createPostgresJournal(pg),
  ];
  const shadow = createShadowStore(pg);
  const backfill = backfillProgressReader(pg);
  const counts = storeCountsReader(
    createSyncContext({
      redis: deps.redis.client,
      keys: deps.redis.keys,
      pg,
      ...(deps.now ? { now: deps.now } : {}),
    }),
    deps.entities ?? ENTITIES,
    deps.countsTtlMs,
  );
  const now = deps.now ?? (() => new Date());

  // Concurrent callers (the parts of one page, the gauges of one scrape) share one status() call
  // (several queries); a call made after it settled reads afresh, so a page never shows old stages.
  let inFlight: Promise<RouterStatus> | undefined;
  const currentStatus = () => {
    inFlight ??= migration.status().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };

  return {
    async listDomains() {
      const s = await currentStatus();
      return s.domains.map((d) => ({
        domain: d.domain,
        stage: d.stage,
        group: d.group.length > 1 ? [...d.group] : [],
        entities: entitiesOfDomain(d.domain),
        ...(d.since ? { changedAt: toIso(d.since) } : {}),
        ...(d.pending
          ? { pending: { stage: d.pending.stage, effectiveAt: toIso(d.pending.effectiveAt) } }
          : {}),
      }));
    },

    async setStage(domain: string, stage: Stage) {
      const result = await migration.setStage({
        target: domain,
        stage,
        by: deps.by ?? 'dashboard',
        reason: 'dashboard',
      });
      const mine = result.moves.find((m) => m.domain === domain);
      if (result.ok) return { ok: true, stage, reasons: [] };
      return {
        ok: false,
        stage: mine?.from ?? migration.stageOf(domain as never),
        reasons: result.reasons.map((r) => r.message),
      };
    },

    async journal(domain, limit = 20) {
      const lag = (await migration.lag()).filter((l) => l.domain === domain);
      const oldest = lag.map((l) => l.oldestAt).filter((d): d is Date => d !== null);
      const oldestMs = oldest.length > 0 ? Math.min(...oldest.map((d) => d.getTime())) : null;
      const entries =
        limit > 0
          ? (await Promise.all(journals.map((j) => j.list({ domain, limit }))))
              .flat()
              .sort((a, b) => a.firstAt.getTime() - b.firstAt.getTime())
              .slice(0, limit)
              .map(journalEntry)
          : [];
      return {
        domain,
        depth: lag.reduce((n, l) => n + l.depth, 0),
        oldestAgeSeconds: oldestMs === null ? null : Math.max(0, (now().getTime() - oldestMs) / 1000),
        entries,
      };
    },

    async lastVerify() {
      return (await latestVerifyResults(pg)).map(verifySummary);
    },

    async shadowSamples(domain, limit = 10) {
      const rows = await shadow.recentMismatches(domain, limit);
      return rows.map(
        (m, i): ShadowSample => ({
          id: `${domain}:${m.at.getTime()}:${i}`,
          domain,
          method: m.method,
          recordKey: m.key,
          at: toIso(m.at),
          diffs: m.diff.map(
            (d): FieldDiff =>
              m.servedFrom === 'redis'
                ? { path: d.path, redis: d.served, postgres: d.compared }
                : { path: d.path, redis: d.compared, postgres: d.served },
          ),
        }),
      );
    },

    async shadowStats() {
      const s = await currentStatus();
      return s.domains
        .filter((d) => d.shadow !== null)
        .map((d) => ({ domain: d.domain, compared: d.shadow!.compared, mismatched: d.shadow!.mismatched }));
    },

    backfillProgress: backfill,
    counts,

    async routerCounters() {
      const s = await currentStatus();
      return {
        fallbacks: { ...s.process.fallbacks },
        fallbackHits: { ...s.process.fallbackHits },
        journaled: { ...s.process.journaled },
      };
    },
  };
}
