/**
 * The only module that imports a Postgres client library. It opens one of three drivers behind one
 * Drizzle database type:
 * - `postgres-js` (postgres.js over TCP) for any `postgres://` URL;
 * - `neon-ws` (@neondatabase/serverless WebSocket Pool, which supports transactions) when the URL
 *   host ends in `.neon.tech` or `PG_DRIVER=neon-ws`; its HTTP mode is never used;
 * - `pglite` (embedded, in-process) when no URL is given.
 */
import { mkdirSync } from 'node:fs';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Sql } from 'postgres';
import { redactUrl } from '../../config.js';
import * as schema from './schema.js';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type DriverKind = 'postgres-js' | 'pglite' | 'neon-ws';

/** What differs between drivers, declared once instead of checked by name at call sites. */
export interface PgCapabilities {
  /** `COPY … FROM STDIN` through a writable stream (postgres.js). */
  copyFromStdin: boolean;
  /** Several connections, so concurrent transactions really run in parallel. */
  parallelConnections: boolean;
}

export interface PgHandle {
  kind: DriverKind;
  db: Db;
  capabilities: PgCapabilities;
  /** Runs raw SQL with positional parameters ($1…) and returns the rows. */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** The postgres.js client when kind is `postgres-js` (for COPY); otherwise undefined. */
  postgresJs?: import('postgres').Sql;
  /** Redacted description of the target, safe to log. */
  target: string;
  close(): Promise<void>;
}

export interface PgOptions {
  /** Connection string; undefined opens PGlite at `dataDir` (or in memory when dataDir is `memory://`). */
  url: string | undefined;
  dataDir?: string;
  /** Pool size for TCP drivers. */
  max?: number;
  /** Per-statement timeout in ms (seed §10: queries over 5 s are cancelled). 0 disables. */
  statementTimeoutMs?: number;
  driver?: DriverKind;
  /** `host:port` of a self-hosted Neon wsproxy (otherwise NEON_WS_PROXY, otherwise Neon's endpoint). */
  wsProxy?: string;
  /**
   * postgres.js only: run Drizzle's queries as named prepared statements (see {@link preparedByDefault}).
   * Default true; `false` (or `PG_PREPARE=false`) for a transaction-mode pooler that cannot keep them.
   */
  prepare?: boolean;
}

/**
 * Drizzle sends every query it did not name as an unnamed statement (`prepare: false`), and postgres.js
 * must describe an unnamed statement that has parameters before it can bind them: two round trips per
 * query. This view of the client makes them named prepared statements instead (postgres.js keeps one
 * per distinct SQL text and connection, for the connection's lifetime), so a query is one round trip.
 */
function preparedByDefault(sql: Sql): Sql {
  return new Proxy(sql, {
    get(target, prop, receiver) {
      if (prop === 'unsafe') {
        return (text: string, params?: never[], options?: { prepare?: boolean }) =>
          target.unsafe(text, params, { ...options, prepare: true });
      }
      // Transactions and savepoints hand their callback a new client; it gets the same view.
      if (prop === 'begin' || prop === 'savepoint') {
        const open = Reflect.get(target, prop, receiver) as (...args: unknown[]) => Promise<unknown>;
        return (...args: unknown[]) => {
          const work = args.pop() as (tx: Sql) => unknown;
          return open(...args, (tx: Sql) => work(preparedByDefault(tx)));
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

export async function openPostgres(opts: PgOptions): Promise<PgHandle> {
  const driver: DriverKind =
    opts.driver ??
    (process.env.PG_DRIVER as DriverKind | undefined) ??
    (!opts.url ? 'pglite' : /\.neon\.tech\b/.test(opts.url) ? 'neon-ws' : 'postgres-js');
  const statementTimeoutMs = opts.statementTimeoutMs ?? 5000;

  if (driver === 'pglite') {
    const { PGlite } = await import('@electric-sql/pglite');
    const { drizzle } = await import('drizzle-orm/pglite');
    const dir = opts.dataDir ?? 'memory://';
    if (!dir.startsWith('memory://')) mkdirSync(dir, { recursive: true });
    const client = await PGlite.create(dir);
    const db = drizzle(client, { schema }) as unknown as Db;
    return {
      kind: 'pglite',
      db,
      capabilities: { copyFromStdin: false, parallelConnections: false },
      query: async <T>(text: string, params?: unknown[]) =>
        (await client.query(text, params as unknown[])).rows as T[],
      target: `pglite:${dir}`,
      close: () => client.close(),
    };
  }

  if (!opts.url) throw new Error('a connection string is required for the TCP drivers');

  if (driver === 'neon-ws') {
    const { Pool, neonConfig } = await import('@neondatabase/serverless');
    const { drizzle } = await import('drizzle-orm/neon-serverless');
    const { default: ws } = await import('ws');
    neonConfig.webSocketConstructor = ws;
    // NEON_WS_PROXY=host:port points the driver at a self-hosted wsproxy (plain ws://, no TLS
    // pipelining), as for local development and tests; unset, it talks to Neon's own endpoint.
    const proxy = opts.wsProxy ?? process.env.NEON_WS_PROXY;
    if (proxy) {
      neonConfig.wsProxy = (host: string, port: number | string) => `${proxy}/v1?address=${host}:${port}`;
      neonConfig.useSecureWebSocket = false;
      neonConfig.pipelineTLS = false;
      neonConfig.pipelineConnect = false;
    }
    const pool = new Pool({ connectionString: opts.url, max: opts.max ?? 10 });
    if (statementTimeoutMs > 0) {
      pool.on('connect', (c: { query: (q: string) => Promise<unknown> }) => {
        c.query(`SET statement_timeout = ${Number(statementTimeoutMs)}`).catch(() => undefined);
      });
    }
    const db = drizzle(pool, { schema }) as unknown as Db;
    return {
      kind: 'neon-ws',
      db,
      capabilities: { copyFromStdin: false, parallelConnections: true },
      query: async <T>(text: string, params?: unknown[]) => (await pool.query(text, params)).rows as T[],
      target: redactUrl(opts.url),
      close: () => pool.end(),
    };
  }

  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const sql = postgres(opts.url, {
    max: opts.max ?? 10,
    onnotice: () => undefined,
    connection: statementTimeoutMs > 0 ? { statement_timeout: statementTimeoutMs } : {},
  });
  const prepare = opts.prepare ?? process.env.PG_PREPARE !== 'false';
  const db = drizzle(prepare ? preparedByDefault(sql) : sql, { schema }) as unknown as Db;
  return {
    kind: 'postgres-js',
    db,
    capabilities: { copyFromStdin: true, parallelConnections: true },
    query: async <T>(text: string, params?: unknown[]) =>
      (await sql.unsafe(text, params as never[])) as unknown as T[],
    postgresJs: sql,
    target: redactUrl(opts.url),
    close: () => sql.end({ timeout: 5 }),
  };
}
