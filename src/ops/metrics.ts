/**
 * Every metric of the project, defined in one place: the names (which `ops/alerts.yml` and the tests
 * refer to), their labels and help texts, and the registry that serves them on `/metrics`.
 *
 * Push-style metrics (counters and histograms) are updated by the code that sees the event (the
 * instrumentation wrapper, the pool tracker, the migration event sink). State that lives in the
 * stores (journal depth, verify results, backfill progress, counts, drift) is pulled at scrape time
 * by the collectors in `collectors.ts`, which set the gauges declared here.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Metric names. Alerts, dashboards and tests use these strings, never their own spelling. */
export const METRIC = {
  /** Repository calls, by domain, store (`redis`, `postgres`, `router`, …), method and outcome. */
  operations: 'dcw_repo_operations_total',
  /** Latency of repository calls, by domain, store and method. */
  operationSeconds: 'dcw_repo_operation_duration_seconds',
  /** Shadow writes (the second store of dual-write) that failed and were journaled. */
  shadowWriteFailures: 'dcw_shadow_write_failures_total',
  /**
   * Reads Postgres could not answer that were retried on Redis (`postgres-read`), by `result`:
   * `found_in_fallback` (Redis had it: Postgres is missing data), `missing_in_both`, or `unreported`
   * when the router only reports that a fallback happened.
   */
  fallbackReads: 'dcw_fallback_reads_total',
  /** Mismatch ratio of the shadow-read samples stored in Postgres (pulled). */
  shadowMismatchRatio: 'dcw_shadow_read_mismatch_ratio',
  /** Entries in the repair journal (failed shadow writes not yet repaired), per domain. */
  journalDepth: 'dcw_repair_journal_depth',
  /** Age of the oldest repair-journal entry in seconds (0 when the journal is empty). */
  journalOldestAge: 'dcw_repair_journal_oldest_age_seconds',
  /** Current stage per domain as its index in `STAGES` (0 = redis … 5 = postgres-only). */
  stage: 'dcw_migration_stage',
  /** Backfill: records copied so far, per entity. */
  backfillProcessed: 'dcw_backfill_processed_records',
  /** Backfill: records to copy (as counted when the run started), per entity. */
  backfillTotal: 'dcw_backfill_total_records',
  /** Backfill: processed / total, 0–1. */
  backfillProgress: 'dcw_backfill_progress_ratio',
  /** Backfill: records per second over the run so far. */
  backfillRate: 'dcw_backfill_rate_records_per_second',
  /** Last verify per entity: 1 when clean (no missing, no mismatched record), else 0. */
  verifyClean: 'dcw_verify_last_clean',
  /** Last verify per entity: records missing on one side (`side` = the store that lacks them). */
  verifyMissing: 'dcw_verify_last_missing_records',
  /** Last verify per entity: records present on both sides whose canonical hashes differ. */
  verifyMismatched: 'dcw_verify_last_mismatched_records',
  /** Last verify per entity: when it finished (Unix seconds). */
  verifyTimestamp: 'dcw_verify_last_run_timestamp_seconds',
  /** Records per entity and store (pulled from the stores' counts). */
  storeRecords: 'dcw_store_records',
  /** Products/variants whose stock differs between Redis and Postgres (last drift check). */
  stockDriftItems: 'dcw_stock_drift_items',
  /** Σ |Redis stock − Postgres stock| over those items. */
  stockDriftUnits: 'dcw_stock_drift_units',
  /** Users whose points balance differs between Redis and Postgres (last drift check). */
  pointsDriftUsers: 'dcw_points_drift_users',
  /** Σ |Redis balance − Postgres balance| over those users. */
  pointsDriftPoints: 'dcw_points_drift_points',
  /** When the last drift check of a kind (`stock` / `points`) completed (Unix seconds). */
  driftCheckTimestamp: 'dcw_drift_last_check_timestamp_seconds',
  /** Configured maximum of Postgres connections of this process. */
  pgPoolMax: 'dcw_pg_pool_max',
  /** Postgres operations of this process in flight (each holds at most one connection). */
  pgPoolInUse: 'dcw_pg_pool_in_use',
  /** Postgres operations in flight beyond the pool size, i.e. waiting for a connection. */
  pgPoolWaiting: 'dcw_pg_pool_waiting',
  /** Postgres operations that started while the pool was full and had to wait. */
  pgPoolWaits: 'dcw_pg_pool_waits_total',
  /** Statements cancelled by the 5 s `statement_timeout` (SQLSTATE 57014). */
  pgStatementTimeouts: 'dcw_pg_statement_timeouts_total',
  /** A pull collector failed (the metric it feeds keeps its last value). */
  collectErrors: 'dcw_ops_collect_errors_total',
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/** Histogram buckets in seconds: Redis answers in under a millisecond, the statement timeout is 5 s. */
export const LATENCY_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** How long one pull result is reused by the gauges of its group (they are scraped together). */
const PULL_FRESH_MS = 1000;

/** Outcome label of a repository call. */
export type Outcome = 'ok' | 'not_found' | 'domain_error' | 'timeout' | 'error';

/** Groups of pulled gauges; one puller per group refreshes all of its gauges at scrape time. */
export type PullGroup = 'stages' | 'journal' | 'shadow' | 'backfill' | 'verify' | 'counts';

/** Refreshes the gauges of a group from the stores. A rejection is counted, never thrown to the scrape. */
export type Puller = () => Promise<void>;

/** The metric objects, typed by their labels. Build with {@link createMetrics}. */
export interface OpsMetrics {
  registry: Registry;
  /** Sets (or with `undefined` removes) the puller of a group; its gauges call it at scrape time. */
  setPuller(group: PullGroup, puller: Puller | undefined): void;
  operations: Counter<'domain' | 'store' | 'method' | 'outcome'>;
  operationSeconds: Histogram<'domain' | 'store' | 'method'>;
  shadowWriteFailures: Counter<'domain'>;
  fallbackReads: Counter<'domain' | 'result'>;
  shadowMismatchRatio: Gauge<'domain'>;
  journalDepth: Gauge<'domain'>;
  journalOldestAge: Gauge<'domain'>;
  stage: Gauge<'domain'>;
  backfillProcessed: Gauge<'entity'>;
  backfillTotal: Gauge<'entity'>;
  backfillProgress: Gauge<'entity'>;
  backfillRate: Gauge<'entity'>;
  verifyClean: Gauge<'entity'>;
  verifyMissing: Gauge<'entity' | 'side'>;
  verifyMismatched: Gauge<'entity'>;
  verifyTimestamp: Gauge<'entity'>;
  storeRecords: Gauge<'entity' | 'store'>;
  stockDriftItems: Gauge;
  stockDriftUnits: Gauge;
  pointsDriftUsers: Gauge;
  pointsDriftPoints: Gauge;
  driftCheckTimestamp: Gauge<'kind'>;
  pgPoolMax: Gauge;
  pgPoolInUse: Gauge;
  pgPoolWaiting: Gauge;
  pgPoolWaits: Counter;
  pgStatementTimeouts: Counter<'source'>;
  collectErrors: Counter<'source'>;
}

/**
 * A fresh registry with every metric registered (one per process, or one per test). Gauges that are
 * pulled start without series; the collectors fill them at scrape time.
 */
export function createMetrics(opts: { prefixLabels?: Record<string, string> } = {}): OpsMetrics {
  const registry = new Registry();
  if (opts.prefixLabels) registry.setDefaultLabels(opts.prefixLabels);
  const registers = [registry];
  const counter = <L extends string>(name: MetricName, help: string, labelNames: readonly L[] = []) =>
    new Counter<L>({ name, help, labelNames, registers });
  const gauge = <L extends string>(name: MetricName, help: string, labelNames: readonly L[] = []) =>
    new Gauge<L>({ name, help, labelNames, registers });

  const pullers = new Map<PullGroup, Puller>();
  // One refresh per group per scrape: every gauge of the group awaits the same promise, and a
  // scrape that follows within PULL_FRESH_MS reuses it.
  const inFlight = new Map<PullGroup, { at: number; done: Promise<void> }>();
  let collectErrors: Counter<'source'> | undefined;
  const pull = (group: PullGroup): Promise<void> => {
    const puller = pullers.get(group);
    if (!puller) return Promise.resolve();
    const cur = inFlight.get(group);
    if (cur && Date.now() - cur.at < PULL_FRESH_MS) return cur.done;
    const done = puller().catch(() => {
      collectErrors?.inc({ source: group });
    });
    inFlight.set(group, { at: Date.now(), done });
    return done;
  };
  const pulled = <L extends string>(
    group: PullGroup,
    name: MetricName,
    help: string,
    labelNames: readonly L[] = [],
  ) =>
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers,
      collect: () => pull(group),
    });

  // Counters the router counts in memory are advanced at scrape time by the `stages` puller; they
  // await it so a scrape shows the increments it caused.
  const pulledCounter = <L extends string>(
    group: PullGroup,
    name: MetricName,
    help: string,
    labelNames: readonly L[] = [],
  ) =>
    new Counter<L>({
      name,
      help,
      labelNames,
      registers,
      collect: () => pull(group),
    });

  const metrics: OpsMetrics = {
    registry,
    setPuller(group, puller) {
      inFlight.delete(group);
      if (puller) pullers.set(group, puller);
      else pullers.delete(group);
    },
    operations: counter(METRIC.operations, 'Repository calls by domain, store, method and outcome.', [
      'domain',
      'store',
      'method',
      'outcome',
    ]),
    operationSeconds: new Histogram({
      name: METRIC.operationSeconds,
      help: 'Latency of repository calls in seconds.',
      labelNames: ['domain', 'store', 'method'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    shadowWriteFailures: pulledCounter(
      'stages',
      METRIC.shadowWriteFailures,
      'Failed shadow writes (journaled).',
      ['domain'],
    ),
    fallbackReads: pulledCounter('stages', METRIC.fallbackReads, 'Reads answered by the fallback store.', [
      'domain',
      'result',
    ]),
    shadowMismatchRatio: pulled('shadow', METRIC.shadowMismatchRatio, 'Mismatched / compared shadow reads.', [
      'domain',
    ]),
    journalDepth: pulled('journal', METRIC.journalDepth, 'Repair journal entries waiting.', ['domain']),
    journalOldestAge: pulled('journal', METRIC.journalOldestAge, 'Age of the oldest journal entry (s).', [
      'domain',
    ]),
    stage: pulled('stages', METRIC.stage, 'Migration stage index (0 redis … 5 postgres-only).', ['domain']),
    backfillProcessed: pulled('backfill', METRIC.backfillProcessed, 'Backfill records processed.', [
      'entity',
    ]),
    backfillTotal: pulled('backfill', METRIC.backfillTotal, 'Backfill records to process.', ['entity']),
    backfillProgress: pulled('backfill', METRIC.backfillProgress, 'Backfill progress 0–1.', ['entity']),
    backfillRate: pulled('backfill', METRIC.backfillRate, 'Backfill records per second.', ['entity']),
    verifyClean: pulled('verify', METRIC.verifyClean, 'Last verify clean (1) or not (0).', ['entity']),
    verifyMissing: pulled('verify', METRIC.verifyMissing, 'Last verify: records missing in `side`.', [
      'entity',
      'side',
    ]),
    verifyMismatched: pulled('verify', METRIC.verifyMismatched, 'Last verify: mismatched records.', [
      'entity',
    ]),
    verifyTimestamp: pulled('verify', METRIC.verifyTimestamp, 'Last verify finished at (Unix s).', [
      'entity',
    ]),
    storeRecords: pulled('counts', METRIC.storeRecords, 'Records per entity and store.', ['entity', 'store']),
    stockDriftItems: gauge(METRIC.stockDriftItems, 'Stock entries differing Redis vs Postgres.'),
    stockDriftUnits: gauge(METRIC.stockDriftUnits, 'Total absolute stock difference.'),
    pointsDriftUsers: gauge(METRIC.pointsDriftUsers, 'Users whose balance differs Redis vs Postgres.'),
    pointsDriftPoints: gauge(METRIC.pointsDriftPoints, 'Total absolute balance difference.'),
    driftCheckTimestamp: gauge(METRIC.driftCheckTimestamp, 'Last drift check (Unix s).', ['kind']),
    pgPoolMax: gauge(METRIC.pgPoolMax, 'Postgres pool size of this process.'),
    pgPoolInUse: gauge(METRIC.pgPoolInUse, 'Postgres operations in flight.'),
    pgPoolWaiting: gauge(METRIC.pgPoolWaiting, 'Postgres operations waiting for a connection.'),
    pgPoolWaits: counter(METRIC.pgPoolWaits, 'Postgres operations that waited for a connection.'),
    pgStatementTimeouts: counter(METRIC.pgStatementTimeouts, 'Statements cancelled by statement_timeout.', [
      'source',
    ]),
    // Awaits the pulls of the same scrape, so a failure shows in the scrape it happened in.
    collectErrors: new Counter({
      name: METRIC.collectErrors,
      help: 'Failures of pull collectors.',
      labelNames: ['source'],
      registers,
      collect: async () => {
        await Promise.all([...inFlight.values()].map((f) => f.done));
      },
    }),
  };
  collectErrors = metrics.collectErrors;
  return metrics;
}

/** Every metric name the registry exposes, including histogram sample suffixes. */
export function exposedSeriesNames(metrics: OpsMetrics): Set<string> {
  const names = new Set<string>();
  for (const m of metrics.registry.getMetricsAsArray()) {
    const name = (m as unknown as { name: string }).name;
    names.add(name);
    if (m instanceof Histogram) for (const s of ['_bucket', '_sum', '_count']) names.add(`${name}${s}`);
  }
  return names;
}
