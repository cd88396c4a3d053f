/**
 * Each process's in-memory picture of both journals, refreshed with the stages (every poll) and
 * updated at once by this process's own failures and repairs. The router asks it, with no round
 * trip, whether a record is journaled and which store has its newest state.
 */
import type { StoreName } from '../router/stages.js';
import { withTimeout } from './timeout.js';
import type { Journal, JournalEntry, RecordRef } from './types.js';

export interface JournalIndex {
  /** The store holding the newest state of a journaled record, or undefined when it is not journaled. */
  sourceOf(entity: string, id: string): StoreName | undefined;
  /** The domain has journaled records (in either store). */
  hasEntries(domain: string): boolean;
  /** Entries of records whose copy from `source` failed just now. */
  add(refs: readonly RecordRef[], source: StoreName): void;
  remove(entry: { entity: string; id: string; source: StoreName }): void;
  /** Re-reads both journals; a journal that cannot be read keeps its last known entries. */
  refresh(): Promise<void>;
}

const LIMIT = 20_000;

export function createJournalIndex(journals: readonly Journal[]): JournalIndex {
  const bySource = new Map<StoreName, Map<string, RecordRef>>(journals.map((j) => [j.source, new Map()]));
  const k = (entity: string, id: string) => `${entity}\u0000${id}`;
  // Local additions survive a refresh whose listing started before them (it could not have seen them).
  const recent = new Map<StoreName, Map<string, { ref: RecordRef; at: number }>>();

  return {
    sourceOf(entity, id) {
      for (const [source, entries] of bySource) if (entries.has(k(entity, id))) return source;
      return undefined;
    },
    hasEntries(domain) {
      for (const entries of bySource.values()) for (const e of entries.values()) if (e.domain === domain) return true;
      return false;
    },
    add(refs, source) {
      const entries = bySource.get(source);
      if (!entries) return;
      const mine = recent.get(source) ?? new Map<string, { ref: RecordRef; at: number }>();
      recent.set(source, mine);
      for (const r of refs) {
        entries.set(k(r.entity, r.id), r);
        mine.set(k(r.entity, r.id), { ref: r, at: Date.now() });
      }
    },
    remove(entry) {
      bySource.get(entry.source)?.delete(k(entry.entity, entry.id));
      recent.get(entry.source)?.delete(k(entry.entity, entry.id));
    },
    async refresh() {
      await Promise.all(
        journals.map(async (journal) => {
          const startedAt = Date.now();
          let listed: JournalEntry[];
          try {
            listed = await withTimeout(journal.list({ limit: LIMIT }), 2000, `reading the ${journal.source} journal`);
          } catch {
            return; // that store is down: keep what we knew
          }
          const next = new Map<string, RecordRef>(listed.map((e) => [k(e.entity, e.id), e]));
          const mine = recent.get(journal.source);
          for (const [key, { ref, at }] of mine ?? []) {
            if (at >= startedAt) next.set(key, ref);
            else mine?.delete(key);
          }
          bySource.set(journal.source, next);
        }),
      );
    },
  };
}
