/** Checks the CLIs run before touching anything: the migrations that verify and repair need are applied. */
import type { PgHandle } from '../../backends/postgres/client.js';

/** Tables verify and repair read or write (the entity tables come with the first migration). */
export const REQUIRED_TABLES = ['migration_verify_runs', 'migration_verify_mismatches', 'users'] as const;

/** The required tables that do not exist in `pg`. */
export async function missingTables(pg: PgHandle): Promise<string[]> {
  const missing: string[] = [];
  for (const table of REQUIRED_TABLES) {
    const [row] = await pg.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table]);
    if (!row?.t) missing.push(table);
  }
  return missing;
}
