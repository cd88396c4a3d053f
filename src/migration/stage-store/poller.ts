/**
 * Each process's view of the stages: polls the stage store (default every second) and answers
 * `stageOf(domain)` from memory, so routing costs no round trip.
 *
 * A change is committed with `effective_at` = commit time + a switch delay longer than the poll
 * interval. Every process has seen the new row before that moment and switches exactly then, so the
 * processes of a fleet do not disagree for up to a poll interval (which matters when the source of
 * truth flips: two processes writing different primaries would lose updates). If the store cannot be
 * reached the view keeps its last known stages and says so in `health()`.
 */
import { withTimeout } from '../journal/timeout.js';
import type { Stage } from '../router/stages.js';
import { type StageStore, type StoredStage, stageAt } from './store.js';

export interface StageHealth {
  /** Last successful poll, or `null` if none succeeded yet. */
  lastOkAt: Date | null;
  /** Message of the last failed poll since the last success, else `null`. */
  lastError: string | null;
  /** True when the last poll failed: the stages shown are the last known ones (or the env defaults). */
  stale: boolean;
}

/** Where a domain's stage comes from right now. */
export interface DomainStageInfo {
  domain: string;
  stage: Stage;
  source: 'stored' | 'env-default';
  row: StoredStage | null;
  /** A stored change that is not in force yet (it will be at `effectiveAt`). */
  pending: { stage: Stage; effectiveAt: Date } | null;
}

export interface StageView {
  /** The stage in force for `domain` now (unknown domains: `redis`). */
  stageOf(domain: string): Stage;
  /** The domain's last stored change (previous → current stage, switching at `effectiveAt`), or null. */
  transitionOf(domain: string): { from: Stage; to: Stage; effectiveAt: Date } | null;
  /** Every known domain (the defaults' keys). */
  describe(): DomainStageInfo[];
  health(): StageHealth;
  /** Polls once now; never throws (failures land in `health()`). */
  refresh(): Promise<void>;
  /** Called after each poll that changed a row (not when a pending change takes effect). */
  onChange(listener: () => void): () => void;
  /** Starts polling every `pollMs` (unref'd timer). */
  start(): void;
  stop(): void;
}

export interface StageViewOptions {
  store: StageStore;
  defaults: ReadonlyMap<string, Stage>;
  pollMs?: number;
  /** A poll that takes longer counts as failed (the store may hang rather than refuse). Default 2000 ms. */
  timeoutMs?: number;
  now?: () => Date;
}

export const DEFAULT_POLL_MS = 1000;

export function createStageView(opts: StageViewOptions): StageView {
  const now = opts.now ?? (() => new Date());
  const pollMs = opts.pollMs ?? DEFAULT_POLL_MS;
  let rows = new Map<string, StoredStage>();
  let lastOkAt: Date | null = null;
  let lastError: string | null = null;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  const listeners = new Set<() => void>();

  const fallback = (domain: string): Stage => opts.defaults.get(domain) ?? 'redis';

  async function poll(): Promise<void> {
    try {
      const fresh = await withTimeout(opts.store.readAll(), opts.timeoutMs ?? 2000, 'reading the stages');
      const next = new Map(fresh.map((r) => [r.domain, r]));
      const changed =
        next.size !== rows.size || [...next].some(([d, r]) => rows.get(d)?.version !== r.version);
      rows = next;
      lastOkAt = now();
      lastError = null;
      if (changed) for (const listener of listeners) listener();
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
  }

  const view: StageView = {
    stageOf(domain) {
      const row = rows.get(domain);
      return row ? (stageAt(row, now(), fallback(domain)) ?? fallback(domain)) : fallback(domain);
    },
    transitionOf(domain) {
      const row = rows.get(domain);
      if (!row) return null;
      return { from: row.previousStage ?? fallback(domain), to: row.stage, effectiveAt: row.effectiveAt };
    },
    describe() {
      const domains = new Set([...opts.defaults.keys(), ...rows.keys()]);
      const at = now();
      return [...domains].map((domain) => {
        const row = rows.get(domain) ?? null;
        const pending =
          row && at.getTime() < row.effectiveAt.getTime()
            ? { stage: row.stage, effectiveAt: row.effectiveAt }
            : null;
        return {
          domain,
          stage: view.stageOf(domain),
          source: row ? 'stored' : 'env-default',
          row,
          pending,
        };
      });
    },
    health: () => ({ lastOkAt, lastError, stale: lastError !== null || lastOkAt === null }),
    refresh() {
      inFlight ??= poll().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start() {
      if (timer) return;
      timer = setInterval(() => void view.refresh(), pollMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
  return view;
}
