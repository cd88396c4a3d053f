/** Builds the Postgres (Drizzle) implementation of every repository. */
import type { BackendCapabilities, DataLayer } from '../../domain/data-layer.js';
import type { PgHandle } from './client.js';
// POSTGRES-IMPORTS (one line per domain; keep this marker)

export interface PgDeps {
  pg: PgHandle;
  /** Injected clock, so tests and the migration engine control timestamps. */
  now: () => Date;
}

export function postgresCapabilities(pg: PgHandle): BackendCapabilities {
  return {
    name: pg.kind === 'postgres-js' ? 'postgres' : pg.kind,
    atomicMultiRecordWrites: true,
    listsByScanningIndex: false,
  };
}

export function createPostgresDataLayer(deps: PgDeps): DataLayer {
  return {
    // POSTGRES-MEMBERS (one line per domain; keep this marker)
  };
}
