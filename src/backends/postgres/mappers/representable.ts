/**
 * What a legal domain value can hold but a Postgres column cannot. The codecs accept any JSON the
 * store could have written; a few such values have no exact Postgres form and would either fail the
 * whole statement (breaking a batch) or, worse, be changed silently by the driver:
 * - U+0000 in any text or JSON string: `text` and `jsonb` reject it;
 * - a lone UTF-16 surrogate: UTF-8 has no encoding for it, so `text` would silently store U+FFFD and
 *   `jsonb` rejects the escape;
 * - a whole number outside ±2^31 in an `integer` column (the codecs accept any safe integer);
 * - a timestamp before the year 1000 (year 0 is rejected, and the drivers misread two-digit years).
 * {@link rowProblems} names each one, so the backfill can quarantine the record with a reason.
 */
import { getTableColumns, type Table } from 'drizzle-orm';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `text` cannot be stored in Postgres, or undefined when it can. */
export function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains U+0000, which Postgres text cannot store';
  const m = LONE_SURROGATE.exec(text);
  if (!m) return undefined;
  return `contains a lone UTF-16 surrogate (\\u${m[0].charCodeAt(0).toString(16)}), which UTF-8 cannot encode`;
}

/** Problems of one JSON-ish value (strings and object keys, recursively), each prefixed with `path`. */
function valueProblems(value: unknown, path: string, out: string[]): void {
  if (typeof value === 'string') {
    const p = textProblem(value);
    if (p) out.push(`${path} ${p}`);
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) out.push(`${path} is not a finite number`);
  } else if (value instanceof Date) {
    const year = value.getUTCFullYear();
    if (Number.isNaN(value.getTime()) || year < 1000 || year > 9999) {
      out.push(`${path} is outside the years 1000–9999 that are stored exactly`);
    }
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) valueProblems(v, `${path}[${i}]`, out);
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      const p = textProblem(k);
      if (p) out.push(`${path} key ${JSON.stringify(k)} ${p}`);
      valueProblems(v, `${path}.${k}`, out);
    }
  }
}

/**
 * Why `row` (an insert row of `table`, as the mappers build it) cannot be stored exactly; empty when
 * it can. CHECK and UNIQUE constraints are not evaluated here: the database reports those.
 */
export function rowProblems(table: Table, row: Record<string, unknown>): string[] {
  const out: string[] = [];
  const columns = getTableColumns(table);
  for (const [field, value] of Object.entries(row)) {
    const column = columns[field];
    if (value === null || value === undefined || column === undefined) continue;
    const name = column.name;
    if (column.columnType === 'PgInteger' || column.columnType === 'PgSmallInt') {
      const max = column.columnType === 'PgSmallInt' ? 32_767 : INT32_MAX;
      const min = column.columnType === 'PgSmallInt' ? -32_768 : INT32_MIN;
      if (typeof value === 'number' && (!Number.isInteger(value) || value < min || value > max)) {
        out.push(`${name} ${value} does not fit a Postgres ${column.getSQLType()}`);
      }
      continue;
    }
    valueProblems(value, name, out);
  }
  return out;
}

/** {@link rowProblems} over a parent row and its child rows (`table` per row). */
export function rowsProblems(rows: readonly { table: Table; row: Record<string, unknown> }[]): string[] {
  return rows.flatMap(({ table, row }) => rowProblems(table, row));
}
