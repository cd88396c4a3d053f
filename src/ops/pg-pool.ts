/**
 * Postgres pool usage, measured around the client because postgres.js exposes no pool statistics.
 *
 * What is measured: Postgres operations of this process in flight (a repository call on the Postgres
 * store, or a raw `PgHandle.query`). Each holds at most one connection at a time (a transaction
 * holds one, sequential queries reuse one), so in-flight operations beyond the pool size are waiting
 * for a connection. Nested operations (a repository call that runs raw queries) count once, through
 * AsyncLocalStorage. Connections held by other processes are not seen here.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { PgHandle } from '../backends/postgres/client.js';
import { isStatementTimeout } from './error-kind.js';
import type { OpsMetrics } from './metrics.js';

export interface PoolSnapshot {
  max: number;
  /** Operations holding a connection: min(in flight, max). */
  inUse: number;
  /** Operations in flight beyond the pool size. */
  waiting: number;
}

/** Counts Postgres operations in flight and statement timeouts; feeds the pool gauges. */
export interface PoolTracker {
  readonly max: number;
  /** Runs `fn` as one Postgres operation (nested calls count once). */
  run<T>(fn: () => Promise<T>): Promise<T>;
  snapshot(): PoolSnapshot;
  /** Counts the error once (across nested wrappers) when it is a statement timeout. */
  noteError(err: unknown, source: string): void;
}

const counted = new WeakSet<object>();

export function createPoolTracker(metrics: OpsMetrics, max: number): PoolTracker {
  const inside = new AsyncLocalStorage<true>();
  let inFlight = 0;
  metrics.pgPoolMax.set(max);
  const publish = () => {
    metrics.pgPoolInUse.set(Math.min(inFlight, max));
    metrics.pgPoolWaiting.set(Math.max(0, inFlight - max));
  };
  publish();

  const tracker: PoolTracker = {
    max,
    async run<T>(fn: () => Promise<T>): Promise<T> {
      if (inside.getStore()) return fn();
      inFlight++;
      if (inFlight > max) metrics.pgPoolWaits.inc();
      publish();
      try {
        return await inside.run(true, fn);
      } finally {
        inFlight--;
        publish();
      }
    },
    snapshot: () => ({ max, inUse: Math.min(inFlight, max), waiting: Math.max(0, inFlight - max) }),
    noteError(err, source) {
      if (!isStatementTimeout(err) || typeof err !== 'object' || err === null) return;
      if (counted.has(err)) return;
      counted.add(err);
      metrics.pgStatementTimeouts.inc({ source });
    },
  };
  return tracker;
}

/**
 * The same handle with `query` tracked (in flight, timeouts with source `raw`). Drizzle's `db` is
 * passed through unchanged: its queries are seen through the repository wrapper instead.
 */
export function trackPgHandle(handle: PgHandle, tracker: PoolTracker): PgHandle {
  return {
    ...handle,
    query: <T>(text: string, params?: unknown[]) =>
      tracker.run(async () => {
        try {
          return await handle.query<T>(text, params);
        } catch (err) {
          tracker.noteError(err, 'raw');
          throw err;
        }
      }),
  };
}
