/** The public shapes of `runVerify`: options in, report out. */
import type { SyncContext } from '../entities/types.js';
import type { FieldDiff } from './diff.js';

/** Why a record counts against a clean verify. */
export type MismatchKind =
  | 'different'
  | 'missing_in_postgres'
  | 'missing_in_redis'
  | 'undecodable'
  | 'unlinked_ref';

/** One record that differs (or is missing on one side), as reported and stored. */
export interface Mismatch {
  entity: string;
  id: string;
  kind: MismatchKind;
  /** The Redis key, when the record exists there. */
  redisKey?: string;
  /** Field diffs of a `different` record (the first ones). */
  diffs?: FieldDiff[];
  /** Decode error, or the reference that is not linked. */
  detail?: string;
}

/** Counts of one entity. `redisRecords` and `postgresRecords` count records present on each side. */
export interface EntityCounts {
  redisRecords: number;
  postgresRecords: number;
  /** Present on both sides with the same canonical hash. */
  equal: number;
  different: number;
  missingInPostgres: number;
  missingInRedis: number;
  /** In Redis but not decodable, and not in the backfill's quarantine. */
  undecodable: number;
  /** Known to the backfill's quarantine: not migrated on purpose, not a mismatch. */
  quarantined: number;
  /** Present on one side only for a reason (an expired token, a log entry Redis trimmed). */
  skipped: number;
  /** Looked different at first, equal after the re-check (changed while comparing). */
  resolvedOnRecheck: number;
  /** Index entries naming no Redis record (legacy §8.1); informational. */
  danglingIndexIds: number;
  /** `*_ref` columns not set although the referenced row exists. */
  unlinkedRefs: number;
}

/** Records that make an entity unclean: different, missing on a side, undecodable or unlinked. */
export function mismatchCount(c: Partial<EntityCounts>): number {
  return (
    (c.different ?? 0) +
    (c.missingInPostgres ?? 0) +
    (c.missingInRedis ?? 0) +
    (c.undecodable ?? 0) +
    (c.unlinkedRefs ?? 0)
  );
}

/** The outcome for one entity. */
export interface EntityVerifyResult {
  entity: string;
  domain: string;
  clean: boolean;
  counts: EntityCounts;
  /** Child rows (items, variants): Σ over the Redis records vs rows in Postgres; informational. */
  childRows?: { redis: number; postgres: number };
  /** Reasons of `skipped` records, with counts. */
  skippedReasons: Record<string, number>;
  /** The first mismatches (`sample` of them) with their field diffs. */
  samples: Mismatch[];
}

/** A reference kept although its target is gone (legacy keeps them, decisions.md §6): informational. */
export interface DanglingReference {
  relation: string;
  count: number;
  sample: string[];
}

export interface RelationshipReport {
  dangling: DanglingReference[];
  /** Rows whose `*_ref` FK column is NULL although the referenced row exists (a problem). */
  unlinked: DanglingReference[];
  /** Child rows whose parent row is missing (impossible with the FKs; checked anyway). */
  orphanChildRows: DanglingReference[];
}

/** Base or variant stock that differs between the stores. */
export interface StockDrift {
  slug: string;
  /** Undefined for the base `stock`. */
  variantId?: string;
  redis: number | null | undefined;
  postgres: number | null | undefined;
}

/** A user's stored balance that differs between the stores. */
export interface BalanceDrift {
  userId: string;
  redis: number;
  postgres: number;
}

/** A balance that differs from the sum of its ledger (legacy §8.5), per side. */
export interface LedgerDiscrepancy {
  userId: string;
  balance: number;
  ledgerSum: number;
  difference: number;
}

export interface PointsReport {
  balanceDrift: { count: number; sample: BalanceDrift[] };
  ledger?: {
    redis: number;
    postgres: number;
    /** Recorded by the backfill in `points_discrepancies`; undefined when the table is absent. */
    recordedByBackfill: number | undefined;
    /** Redis discrepancies the backfill did not record (or recorded with another difference). */
    notRecorded: LedgerDiscrepancy[];
    /** Recorded by the backfill, no longer a discrepancy in Redis. */
    noLongerPresent: string[];
    /** Users whose discrepancy differs between Redis and Postgres. */
    sidesDisagree: string[];
  };
}

export interface VerifyReport {
  /** Id of the stored run (`migration_verify_runs`), when stored. */
  runId?: number;
  startedAt: string;
  durationMs: number;
  /** True when every entity is clean (no difference, no missing record, no unlinked reference). */
  clean: boolean;
  entities: Record<string, EntityVerifyResult>;
  relationships: RelationshipReport;
  stock: { count: number; sample: StockDrift[] };
  points: PointsReport;
}

export interface VerifyOptions {
  ctx: SyncContext;
  /** Entity or domain names; default every entity. */
  only?: readonly string[];
  /** Ids per batch (default 500). */
  batchSize?: number;
  /** Mismatches kept with field diffs per entity (default 5). */
  sample?: number;
  /** Field diffs kept per mismatch (default 20). */
  diffLimit?: number;
  /** Wait before re-checking a mismatch (default 250 ms). */
  recheckDelayMs?: number;
  /** Re-checks of a record that keeps changing (default 3). */
  recheckRounds?: number;
  /** Store the run in Postgres (default true). */
  store?: boolean;
  onProgress?: (event: { entity: string; phase: 'redis' | 'postgres' | 'checks'; done: number }) => void;
}
