/**
 * Shadow reads, Scientist-style: a sampled share of reads is run again on the other store, off the
 * request path and with a timeout, and the two results are compared in canonical form (the same
 * comparison as verify). A difference is re-checked once after a short delay (a concurrent write
 * between the two reads is not a mismatch). One that lasts on a record whose copy is still on its
 * way (a write of this process running or just finished, or a journaled repair) is counted as
 * `in-flight`, not as a mismatch; any other is stored with both values, and the records involved are
 * journaled so the reconciler copies them from the source of truth again. Counters carry the time of
 * the served read, so the guard's window starts exactly when the stage took effect. Calibration mode
 * compares the served store with itself, to measure the noise of the method.
 */
import { canonicalize } from '../../domain/canonical.js';
import { errorText, withTimeout } from '../journal/timeout.js';
import { envName } from '../stage-store/defaults.js';
import type { ReadDecl, TouchedKey } from './declare.js';
import { diffValues } from './diff.js';
import type { ShadowStore, StatsDelta } from './shadow-store.js';
import { otherStore, type StoreName } from './stages.js';

export interface ShadowReadOptions {
  /** Share of reads compared, 0–1, per domain (`default` for the others). Default 0.01. */
  sampleRate: Record<string, number> & { default?: number };
  /** Compare the served store with itself (noise measurement), per domain. */
  calibrate: readonly string[];
  /** The shadow read's time limit. Default 2000 ms. */
  timeoutMs: number;
  /** Delay before re-checking a difference. Default 200 ms. */
  recheckMs: number;
  /**
   * Extra margin: a record whose write by this process ended less than this long before the served
   * read started is still taken as in flight. Default 0 (a write that ended before the read started
   * had reached both stores, or journaled what had not).
   */
  recentWriteMs: number;
  /** Comparisons running at once; beyond it a sampled read is skipped. Default 32. */
  maxInFlight: number;
}

export const DEFAULT_SHADOW_READ_OPTIONS: ShadowReadOptions = {
  sampleRate: { default: 0.01 },
  calibrate: [],
  timeoutMs: 2000,
  recheckMs: 200,
  recentWriteMs: 0,
  maxInFlight: 32,
};

/**
 * Sampling from the environment: MIGRATION_SHADOW_SAMPLE_RATE (0–1, every domain),
 * MIGRATION_SHADOW_SAMPLE_RATE_<DOMAIN> (one domain, e.g. `_ALCOHOL_TYPES`) and
 * MIGRATION_SHADOW_CALIBRATE (comma-separated domains compared with their own store).
 */
export function shadowReadOptionsFromEnv(
  env: NodeJS.ProcessEnv,
  domains: readonly string[],
): Partial<ShadowReadOptions> {
  const rate = (raw: string | undefined) => {
    const n = raw === undefined || raw.trim() === '' ? Number.NaN : Number(raw);
    return Number.isFinite(n) && n >= 0 && n <= 1 ? n : undefined;
  };
  const sampleRate: ShadowReadOptions['sampleRate'] = { ...DEFAULT_SHADOW_READ_OPTIONS.sampleRate };
  const all = rate(env.MIGRATION_SHADOW_SAMPLE_RATE);
  if (all !== undefined) sampleRate.default = all;
  for (const d of domains) {
    const one = rate(env[`MIGRATION_SHADOW_SAMPLE_RATE_${envName(d)}`]);
    if (one !== undefined) sampleRate[d] = one;
  }
  const calibrate = (env.MIGRATION_SHADOW_CALIBRATE ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => domains.includes(s));
  return { sampleRate, ...(calibrate.length > 0 ? { calibrate } : {}) };
}

/** One read that was served; `run(store)` repeats it on a store. */
export interface ServedRead {
  domain: string;
  method: string;
  args: unknown[];
  decl: ReadDecl<(...args: never[]) => Promise<unknown>>;
  result: unknown;
  servedFrom: StoreName;
  /** The domain's source of truth (mismatched records are repaired from it). */
  primary: StoreName;
  /** When the read was served (ms since the epoch); default: when it is offered. */
  at?: number;
  run(store: StoreName): Promise<unknown>;
}

export interface ShadowReads {
  /** Samples and schedules a comparison; never blocks or throws. */
  offer(read: ServedRead): void;
  /** Counters not yet written, per domain (for status of this process). */
  pending(): StatsDelta[];
  /** Writes the counters to the shadow store (keeps them on failure). */
  flush(): Promise<void>;
  /** Resolves when no comparison is running (tests, shutdown). */
  idle(): Promise<void>;
}

export interface ShadowReadDeps {
  store: ShadowStore;
  options: ShadowReadOptions;
  /** Journals records whose stores disagree (copied from `primary` by the reconciler). */
  journal(keys: TouchedKey[], primary: StoreName, why: string): Promise<void>;
  /**
   * The records (none: the read names none) have a copy on its way: written by this process since
   * `since` (ms, less the recent window) or still being written, or waiting in a repair journal.
   */
  inFlight?(domain: string, keys: readonly TouchedKey[], since: number): boolean;
  onError?(message: string): void;
  random?: () => number;
}

