/**
 * The repair journal: records whose shadow copy failed or timed out, kept durably IN THE SOURCE
 * STORE (the store that has the newest state of the record): a Redis sorted set while Redis is a
 * domain's source of truth, a Postgres table while Postgres is, so the journal survives the other
 * store being down. The reconciler copies each entry from its source to the other store until the
 * journal is empty. Both implementations share this interface and one test suite.
 */
import type { StoreName } from '../router/stages.js';

/** One record, named the way the entity sync layer names it. */
export interface RecordRef {
  domain: string;
  /** Sync-layer entity, e.g. `users`, `orders`, `points_transactions`. */
  entity: string;
  id: string;
}

export interface JournalEntry extends RecordRef {
  /** The store holding this journal: the side with the newest state of the record. */
  source: StoreName;
  /** First failure since the entry was last cleared. */
  firstAt: Date;
  /** Latest failure. */
  lastAt: Date;
  /** Reconcile attempts since the last new failure. */
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  /** Retries exhausted: only an explicit drain retries it. */
  parked: boolean;
  /** Changes on every new failure; removal and attempt bookkeeping are conditional on it. */
  gen: number;
}

/** Lag of one domain's journal. */
export interface JournalLag {
  domain: string;
  source: StoreName;
  depth: number;
  parked: number;
  oldestAt: Date | null;
}

/** The refs with duplicates (same entity and id) removed, first occurrence kept. */
export function uniqueRefs<R extends RecordRef>(refs: readonly R[]): R[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const k = `${r.entity}\u0000${r.id}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export interface Journal {
  readonly source: StoreName;
  /**
   * Records failures (one call per failed copy). An entry that exists keeps its `firstAt` and gets a
   * new generation; its first retry is due after `settleMs` (so a copy that timed out but still lands
   * cannot overwrite the reconciler's newer copy).
   */
  record(refs: readonly RecordRef[], error: string, settleMs: number): Promise<void>;
  /** Entries due for a retry (not parked, `nextAttemptAt` ≤ now), oldest first. */
  due(limit: number): Promise<JournalEntry[]>;
  /** Every entry (parked too), up to `limit`, oldest first. */
  list(opts?: { domain?: string; limit?: number }): Promise<JournalEntry[]>;
  /** Removes the entry if no failure was recorded since `entry` was read; true when removed. */
  clear(entry: JournalEntry): Promise<boolean>;
  /** Counts a failed attempt (same condition); parks it when `park`. */
  retryLater(entry: JournalEntry, error: string, nextAttemptAt: Date, park: boolean): Promise<void>;
  /** Makes every entry (of one domain, or all) due now, parked ones included; returns how many. */
  retryNow(domain?: string): Promise<number>;
  /** Depth, parked count and oldest entry per domain that has entries. */
  lag(): Promise<JournalLag[]>;
}
