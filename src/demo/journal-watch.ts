/**
 * Watches the repair journals (records whose shadow copy failed, waiting for the reconciler) and
 * keeps their peaks: overall, per domain and store, and per walk step (`mark` starts a new window).
 */
import type { JournalLag } from '../migration/journal/types.js';

export interface JournalPeak {
  /** `orders (postgres)`: the domain and the store holding the entries. */
  where: string;
  depth: number;
  at: Date;
}

export interface JournalWatch {
  /** Highest total depth seen since the last `mark` (and resets the window). */
  mark(): number;
  /** Highest total depth over the whole run. */
  peakTotal(): { depth: number; at: Date | null };
  /** Highest depth per domain and store, deepest first. */
  peaks(): JournalPeak[];
  /** Polls that failed (a journal that could not be read). */
  unreadable(): number;
  stop(): Promise<void>;
}

export function watchJournals(lag: () => Promise<JournalLag[]>, intervalMs = 250): JournalWatch {
  const peaks = new Map<string, JournalPeak>();
  let total = { depth: 0, at: null as Date | null };
  let windowPeak = 0;
  let failures = 0;
  let stopped = false;

  async function poll(): Promise<void> {
    try {
      const rows = await lag();
      const at = new Date();
      let sum = 0;
      for (const r of rows) {
        sum += r.depth;
        const where = `${r.domain} (${r.source})`;
        if (r.depth > (peaks.get(where)?.depth ?? 0)) peaks.set(where, { where, depth: r.depth, at });
      }
      if (sum > total.depth) total = { depth: sum, at };
      windowPeak = Math.max(windowPeak, sum);
    } catch {
      failures++;
    }
  }

  const running = (async () => {
    while (!stopped) {
      await poll();
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();

  return {
    mark() {
      const peak = windowPeak;
      windowPeak = 0;
      return peak;
    },
    peakTotal: () => ({ ...total }),
    peaks: () => [...peaks.values()].sort((a, b) => b.depth - a.depth || a.where.localeCompare(b.where)),
    unreadable: () => failures,
    async stop() {
      stopped = true;
      await running;
    },
  };
}