export function createShadowReads(deps: ShadowReadDeps): ShadowReads {
  const { options } = deps;
  const random = deps.random ?? Math.random;
  const counters = new Map<string, StatsDelta>();
  const running = new Set<Promise<void>>();

  // One counter per domain, kind and millisecond of the served reads: the rate's window is exact.
  const add = (d: StatsDelta) => {
    const k = `${d.domain}\u0000${d.calibration}\u0000${d.at.getTime()}`;
    const c = counters.get(k);
    if (!c) counters.set(k, { ...d });
    else {
      c.compared += d.compared;
      c.mismatched += d.mismatched;
      c.errors += d.errors;
      c.inFlight += d.inFlight;
    }
  };
  const count = (
    read: ServedRead,
    calibration: boolean,
    field: 'compared' | 'mismatched' | 'errors' | 'inFlight',
  ) =>
    add({
      domain: read.domain,
      calibration,
      at: new Date(read.at ?? Date.now()),
      compared: 0,
      mismatched: 0,
      errors: 0,
      inFlight: 0,
      [field]: 1,
    });

  const project = (read: ServedRead, value: unknown) =>
    canonicalize(read.decl.compare ? read.decl.compare(value as never) : value);

  async function compare(read: ServedRead, calibration: boolean): Promise<void> {
    const other = calibration ? read.servedFrom : otherStore(read.servedFrom);
    const timed = (store: StoreName) =>
      withTimeout(read.run(store), options.timeoutMs, `shadow read ${read.method}`);
    try {
      let served = read.result;
      let shadow = await timed(other);
      if (project(read, served) !== project(read, shadow)) {
        await new Promise((r) => setTimeout(r, options.recheckMs));
        [served, shadow] = await Promise.all([timed(read.servedFrom), timed(other)]);
      }
      if (project(read, served) === project(read, shadow)) {
        count(read, calibration, 'compared');
        return;
      }
      const keys = keysOf(read, served, shadow);
      // Calibration reads one store twice: nothing is in flight between a store and itself.
      if (!calibration && deps.inFlight?.(read.domain, keys, read.at ?? Date.now())) {
        count(read, calibration, 'inFlight');
        return;
      }
      count(read, calibration, 'compared');
      count(read, calibration, 'mismatched');
      await withTimeout(
        deps.store.recordMismatch({
          domain: read.domain,
          method: read.method,
          key:
            keys.length > 0
              ? keys
                  .slice(0, 10)
                  .map((k) => `${'collection' in k ? k.collection : k.entity}:${k.id}`)
                  .join(' ')
              : `${read.method}(${JSON.stringify(read.args).slice(0, 200)})`,
          servedFrom: read.servedFrom,
          comparedWith: other,
          diff: diffValues(served, shadow),
          primaryValue: served,
          shadowValue: shadow,
          calibration,
        }),
        options.timeoutMs,
        'recording a mismatch',
      );
      if (!calibration && keys.length > 0)
        await deps.journal(keys, read.primary, `shadow read of ${read.method} differed`);
    } catch (err) {
      count(read, calibration, 'errors');
      deps.onError?.(`shadow read ${read.method}: ${errorText(err)}`);
    }
  }

  return {
    offer(offered) {
      const rate = options.sampleRate[offered.domain] ?? options.sampleRate.default ?? 0;
      if (rate <= 0 || random() >= rate || running.size >= options.maxInFlight) return;
      const read = { ...offered, at: offered.at ?? Date.now() };
      const calibration = options.calibrate.includes(read.domain);
      const job: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => compare(read, calibration))
        .finally(() => running.delete(job));
      running.add(job);
    },

    pending: () => [...counters.values()].map((c) => ({ ...c })),

    async flush() {
      const deltas = [...counters.values()];
      if (deltas.length === 0) return;
      counters.clear();
      try {
        await withTimeout(deps.store.addStats(deltas), 2000, 'saving shadow-read counters');
      } catch (err) {
        // Put them back: the counts must not be lost because Postgres blinked.
        for (const d of deltas) add(d);
        deps.onError?.(`shadow-read counters not saved: ${errorText(err)}`);
      }
    },

    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}

function keysOf(read: ServedRead, served: unknown, shadow: unknown): TouchedKey[] {
  const args = read.args as never;
  const all = [
    ...(read.decl.keys?.(args) ?? []),
    ...(served !== undefined ? (read.decl.resultKeys?.(served as never, args) ?? []) : []),
    ...(shadow !== undefined ? (read.decl.resultKeys?.(shadow as never, args) ?? []) : []),
  ];
  const seen = new Set<string>();
  return all.filter((k) => {
    const id = `${'collection' in k ? k.collection : k.entity}\u0000${k.id}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
