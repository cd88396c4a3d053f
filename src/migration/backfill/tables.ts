/**
 * Column metadata of the target tables, read from the Drizzle definitions, and the two encodings
 * rows are shipped in: COPY text format (postgres.js) and JSON objects for
 * `jsonb_populate_recordset` (PGlite, neon-ws), which, unlike UNNEST, also carries array columns.
 */
import { getTableColumns, type Table } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { quoteIdent } from './session.js';

export interface ColumnSpec {
  /** Drizzle field name (the mapper row's key). */
  field: string;
  /** SQL column name. */
  name: string;
  /** Drizzle column type (`PgText`, `PgArray`, `PgJsonb`, …). */
  type: string;
}

export interface TableSpec {
  table: PgTable;
  name: string;
  columns: ColumnSpec[];
  byField: Map<string, ColumnSpec>;
  /** Primary-key column names. */
  pk: string[];
}

const cache = new Map<Table, TableSpec>();

export function tableSpec(table: PgTable): TableSpec {
  const hit = cache.get(table);
  if (hit) return hit;
  const config = getTableConfig(table);
  const columns = Object.entries(getTableColumns(table)).map(([field, c]) => ({
    field,
    name: c.name,
    type: c.columnType,
  }));
  const pk =
    config.primaryKeys[0]?.columns.map((c) => c.name) ??
    config.columns.filter((c) => c.primary).map((c) => c.name);
  const spec = { table, name: config.name, columns, byField: new Map(columns.map((c) => [c.field, c])), pk };
  cache.set(table, spec);
  return spec;
}

/** The columns a batch of mapper rows sets (all rows of one mapper have the same keys). */
export function rowColumns(spec: TableSpec, rows: readonly Record<string, unknown>[]): ColumnSpec[] {
  const fields = new Set<string>();
  for (const r of rows) for (const k in r) fields.add(k);
  return spec.columns.filter((c) => fields.has(c.field));
}

// ---- COPY text format ----------------------------------------------------------------------

function copyEscape(text: string): string {
  return text.replace(/[\\\n\r\t]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t',
  );
}

function arrayLiteral(items: readonly unknown[]): string {
  const parts = items.map((x) => (x === null ? 'NULL' : `"${String(x).replace(/["\\]/g, '\\$&')}"`));
  return `{${parts.join(',')}}`;
}

function copyValue(column: ColumnSpec, value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return `\\\\x${Buffer.from(value).toString('hex')}`;
  switch (column.type) {
    case 'PgJsonb':
    case 'PgJson':
      return copyEscape(JSON.stringify(value));
    case 'PgArray':
      return copyEscape(arrayLiteral(value as unknown[]));
    case 'PgBoolean':
      return value ? 't' : 'f';
    default:
      return copyEscape(String(value));
  }
}

/** One COPY text line (tab-separated, escaped). */
export function copyLine(columns: readonly ColumnSpec[], row: Record<string, unknown>): string {
  return columns.map((c) => copyValue(c, row[c.field])).join('\t');
}

// ---- JSON rows for jsonb_populate_recordset ------------------------------------------------

/** A row keyed by SQL column name, in the JSON form `jsonb_populate_recordset` converts back exactly. */
export function jsonRow(
  columns: readonly ColumnSpec[],
  row: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of columns) {
    const v = row[c.field];
    out[c.name] = v instanceof Uint8Array ? `\\x${Buffer.from(v).toString('hex')}` : (v ?? null);
  }
  return out;
}

/** Inserts `rows` into `target` (a table or staging table with `spec`'s columns): COPY or JSON chunks. */
export async function bulkInsert(
  session: {
    canCopy: boolean;
    copyIn: (t: string, c: readonly string[], l: readonly string[]) => Promise<void>;
    query: (t: string, p?: unknown[]) => Promise<unknown>;
  },
  target: string,
  columns: readonly ColumnSpec[],
  rows: readonly Record<string, unknown>[],
  chunk = 1000,
): Promise<void> {
  if (rows.length === 0) return;
  if (session.canCopy) {
    await session.copyIn(
      quoteIdent(target),
      columns.map((c) => c.name),
      rows.map((r) => copyLine(columns, r)),
    );
    return;
  }
  const list = columns.map((c) => quoteIdent(c.name)).join(', ');
  for (let i = 0; i < rows.length; i += chunk) {
    const json = JSON.stringify(rows.slice(i, i + chunk).map((r) => jsonRow(columns, r)));
    await session.query(
      `INSERT INTO ${quoteIdent(target)} (${list}) SELECT ${list} FROM jsonb_populate_recordset(NULL::${quoteIdent(target)}, $1::jsonb)`,
      [json],
    );
  }
}
