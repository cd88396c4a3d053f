/**
 * Postgres building blocks of the sync layer: keyset id pages, loads by id, and the one aggregate
 * upsert (parent row + replaced child rows, in one transaction, sync columns set).
 *
 * `sync_written_at` is set to now() on every write through this layer: a copy made by the router or
 * by repair carries the current state of the source, so a later backfill (which never overwrites a row
 * written after it read the key, decisions.md §8) must not replace it with an older snapshot.
 */
import { asc, eq, getTableColumns, gt, inArray, type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { PgWriter, SyncContext } from './types.js';

/** A loosely typed row: the mappers give each table's row its real type. */
export type AnyRow = Record<string, unknown>;

/** Ids of `table` in `column` order, `batchSize` per page (keyset: no OFFSET, stable under writes). */
export async function* postgresIdPages(
  ctx: SyncContext,
  table: PgTable,
  column: PgColumn,
  batchSize: number,
): AsyncGenerator<string[]> {
  let last: string | undefined;
  for (;;) {
    const rows = (await ctx.pg.db
      .select({ id: column })
      .from(table)
      .where(last === undefined ? undefined : gt(column, last))
      .orderBy(asc(column))
      .limit(batchSize)) as { id: string }[];
    if (rows.length > 0) yield rows.map((r) => r.id);
    if (rows.length < batchSize) return;
    last = rows[rows.length - 1]!.id;
  }
}

/** Rows of `table` whose `column` is one of `ids`. */
export async function selectByIds(
  db: PgWriter,
  table: PgTable,
  column: PgColumn,
  ids: readonly string[],
): Promise<AnyRow[]> {
  if (ids.length === 0) return [];
  return (await db
    .select()
    .from(table)
    .where(inArray(column, [...ids]))) as AnyRow[];
}

/** Groups child rows by their parent id column. */
export function groupBy(rows: readonly AnyRow[], field: string): Map<string, AnyRow[]> {
  const out = new Map<string, AnyRow[]>();
  for (const row of rows) {
    const id = String(row[field]);
    const list = out.get(id);
    if (list) list.push(row);
    else out.set(id, [row]);
  }
  return out;
}

/** The subset of `ids` that exist in `table.column` (for the `*_ref` FK columns). */
export async function existingIds(
  db: PgWriter,
  table: PgTable,
  column: PgColumn,
  ids: readonly (string | undefined | null)[],
): Promise<Set<string>> {
  const wanted = [...new Set(ids.filter((id): id is string => typeof id === 'string'))];
  if (wanted.length === 0) return new Set();
  const rows = (await db.select({ id: column }).from(table).where(inArray(column, wanted))) as {
    id: string;
  }[];
  return new Set(rows.map((r) => r.id));
}

/** Child rows of one aggregate, replaced wholesale (their keys are array positions, decisions.md §7). */
export interface ChildRows {
  table: PgTable;
  parentColumn: PgColumn;
  rows: AnyRow[];
}

/**
 * Inserts or updates one parent row and replaces its child rows, atomically. Returns true when the
 * parent row was inserted (it did not exist), so callers can link rows that reference it.
 */
export async function upsertAggregate(
  db: PgWriter,
  parent: { table: PgTable; target: PgColumn | PgColumn[]; row: AnyRow; sync?: boolean },
  children: readonly ChildRows[] = [],
): Promise<boolean> {
  const stamp = parent.sync === false ? {} : { syncWrittenAt: sql`now()` };
  const row = { ...parent.row, ...stamp };
  return db.transaction(async (tx) => {
    const result = (await tx
      .insert(parent.table)
      .values(row as never)
      .onConflictDoUpdate({ target: parent.target, set: row as never })
      .returning({ inserted: sql<boolean>`(xmax = 0)` })) as { inserted: boolean }[];
    const pk = Array.isArray(parent.target) ? parent.target[0]! : parent.target;
    const id = parent.row[fieldNameOf(parent.table, pk)];
    // The updated_at trigger replaces a value equal to the stored one with now() (drizzle 0001), so a
    // legacy updatedAt that did not change while other fields did is written back once more.
    const updatedAt = parent.row.updatedAt;
    const updatedAtColumn = getTableColumns(parent.table).updatedAt;
    if (updatedAt instanceof Date && updatedAtColumn && result[0]?.inserted !== true) {
      await tx
        .update(parent.table)
        .set({ updatedAt } as never)
        .where(
          sql`${pk} = ${id} AND ${updatedAtColumn} IS DISTINCT FROM ${updatedAt.toISOString()}::timestamptz`,
        );
    }
    for (const child of children) {
      await tx.delete(child.table).where(eq(child.parentColumn, id));
      if (child.rows.length > 0) await tx.insert(child.table).values(child.rows as never);
    }
    return result[0]?.inserted === true;
  });
}

/** Deletes the parent row whose `column` is `id` (child rows cascade); true when a row was deleted. */
export async function deleteById(
  db: PgWriter,
  table: PgTable,
  column: PgColumn,
  id: string | number,
): Promise<boolean> {
  const rows = (await db.delete(table).where(eq(column, id)).returning({ id: column })) as unknown[];
  return rows.length > 0;
}

/** Sets `refColumn = idColumn` on rows that name `id` but are not linked yet (a target just inserted). */
export async function linkRefs(
  db: PgWriter,
  table: PgTable,
  idColumn: PgColumn,
  refColumn: PgColumn,
  id: string,
): Promise<void> {
  await db
    .update(table)
    .set({ [fieldNameOf(table, refColumn)]: id } as never)
    .where(sql`${idColumn} = ${id} AND ${refColumn} IS NULL` as SQL);
}

/** The TypeScript field name of a column (Drizzle rows are keyed by it, not by the SQL name). */
export function fieldNameOf(table: PgTable, column: PgColumn): string {
  for (const [field, value] of Object.entries(getTableColumns(table))) if (value === column) return field;
  throw new Error(`column ${column.name} is not a column of its table`);
}
