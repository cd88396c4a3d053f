/**
 * The transaction type every Postgres repository step receives (`…Tx(deps, tx, …)`), the one place
 * that reads a driver error's SQLSTATE (Drizzle wraps driver errors in `cause`; the three drivers all
 * expose the code as `code`), and the helpers of the hot paths (checkout): {@link pipelined} reads,
 * {@link writeAll}, which runs many writes as one statement, and {@link selectRows} /
 * {@link insertRows}, statements built from the Drizzle table definitions with the columns listed
 * once per table. (On the shared 2-core test machine Drizzle's query builders took 100–300 µs of
 * CPU to turn one many-column statement into text, more than a local round trip; these build the
 * same SQL from a cached column list and map values with the same column codecs.)
 */
import { getTableColumns, getTableName, is, SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgInsertValue, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from './client.js';

/** The Drizzle transaction handed to `pg.db.transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** The SQLSTATE of a database error (e.g. `23505`), looking through Drizzle's wrapper; undefined otherwise. */
export function sqlState(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The constraint a database error names, when the driver reports it. */
export function violatedConstraint(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const rec = e as { constraint?: unknown; constraint_name?: unknown };
    const name = rec.constraint ?? rec.constraint_name;
    if (typeof name === 'string') return name;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Deadlock (40P01) or serialization failure (40001): Postgres rolled the transaction back, a re-run is safe. */
export function isTransientConflict(err: unknown): boolean {
  const state = sqlState(err);
  return state === '40P01' || state === '40001';
}

let retries = 0;

/** How many transactions {@link retryTransient} has re-run in this process (tests assert none did). */
export function transientRetryCount(): number {
  return retries;
}

/**
 * Runs `work` (a whole transaction) again, up to `attempts` times in all, when it fails with a
 * deadlock or serialization failure; any other error, or the last one, is thrown.
 */
export async function retryTransient<T>(work: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (attempt >= attempts || !isTransientConflict(err)) throw err;
      retries++;
      // Jittered, growing pause, so the transactions that collided do not meet again at once.
      await new Promise((r) => setTimeout(r, attempt * (2 + Math.random() * 8)));
    }
  }
}

/**
 * Waits for queries the caller has already started on one transaction, one after another without
 * waiting for each answer: postgres.js pipelines them on the transaction's connection (one round
 * trip), the other drivers queue them. The server runs them in the order they were started, each with
 * its own snapshot, so a read started after a row lock sees everything committed before the lock was
 * granted. Start them all the same way (async functions whose first await is `tx.execute`, such as
 * {@link selectRows}), so each reaches the driver after the same number of steps. Every query has settled
 * when this returns or throws (the first error), so nothing is left in flight on the connection.
 * An `undefined` slot (a query the caller does not need) stays undefined.
 */
export async function pipelined<T extends readonly (PromiseLike<unknown> | undefined)[]>(
  ...queries: T
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(queries);
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as {
    -readonly [K in keyof T]: Awaited<T[K]>;
  };
}

/** One data-modifying statement (with `RETURNING`) of a {@link writeAll}, and the rows it must return. */
export interface WritePart {
  /** Names the part in the error when its count is off. */
  what: string;
  /** The statement, not parenthesised (a Drizzle builder's `.getSQL()`, or {@link insertRows}). */
  query: SQL;
  rows: number;
}

/**
 * Runs every part as one statement (`WITH w0 AS (…), w1 AS (…) SELECT count(*) …`): one round trip,
 * and Postgres applies all of it or none. The caller has locked and checked the rows the parts
 * change, and each part is also guarded in its WHERE clause; a part that returns another number of
 * rows than it promised is a broken invariant and throws, so the caller's transaction rolls back.
 */
export async function writeAll(tx: Tx, parts: readonly WritePart[]): Promise<void> {
  if (parts.length === 0) return;
  const ctes = sql.join(
    parts.map((p, i) => sql`${sql.identifier(`w${i}`)} as (${p.query})`),
    sql`, `,
  );
  const counts = sql.join(
    parts.map((_, i) => sql`(select count(*) from ${sql.identifier(`w${i}`)})`),
    sql`, `,
  );
  // One text column ("2,1,3"): no dependence on how each driver names or parses columns.
  const [row] = rowsOf(await tx.execute(sql`with ${ctes} select concat_ws(',', ${counts}) as n`));
  const got = String(row?.n ?? '').split(',');
  parts.forEach((p, i) => {
    if (Number(got[i]) !== p.rows) {
      throw new Error(`${p.what}: changed ${got[i]} rows, expected ${p.rows}`);
    }
  });
}

/** The rows of `tx.execute(…)`: postgres.js returns an array, PGlite and node-postgres `{ rows }`. */
export function rowsOf(result: unknown): Record<string, unknown>[] {
  if (Array.isArray(result)) return result as Record<string, unknown>[];
  return ((result as { rows?: unknown[] }).rows ?? []) as Record<string, unknown>[];
}

/** `(v1, v2, …), (…)`: a VALUES list of typed parameters, one tuple per row (`types[i]` casts column i). */
export function valuesList(rows: readonly (readonly unknown[])[], types: readonly string[]): SQL {
  return sql.join(
    rows.map(
      (r) =>
        sql`(${sql.join(
          r.map((v, i) => sql`${v}::${sql.raw(types[i]!)}`),
          sql`, `,
        )})`,
    ),
    sql`, `,
  );
}

interface TableShape {
  columns: [key: string, column: PgColumn][];
  /** `"price_cents" as "priceCents", …`: rows come back keyed as Drizzle's select keys them. */
  selectList: SQL;
  /** `insert into "t" ("a", "b", …) values `. */
  insertHead: SQL;
}

const shapes = new WeakMap<PgTable, TableShape>();
const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

function shapeOf(table: PgTable): TableShape {
  let shape = shapes.get(table);
  if (!shape) {
    const columns = Object.entries(getTableColumns(table)) as [string, PgColumn][];
    shape = {
      columns,
      selectList: sql.raw(columns.map(([key, c]) => `${quote(c.name)} as ${quote(key)}`).join(', ')),
      insertHead: sql.raw(
        `insert into ${quote(getTableName(table))} (${columns.map(([, c]) => quote(c.name)).join(', ')}) values `,
      ),
    };
    shapes.set(table, shape);
  }
  return shape;
}

/**
 * `select <every column> from <table> <rest>` (`rest`: WHERE, ORDER BY, FOR … written by the caller),
 * each value mapped by its column's codec, as Drizzle's `select().from(table)` returns rows. Starts
 * the query at once, so queries started one after another are sent in that order ({@link pipelined}).
 */
export async function selectRows<T extends PgTable>(
  tx: Tx,
  table: T,
  rest: SQL,
): Promise<T['$inferSelect'][]> {
  const { columns, selectList } = shapeOf(table);
  const raw = rowsOf(await tx.execute(sql`select ${selectList} from ${table} ${rest}`));
  return raw.map((r) => {
    const row: Record<string, unknown> = {};
    for (const [key, column] of columns) {
      const value = r[key];
      row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
    }
    return row as T['$inferSelect'];
  });
}

/**
 * `insert into <table> (<every column>) values (…), … [returning <column>]`, as Drizzle's insert
 * writes it: each value through its column's codec, `undefined` as `default`, SQL values inlined.
 */
export function insertRows<T extends PgTable>(
  table: T,
  rows: readonly PgInsertValue<T>[],
  returning?: PgColumn,
): SQL {
  const { columns, insertHead } = shapeOf(table);
  const tuples = rows.map((row) => {
    const values = columns.map(([key, column]) => {
      const value = (row as Record<string, unknown>)[key];
      if (value === undefined) return sql.raw('default');
      return is(value, SQL) ? value : sql.param(value, column);
    });
    return sql`(${sql.join(values, sql`, `)})`;
  });
  const tail = returning ? sql` returning ${sql.identifier(returning.name)}` : sql``;
  return sql`${insertHead}${sql.join(tuples, sql`, `)}${tail}`;
}

/** `"col" in ($1, $2, …)` for a non-empty list. */
export function inList(column: PgColumn, values: readonly unknown[]): SQL {
  return sql`${sql.identifier(column.name)} in (${sql.join(
    values.map((v) => sql.param(v, column)),
    sql`, `,
  )})`;
}
