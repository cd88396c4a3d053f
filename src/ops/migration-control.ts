/**
 * What operations (metrics and the dashboard) need from the migration machinery: the stages and their
 * guard rails, the repair journal, verify results, shadow-read samples, backfill progress and record
 * counts. Adapters in `src/ops/adapters/` implement it over the router, verify and backfill modules,
 * so the dashboard and the collectors never import those modules directly.
 */

import { STAGES, type Stage } from '../migration/router/stages.js';

/** The per-domain stages in order (architecture.md, "Stages"): the router's list, one definition. */
export { STAGES, type Stage };

export function stageIndex(stage: Stage): number {
  return STAGES.indexOf(stage);
}

/** The stage one step forward (+1) or back (−1), or null at either end. */
export function neighbourStage(stage: Stage, direction: 1 | -1): Stage | null {
  return STAGES[stageIndex(stage) + direction] ?? null;
}

export interface DomainState {
  /** Router domain name (`orders`, `users`, …). */
  domain: string;
  stage: Stage;
  /** Domains that move together with this one (checkout group), including itself; [] when alone. */
  group: string[];
  /** Sync-layer entities stored by this domain (`orders`, `order_items`, …), to match verify and counts. */
  entities?: string[];
  /** When the stage last changed (ISO), if known. */
  changedAt?: string;
  /** A stored change that is not in force yet. */
  pending?: { stage: Stage; effectiveAt: string };
}

/** Result of a stage change: refused changes carry the guard-rail reasons, nothing is changed. */
export interface StageChangeResult {
  ok: boolean;
  /** The stage after the call (unchanged when refused). */
  stage: Stage;
  /** Why the change was refused (empty when ok). */
  reasons: string[];
}

/** One failed shadow write waiting for repair. */
export interface JournalEntry {
  id: string;
  domain: string;
  /** What to repair: the record key or id. */
  recordKey: string;
  /** Which store the write failed on. */
  target: string;
  /** The error text (already redacted). */
  error: string;
  attempts: number;
  /** ISO timestamp. */
  createdAt: string;
}

export interface JournalSummary {
  domain: string;
  depth: number;
  /** Seconds; null when the journal is empty. */
  oldestAgeSeconds: number | null;
  /** The oldest entries first, at most the `limit` asked for. */
  entries: JournalEntry[];
}

/** The last verify run of one entity. */
export interface VerifySummary {
  entity: string;
  /** ISO timestamp the run finished. */
  finishedAt: string;
  /** Records compared. */
  checked: number;
  missingInPostgres: number;
  missingInRedis: number;
  mismatched: number;
  /** Up to a few ids/keys of the records that differ or are missing, for the dashboard. */
  examples: string[];
}

export function isVerifyClean(v: VerifySummary): boolean {
  return v.missingInPostgres === 0 && v.missingInRedis === 0 && v.mismatched === 0;
}

/** One field that differs between the two stores in a shadow-read sample. */
export interface FieldDiff {
  /** Dotted path (`items.0.quantity`). */
  path: string;
  redis: unknown;
  postgres: unknown;
}

export interface ShadowSample {
  id: string;
  domain: string;
  /** Repository method that was compared. */
  method: string;
  recordKey: string;
  /** ISO timestamp. */
  at: string;
  diffs: FieldDiff[];
}

export interface ShadowStats {
  domain: string;
  compared: number;
  mismatched: number;
}

export interface BackfillProgress {
  entity: string;
  status: 'pending' | 'running' | 'done' | 'failed';
  processed: number;
  /** Records to copy (null until counted). */
  total: number | null;
  /** ISO timestamps. */
  startedAt: string | null;
  updatedAt: string | null;
  /** Records per second over the run so far (null when unknown). */
  ratePerSecond: number | null;
}

export interface StoreCounts {
  entity: string;
  /** Null when the count could not be taken (store unreachable, entity not stored there). */
  redis: number | null;
  postgres: number | null;
}

/**
 * Counts this process's router has kept since it started (monotonic), for routers that count events
 * instead of reporting each one through `MigrationEvents`.
 */
export interface RouterCounters {
  /** Reads retried on Redis after Postgres found nothing, per domain. */
  fallbacks: Record<string, number>;
  /** Of those, the ones Redis answered (Postgres is missing the record); absent = not reported. */
  fallbackHits?: Record<string, number>;
  /** Records journaled after a failed shadow write, per domain. */
  journaled: Record<string, number>;
}

/** The operations view of the migration. Every read returns `[]`/null when there is nothing. */
export interface MigrationControl {
  /** Every routed domain with its stage, in a stable order. */
  listDomains(): Promise<DomainState[]>;
  /** Moves a domain (and its group) to `stage`; refusals are values, not errors. */
  setStage(domain: string, stage: Stage): Promise<StageChangeResult>;
  /** Journal depth, oldest age and the oldest `limit` entries of one domain. */
  journal(domain: string, limit?: number): Promise<JournalSummary>;
  /** The last verify result per entity. */
  lastVerify(): Promise<VerifySummary[]>;
  /** The newest shadow-read mismatch samples of a domain. */
  shadowSamples(domain: string, limit?: number): Promise<ShadowSample[]>;
  /** Shadow-read comparisons and mismatches per domain (since the samples' retention start). */
  shadowStats(): Promise<ShadowStats[]>;
  backfillProgress(): Promise<BackfillProgress[]>;
  /** Record counts per entity in both stores. */
  counts(): Promise<StoreCounts[]>;
  /** This process's router counters, when the router keeps counts (see {@link RouterCounters}). */
  routerCounters?(): Promise<RouterCounters>;
}
