/**
 * Drains the journals: each due entry is copied from its source store (the one holding the journal)
 * to the other, comparing first so a repeat is a no-op, and removed only if no new failure was
 * recorded meanwhile. A failure is retried with exponential backoff; after `maxAttempts` the entry is
 * parked with its last error (visible in the lag and in `migrate:status`) until an operator drains it.
 */
import type { Breaker } from '../router/breaker.js';
import { type Copier, CopyError } from '../router/copier.js';
import { eachLimit, errorText, withDeadline, withTimeout } from './timeout.js';
import { otherStore, type StoreName } from '../router/stages.js';
import type { JournalIndex } from './journal-index.js';
import { keyOfEntry } from './refs.js';
import type { Journal, JournalEntry } from './types.js';

export interface ReconcilerOptions {
  /** Entries per journal per pass. Default 500. */
  batch: number;
  /** Attempts before an entry is parked. Default 12 (≈ 1 h of backoff with the defaults). */
  maxAttempts: number;
  /** First retry delay; doubles per attempt. Default 1000 ms. */
  baseBackoffMs: number;
  /** Retry delay cap. Default 10 min. */
  maxBackoffMs: number;
  /** One entry's copy. Default 5000 ms. */
  timeoutMs: number;
  /** Pause between passes when running in the background. Default 1000 ms. */
  intervalMs: number;
}

export const DEFAULT_RECONCILER_OPTIONS: ReconcilerOptions = {
  batch: 500,
  maxAttempts: 12,
  baseBackoffMs: 1000,
  maxBackoffMs: 600_000,
  timeoutMs: 5000,
  intervalMs: 1000,
};

export interface PassResult {
  cleared: number;
  failed: number;
  /** A journal that could not be read this pass (its store is down). */
  unreadable: StoreName[];
}

export interface Reconciler {
  /** One pass over the due entries of both journals. */
  runOnce(): Promise<PassResult>;
  /**
   * Makes every entry due (parked ones too), then passes until both journals are empty or
   * `timeoutMs` passes. Returns the entries left.
   */
  drain(opts: { timeoutMs: number }): Promise<JournalEntry[]>;
  start(): void;
  stop(): Promise<void>;
}

export interface ReconcilerDeps {
  journals: readonly Journal[];
  copier: Copier;
  /** Skips entries whose target store's breaker is open (no attempt is counted). */
  breaker?: Breaker;
  index?: JournalIndex;
  options?: Partial<ReconcilerOptions>;
  /** Told about each failed attempt (for logs). */
  onFailure?: (entry: JournalEntry, error: string) => void;
}

/** Records of one entity copied in one go, and chunks copied at the same time. */
const CHUNK = 100;
const CHUNKS_AT_ONCE = 4;

