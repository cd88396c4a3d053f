/**
 * Postgres pool usage, measured around the client because postgres.js exposes no pool statistics
 * (and PGlite has one connection and no pool).
 *
 * What is measured: Postgres operations of this process in flight through a tracked handle: a
 * repository call on the Postgres store, a raw `PgHandle.query`, and every Drizzle query or
 * transaction on `PgHandle.db` (shadow copies, the reconciler, verify, drift checks, collectors).
 * Each holds at most one connection at a time (a transaction holds one, sequential queries reuse
 * one), so in-flight operations beyond the pool size are waiting for a connection. Nested operations
 * (a repository call that runs Drizzle queries) count once, through AsyncLocalStorage. Connections
 * held by other processes, and COPY streams on `PgHandle.postgresJs`, are not seen here.
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
  /** True inside {@link run}: an outer operation is counted already (and labels its errors). */
  nested(): boolean;
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
    nested: () => inside.getStore() === true,
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

/** Runs one operation; a timeout is counted under `source` unless an outer operation labels it. */
function tracked<T>(tracker: PoolTracker, source: string, fn: () => Promise<T>): Promise<T> {
  const outer = tracker.nested();
  return tracker.run(async () => {
    try {
      return await fn();
    } catch (err) {
      if (!outer) tracker.noteError(err, source);
      throw err;
    }
  });
}

type AnyFn = (...args: unknown[]) => unknown;

/**
 * A view of Drizzle's session whose prepared queries and transactions run as tracked operations.
 * Every query builder, `db.execute` and `db.transaction` of a Drizzle database reaches the database
 * through `db.session` (`prepareQuery(…).execute()/.all()`, `transaction(fn)`), whatever the
 * driver, so this one seam sees them all. Queries inside a transaction run on the transaction's own
 * session and are part of the transaction's one operation.
 */
function trackSession(session: object, tracker: PoolTracker, source: string): object {
  const view = Object.create(session) as Record<string, unknown>;
  const base = session as Record<string, AnyFn>;
  view.prepareQuery = (...args: unknown[]) => {
    const prepared = base.prepareQuery!.apply(view, args) as Record<string, AnyFn>;
    const q = Object.create(prepared) as Record<string, unknown>;
    for (const m of ['execute', 'all'] as const) {
      if (typeof prepared[m] !== 'function') continue;
      q[m] = (...a: unknown[]) => tracked(tracker, source, async () => prepared[m]!.apply(prepared, a));
    }
    return q;
  };
  view.transaction = (...args: unknown[]) =>
    tracked(tracker, source, async () => base.transaction!.apply(session, args));
  return view;
}

/**
 * The same handle with `query` (source `raw`) and Drizzle's `db` (source `db`) tracked: in-flight
 * operations and statement timeouts. The original handle is not changed.
 */
export function trackPgHandle(handle: PgHandle, tracker: PoolTracker): PgHandle {
  const db = Object.create(handle.db) as Record<string, unknown>;
  db.session = trackSession((handle.db as unknown as { session: object }).session, tracker, 'db');
  return {
    ...handle,
    db: db as unknown as PgHandle['db'],
    query: <T>(text: string, params?: unknown[]) =>
      tracked(tracker, 'raw', () => handle.query<T>(text, params)),
  };
}

/**
 * The pool size to report for a handle opened with `configured` connections: a driver without
 * parallel connections (PGlite: one embedded connection, queries run one after another) has one.
 */
export function effectivePoolMax(handle: Pick<PgHandle, 'capabilities'>, configured: number): number {
  return handle.capabilities.parallelConnections ? configured : 1;
}
