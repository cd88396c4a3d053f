/**
 * One dedicated Postgres connection for the backfill: its transactions, savepoints, session-local
 * staging tables and (postgres.js) `COPY … FROM STDIN` all need the same connection. Built from the
 * handle `openPostgres` returns, so no client library is imported here.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DriverKind, PgHandle } from '../../backends/postgres/client.js';

export interface SqlSession {
  kind: DriverKind;
  /** `COPY … FROM STDIN` is available (the driver's `copyFromStdin` capability). */
  canCopy: boolean;
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Streams pre-encoded COPY text lines (no trailing newline) into `table (columns)`. */
  copyIn(table: string, columns: readonly string[], lines: readonly string[]): Promise<void>;
  /** Runs `fn` in a transaction; rolls back and rethrows on error. Serialised with other calls. */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /** Runs `fn` alone on the connection (between transactions). */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /** Drops the session's temp tables and hands the connection back. */
  release(): Promise<void>;
}

/** A minimal async mutex: callers run one at a time, in arrival order. */
class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

interface Raw {
  query(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  copyIn?(text: string, lines: readonly string[]): Promise<void>;
  /** The driver's own transaction, when BEGIN/COMMIT through `query` would not keep others out. */
  transaction?<T>(fn: () => Promise<T>): Promise<T>;
  release(): Promise<void>;
}

type PgliteQuery = { query(text: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }> };
type PgliteLike = PgliteQuery & { transaction<T>(fn: (tx: PgliteQuery) => Promise<T>): Promise<T> };
type PoolLike = {
  connect(): Promise<{
    query(text: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
    release(): void;
  }>;
};

async function rawConnection(pg: PgHandle): Promise<Raw> {
  if (pg.kind === 'postgres-js' && pg.postgresJs) {
    const reserved = await pg.postgresJs.reserve();
    return {
      // Unprepared: a cached plan keeps pointing at public tables after a dry run shadows them
      // with TEMP tables of the same names (creating a table does not invalidate cached plans).
      query: async (text, params) => [
        ...(await reserved.unsafe(text, (params ?? []) as never[], { prepare: false })),
      ],
      copyIn: async (text, lines) => {
        const stream = await reserved.unsafe(text).writable();
        await new Promise<void>((resolve, reject) => {
          stream.on('error', reject);
          stream.on('finish', resolve);
          const chunk = 512;
          for (let i = 0; i < lines.length; i += chunk)
            stream.write(`${lines.slice(i, i + chunk).join('\n')}\n`);
          stream.end();
        });
      },
      release: async () => reserved.release(),
    };
  }
  const client = (pg.db as unknown as { $client: unknown }).$client;
  if (pg.kind === 'pglite') {
    const lite = client as PgliteLike;
    // PGlite is one connection shared with every other user of the handle (the app, verify): after a
    // BEGIN sent through `query` their statements would run inside this transaction, and their
    // ROLLBACK would undo it. Its `transaction` keeps them waiting until COMMIT.
    let tx: PgliteQuery | undefined;
    return {
      query: async (text, params) => (await (tx ?? lite).query(text, params)).rows,
      transaction: (fn) =>
        lite.transaction(async (t) => {
          tx = t;
          try {
            return await fn();
          } finally {
            tx = undefined;
          }
        }),
      release: async () => undefined,
    };
  }
  const conn = await (client as PoolLike).connect();
  return {
    query: async (text, params) => (await conn.query(text, params)).rows,
    release: async () => conn.release(),
  };
}

export async function openSession(pg: PgHandle): Promise<SqlSession> {
  const raw = await rawConnection(pg);
  // Safe without waiting for the WAL flush: every batch commits its checkpoint in the same
  // transaction, so a server crash loses both together and the run redoes that batch.
  if (pg.kind !== 'pglite') await raw.query('SET synchronous_commit = off');
  // The merges' cost estimates pass jit_above_cost as the tables grow, and compiling them takes
  // longer than running them (each batch is a new statement: nothing is reused).
  await raw.query('SET jit = off');
  const lock = new Mutex();
  // Calls made inside a transaction (or exclusive section) run on it directly; any other caller waits.
  const holder = new AsyncLocalStorage<true>();
  const guarded = <T>(fn: () => Promise<T>) => (holder.getStore() ? fn() : lock.run(fn));
  return {
    kind: pg.kind,
    canCopy: pg.capabilities.copyFromStdin && raw.copyIn !== undefined,
    query: <T>(text: string, params?: unknown[]) => guarded(() => raw.query(text, params) as Promise<T[]>),
    copyIn: (table, columns, lines) => {
      if (!raw.copyIn) throw new Error(`COPY FROM STDIN is not available on ${pg.kind}`);
      const copy = raw.copyIn;
      return guarded(() => copy(`COPY ${table} (${columns.map(quoteIdent).join(', ')}) FROM STDIN`, lines));
    },
    transaction: (fn) =>
      lock.run(() =>
        holder.run(true, async () => {
          if (raw.transaction) return raw.transaction(fn);
          await raw.query('BEGIN');
          try {
            const result = await fn();
            await raw.query('COMMIT');
            return result;
          } catch (err) {
            await raw.query('ROLLBACK').catch(() => undefined);
            throw err;
          }
        }),
      ),
    exclusive: (fn) => lock.run(() => holder.run(true, fn)),
    // Temp tables (staging, a dry run's shadow tables) outlive the session on a pooled or shared
    // connection and would shadow the real tables for its next user: drop them first.
    release: () =>
      lock.run(async () => {
        try {
          await raw.query('DISCARD TEMP');
        } finally {
          await raw.release();
        }
      }),
  };
}

/** `"name"` with embedded quotes doubled. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