export function createReconciler(deps: ReconcilerDeps): Reconciler {
  const opts = { ...DEFAULT_RECONCILER_OPTIONS, ...deps.options };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<PassResult> | undefined;
  let stopped = true;

  async function settle(journal: Journal, entry: JournalEntry): Promise<boolean | 'skipped'> {
    const from = journal.source;
    const to = otherStore(from);
    if (deps.breaker && !deps.breaker.allow(to)) return 'skipped';
    try {
      await withDeadline(
        deps.copier.copy(from, to, [keyOfEntry(entry)], { compareFirst: true, maxRounds: 5, full: true }),
        opts.timeoutMs,
        `copy of ${entry.entity} ${entry.id}`,
        () => void relapse(journal, [entry]),
      );
      deps.breaker?.success(to);
      if (await withTimeout(journal.clear(entry), opts.timeoutMs, 'clearing a journal entry'))
        deps.index?.remove(entry);
      return true;
    } catch (err) {
      if (!(err instanceof CopyError)) deps.breaker?.failure(to);
      await retry(journal, entry, errorText(err));
      return false;
    }
  }

  // A copy that timed out and then landed may have written an older state over a newer copy: the
  // records are journaled again (new generation) so they are copied once more, after it.
  async function relapse(journal: Journal, entries: readonly JournalEntry[]): Promise<void> {
    await withTimeout(
      journal.record(entries, 'a timed-out copy landed late', 0),
      opts.timeoutMs,
      'journal',
    ).catch(() => undefined);
  }

  async function retry(journal: Journal, entry: JournalEntry, error: string): Promise<void> {
    deps.onFailure?.(entry, error);
    const delay = Math.min(opts.maxBackoffMs, opts.baseBackoffMs * 2 ** entry.attempts);
    const park = entry.attempts + 1 >= opts.maxAttempts;
    await withTimeout(
      journal.retryLater(entry, error, new Date(Date.now() + delay), park),
      opts.timeoutMs,
      'journal',
    ).catch(() => undefined);
  }

  // Records of one entity are copied together (one batched load per side); if that fails, one by one,
  // so a single bad record does not hold the others back.
  async function settleChunk(journal: Journal, chunk: JournalEntry[], result: PassResult): Promise<boolean> {
    const to = otherStore(journal.source);
    if (chunk.length > 1) {
      if (deps.breaker && !deps.breaker.allow(to)) return false;
      try {
        await withDeadline(
          deps.copier.copy(journal.source, to, chunk.map(keyOfEntry), {
            compareFirst: true,
            maxRounds: 5,
            full: true,
          }),
          opts.timeoutMs,
          `copy of ${chunk.length} ${chunk[0]!.entity} records`,
          () => void relapse(journal, chunk),
        );
        deps.breaker?.success(to);
        await eachLimit(chunk, 4, async (entry) => {
          if (await withTimeout(journal.clear(entry), opts.timeoutMs, 'clearing a journal entry'))
            deps.index?.remove(entry);
          result.cleared++;
        });
        return true;
      } catch (err) {
        if (!(err instanceof CopyError)) {
          deps.breaker?.failure(to);
          // The store is failing, not a record: count the attempt on every entry of the chunk.
          for (const entry of chunk) await retry(journal, entry, errorText(err));
          result.failed += chunk.length;
          return true;
        }
      }
    }
    for (const entry of chunk) {
      const outcome = await settle(journal, entry);
      if (outcome === 'skipped') return false; // the target is down: try again on the next pass
      if (outcome) result.cleared++;
      else result.failed++;
    }
    return true;
  }

  async function pass(): Promise<PassResult> {
    const result: PassResult = { cleared: 0, failed: 0, unreadable: [] };
    for (const journal of deps.journals) {
      let due: JournalEntry[];
      try {
        due = await withTimeout(
          journal.due(opts.batch),
          opts.timeoutMs,
          `reading the ${journal.source} journal`,
        );
      } catch {
        result.unreadable.push(journal.source);
        continue;
      }
      const byEntity = new Map<string, JournalEntry[]>();
      for (const e of due) byEntity.set(e.entity, [...(byEntity.get(e.entity) ?? []), e]);
      // Entities in dependency order (a child's `*_ref` links to a parent copied before it); the
      // chunks of one entity a few at a time. A chunk that finds the target down ends the pass.
      let targetDown = false;
      const entities = [...byEntity].sort(([a], [b]) => deps.copier.rank(a) - deps.copier.rank(b));
      for (const [entity, entries] of entities) {
        const size = entity.startsWith('@') ? 1 : CHUNK;
        const chunks: JournalEntry[][] = [];
        for (let i = 0; i < entries.length; i += size) chunks.push(entries.slice(i, i + size));
        for (let i = 0; i < chunks.length && !targetDown; i += CHUNKS_AT_ONCE) {
          const outcomes = await Promise.all(
            chunks.slice(i, i + CHUNKS_AT_ONCE).map((c) => settleChunk(journal, c, result)),
          );
          targetDown = outcomes.includes(false);
        }
        if (targetDown) break;
      }
    }
    return result;
  }

  const reconciler: Reconciler = {
    runOnce() {
      running ??= pass().finally(() => {
        running = undefined;
      });
      return running;
    },

    async drain({ timeoutMs }) {
      const deadline = Date.now() + timeoutMs;
      for (const j of deps.journals)
        await withTimeout(j.retryNow(), opts.timeoutMs, 'journal').catch(() => 0);
      for (;;) {
        const left: JournalEntry[] = [];
        for (const j of deps.journals)
          left.push(...(await withTimeout(j.list(), opts.timeoutMs, 'journal').catch(() => [])));
        if (left.length === 0 || Date.now() >= deadline) return left;
        const r = await reconciler.runOnce();
        if (r.cleared === 0) {
          // Entries waiting for their backoff are made due again: an operator asked for a drain.
          for (const j of deps.journals)
            await withTimeout(j.retryNow(), opts.timeoutMs, 'journal').catch(() => 0);
          await new Promise((resolve) =>
            setTimeout(resolve, Math.min(500, Math.max(0, deadline - Date.now()))),
          );
        }
      }
    },

    start() {
      if (!stopped) return;
      stopped = false;
      const loop = async () => {
        if (stopped) return;
        const r = await reconciler.runOnce().catch(() => undefined);
        if (!stopped) {
          // A full batch means more is waiting: go on at once instead of after the interval.
          const busy = r !== undefined && r.cleared + r.failed >= opts.batch;
          timer = setTimeout(loop, busy ? 0 : opts.intervalMs);
          timer.unref();
        }
      };
      timer = setTimeout(loop, opts.intervalMs);
      timer.unref();
    },

    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
  return reconciler;
}
