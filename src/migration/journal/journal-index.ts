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
  // Entries per domain, kept in step with `bySource`: reads ask on every call, so no scan.
  const perDomain = new Map<string, number>();
  const count = (domain: string, delta: number) =>
    perDomain.set(domain, (perDomain.get(domain) ?? 0) + delta);
  const recount = () => {
    perDomain.clear();
    for (const entries of bySource.values()) for (const e of entries.values()) count(e.domain, 1);
  };

  return {
    sourceOf(entity, id) {
      for (const [source, entries] of bySource) if (entries.has(k(entity, id))) return source;
      return undefined;
    },
    hasEntries: (domain) => (perDomain.get(domain) ?? 0) > 0,
    add(refs, source) {
      const entries = bySource.get(source);
      if (!entries) return;
      const mine = recent.get(source) ?? new Map<string, { ref: RecordRef; at: number }>();
      recent.set(source, mine);
      for (const r of refs) {
        if (!entries.has(k(r.entity, r.id))) count(r.domain, 1);
        entries.set(k(r.entity, r.id), r);
        mine.set(k(r.entity, r.id), { ref: r, at: Date.now() });
      }
    },
    remove(entry) {
      const entries = bySource.get(entry.source);
      const known = entries?.get(k(entry.entity, entry.id));
      if (known && entries?.delete(k(entry.entity, entry.id))) count(known.domain, -1);
      recent.get(entry.source)?.delete(k(entry.entity, entry.id));
    },
    async refresh() {
      await Promise.all(
        journals.map(async (journal) => {
          const startedAt = Date.now();
          let listed: JournalEntry[];
          try {
            listed = await withTimeout(
              journal.list({ limit: LIMIT }),
              2000,
              `reading the ${journal.source} journal`,
            );
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
      recount();
    },
  };
}
