/**
 * The data layer the app calls: one repository per domain, the same interfaces whichever store is
 * behind them (Redis legacy layout, Postgres, or the migration router that routes between both).
 */
// DATA-LAYER-IMPORTS (one line per domain; keep this marker)

export type DataLayer = {};

/** Differences between backends, declared instead of checked by name (style.md). */
export interface BackendCapabilities {
  /** Name for logs and test titles: `redis`, `postgres`, `pglite`, `router:<stage>`. */
  name: string;
  /** Writes that touch several records are atomic (MULTI/EXEC, Lua, or SQL transactions). */
  atomicMultiRecordWrites: boolean;
  /** Listing everything scans the whole keyspace or index (Redis) rather than using a SQL index. */
  listsByScanningIndex: boolean;
}
