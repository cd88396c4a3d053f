/**
 * The records this process is writing to both stores, or wrote a moment ago (its own dual-writes and
 * the reconciler's repairs). A shadow read that still differs after its re-check on such a record saw
 * a copy in flight, not drift: it is counted as `in-flight`, apart from the mismatches. Writes of other
 * processes are not known here; the re-check and the journal (shared) cover them.
 */
import { entityOfKey } from '../journal/refs.js';
import type { TouchedKey } from './declare.js';
import { domainOfEntity } from './domains.js';

export interface WriteTracker {
  /** Registers the write's records once they are known (after the primary answered). */
  touch(keys: readonly TouchedKey[]): void;
  /** The write (with its shadow copy or journal entry) is over. */
  end(): void;
}

export interface RecentWrites {
  /** A write of `domains` starts (its records are not known yet). */
  begin(domains: readonly string[]): WriteTracker;
  /** Records just copied outside a write (a reconciler repair). */
  copied(keys: readonly TouchedKey[]): void;
  /**
   * A write of one of `keys` was running at `since` or later, or ended less than the recent window
   * before it. With no keys (a read that names no record), any write of `domain` counts.
   */
  overlaps(domain: string, keys: readonly TouchedKey[], since: number): boolean;
}

interface Mark {
  running: number;
  endedAt: number;
}

export function createRecentWrites(opts: { recentMs: number; now?: () => number }): RecentWrites {
  const now = opts.now ?? Date.now;
  const byKey = new Map<string, Mark>();
  const byDomain = new Map<string, Mark>();
  let sweptAt = now();
  const id = (k: TouchedKey) => `${entityOfKey(k)}\u0000${k.id}`;

  const start = (map: Map<string, Mark>, k: string) => {
    const m = map.get(k) ?? { running: 0, endedAt: 0 };
    m.running++;
    map.set(k, m);
  };
  const finish = (map: Map<string, Mark>, k: string, at: number) => {
    const m = map.get(k);
    if (!m) return;
    m.running = Math.max(0, m.running - 1);
    m.endedAt = at;
  };
  const recent = (m: Mark | undefined, since: number) =>
    m !== undefined && (m.running > 0 || m.endedAt >= since - opts.recentMs);

  // Marks older than the window say nothing any more; dropped at most once per window.
  const sweep = (at: number) => {
    if (at - sweptAt < Math.max(opts.recentMs, 1000) * 10) return;
    sweptAt = at;
    const horizon = at - Math.max(opts.recentMs, 1000) * 10;
    for (const map of [byKey, byDomain])
      for (const [k, m] of map) if (m.running === 0 && m.endedAt < horizon) map.delete(k);
  };

  return {
    begin(domains) {
      const mine = [...new Set(domains)];
      for (const d of mine) start(byDomain, d);
      const keys: string[] = [];
      let ended = false;
      return {
        touch(ks) {
          if (ended) return;
          for (const k of ks) {
            keys.push(id(k));
            start(byKey, id(k));
          }
        },
        end() {
          if (ended) return;
          ended = true;
          const at = now();
          for (const d of mine) finish(byDomain, d, at);
          for (const k of keys) finish(byKey, k, at);
          sweep(at);
        },
      };
    },

    copied(ks) {
      const at = now();
      const mark = (map: Map<string, Mark>, k: string) =>
        map.set(k, { running: map.get(k)?.running ?? 0, endedAt: at });
      for (const k of ks) {
        mark(byKey, id(k));
        const domain = domainOfEntity(entityOfKey(k));
        if (domain) mark(byDomain, domain);
      }
      sweep(at);
    },

    overlaps(domain, keys, since) {
      if (keys.length === 0) return recent(byDomain.get(domain), since);
      return keys.some((k) => recent(byKey.get(id(k)), since));
    },
  };
}
