/** The backfill's public shapes: options in, report out (see `runBackfill`). */
import type { PgHandle } from '../../backends/postgres/client.js';
import type { RedisClient } from '../../backends/redis/client.js';

/** Counts of one report entity. For every entity: scanned = migrated + unchanged + quarantined + expired + keptInRedis. */
export interface EntityStats {
  /** Records read (for `admin_logs`: list entries; elsewhere one record per key). */
  scanned: number;
  /** Inserted or updated in Postgres (would be, under --dry-run). */
  migrated: number;
  /** Already in Postgres with the same `sync_hash`, or newer there (see `liveNewer`). */
  unchanged: number;
  quarantined: number;
  /** Key gone since discovery, or a token whose `expiresAt` has passed: counted, not migrated. */
  expired: number;
  /** Ephemeral families that stay in Redis (sessions, rate limits, webhook markers…). */
  keptInRedis: number;
  /** Of `unchanged`: rows a live write changed after the backfill read the key (never overwritten). */
  liveNewer: number;
  /** Redis keys the records came from (the key-accounting identity in {@link DiscoveryReport}). */
  keys: number;
}

/** One record or key that was not migrated, and why. */
export interface QuarantineEntry {
  key: string;
  entity: string;
  /** Offending field path (`items[2].quantity`), `''` for the whole value. */
  field: string;
  reason: string;
}

/** A stored balance that differs from the ledger sum (policy: the stored balance is kept). */
export interface PointsDiscrepancy {
  userId: string;
  storedBalance: number;
  ledgerSum: number;
  difference: number;
  ledgerEntries: number;
}

/** What SCAN and the legacy indexes said, and where they disagree (legacy-redis-format.md §8.1–§8.3). */
export interface DiscoveryReport {
  /**
   * Identity: keysScanned + foundOnlyViaIndex = Σ entities[*].keys + indexKeys, i.e. every key SCAN
   * found is counted exactly once, either under an entity or as an index key.
   */
  keysScanned: number;
  /** Records not returned by SCAN but named by an index and present when checked (written meanwhile). */
  foundOnlyViaIndex: number;
  /**
   * Index keys holding a record instead of a set (a scent, oil, container or wick with id `index`
   * overwrote its own index, §8.18): the index is lost, the record is migrated under its entity.
   */
  indexKeysHoldingRecords: string[];
  /** Index sets/lists and `user:email:*` pointers: read for discovery, not migrated as rows. */
  indexKeys: number;
  indexMembers: number;
  /** Index entries naming a record that does not exist. */
  danglingIndexIds: { count: number; items: { index: string; member: string }[] };
  /** Records missing from their family's main index (`orders:index`, `users:index`…). */
  unindexedRecords: { count: number; items: { key: string; index: string }[] };
  /** Ids listed more than once in one list (`orders:user:*`, `orders:guest:*`, `points:user:*`). */
  duplicateListEntries: { count: number; items: { index: string; member: string; occurrences: number }[] };
}

export interface BackfillReport {
  runId: string;
  /** `resumed` when an unfinished run was continued. */
  mode: 'fresh' | 'resumed' | 'dry-run';
  entities: Record<string, EntityStats>;
  quarantine: QuarantineEntry[];
  /** Entries beyond the ones listed (the full list stays in `backfill_quarantine`). */
  quarantineOmitted: number;
  discovery: DiscoveryReport;
  points: { usersCompared: number; discrepancies: PointsDiscrepancy[]; policy: string } | undefined;
  totals: { migrated: number; unchanged: number; quarantined: number; expired: number; keptInRedis: number };
  /** Wall time of each step in this invocation (a resumed run counts only its own part). */
  stepMs: Record<string, number>;
  durationMs: number;
  /** Peak resident memory of the process so far (the CLI's own peak; a host app's when embedded). */
  peakRssBytes: number;
  /** CPU time (user + system) the process used during the run. */
  cpuMs: number;
}

/** A progress tick, for the CLI's bars or lines. */
export interface ProgressEvent {
  step: string;
  done: number;
  /** Unknown while discovery is still scanning. */
  total: number | undefined;
}

export interface BackfillOptions {
  redis: RedisClient;
  pg: PgHandle;
  /** Legacy key prefix (KEY_PREFIX); empty for the store's own data. */
  prefix: string;
  /** Keys per batch (default 1000). */
  batchSize?: number;
  /**
   * Postgres connections writing batches in parallel, for the entities where order does not matter
   * (orders, ledger, purchases, refunds, tokens, products), and batches read from Redis ahead of
   * them (default 4). The pool of `pg` must hold `concurrency + 1` connections. PGlite and --dry-run
   * write on one connection.
   */
  concurrency?: number;
  /** Decode, map and validate everything; write nothing; report what would change. */
  dryRun?: boolean;
  /** Only these entities (table names); default all. */
  only?: readonly string[];
  /** Start over even if an unfinished run exists (default: resume it). */
  restart?: boolean;
  /** How many quarantine entries the report lists (default 1000; all stay in the table). */
  quarantineListLimit?: number;
  /** Called for every quarantined record, with the raw value (the CLI's --reject-file). */
  onReject?: (entry: QuarantineEntry & { raw: Uint8Array | null }) => void;
  onProgress?: (event: ProgressEvent) => void;
  /** Clock (tests). */
  now?: () => Date;
}
