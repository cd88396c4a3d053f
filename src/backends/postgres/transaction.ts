/**
 * The transaction type every Postgres repository step receives (`…Tx(deps, tx, …)`), and the one
 * place that reads a driver error's SQLSTATE. Drizzle wraps driver errors (`cause`), and the three
 * drivers all expose the code as `code`.
 */
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
