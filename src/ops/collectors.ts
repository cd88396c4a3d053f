/**
 * Pull collectors: at scrape time they read the migration state from the stores (through
 * `MigrationControl`) and set the gauges. A failing read is counted in `dcw_ops_collect_errors_total`
 * and the gauges keep their last values, so one slow store cannot break the whole scrape.
 */
import type { Gauge } from 'prom-client';
import type { OpsMetrics } from './metrics.js';
import { isVerifyClean, type MigrationControl, stageIndex } from './migration-control.js';

/** Replaces every series of a gauge (labels that disappeared must not linger). */
function replace<L extends string>(gauge: Gauge<L>, series: [Partial<Record<L, string>>, number][]): void {
  gauge.reset();
  for (const [labels, value] of series) gauge.set(labels, value);
}

export function attachMigrationCollectors(metrics: OpsMetrics, control: MigrationControl): void {
  // Router counters are cumulative per process; the counters here advance by what is new since
  // the last scrape (a router restarted in-process starts lower: nothing is added until it passes).
  const seen = {
    fallbacks: new Map<string, number>(),
    fallbackHits: new Map<string, number>(),
    fallbackMisses: new Map<string, number>(),
    journaled: new Map<string, number>(),
  };
  const advance = (
    kind: keyof typeof seen,
    values: Record<string, number>,
    inc: (domain: string, n: number) => void,
  ) => {
    for (const [domain, value] of Object.entries(values)) {
      const before = seen[kind].get(domain) ?? 0;
      if (value > before) inc(domain, value - before);
      seen[kind].set(domain, Math.max(before, value));
    }
  };

  metrics.setPuller('stages', async () => {
    const [domains, counters] = await Promise.all([control.listDomains(), control.routerCounters?.()]);
    replace(
      metrics.stage,
      domains.map((d) => [{ domain: d.domain }, stageIndex(d.stage)]),
    );
    if (counters) {
      const hits = counters.fallbackHits;
      if (hits) {
        // found_in_fallback: Redis had a record Postgres lacks (missing data); missing_in_both: a
        // genuine not-found that merely took the fallback path.
        const misses = Object.fromEntries(
          Object.entries(counters.fallbacks).map(([d, n]) => [d, Math.max(0, n - (hits[d] ?? 0))]),
        );
        advance('fallbackHits', hits, (domain, n) =>
          metrics.fallbackReads.inc({ domain, result: 'found_in_fallback' }, n),
        );
        advance('fallbackMisses', misses, (domain, n) =>
          metrics.fallbackReads.inc({ domain, result: 'missing_in_both' }, n),
        );
      } else {
        advance('fallbacks', counters.fallbacks, (domain, n) =>
          metrics.fallbackReads.inc({ domain, result: 'unreported' }, n),
        );
      }
      advance('journaled', counters.journaled, (domain, n) => metrics.shadowWriteFailures.inc({ domain }, n));
    }
  });

  metrics.setPuller('journal', async () => {
    const domains = await control.listDomains();
    const journals = await Promise.all(domains.map((d) => control.journal(d.domain, 0)));
    replace(
      metrics.journalDepth,
      journals.map((j) => [{ domain: j.domain }, j.depth]),
    );
    replace(
      metrics.journalOldestAge,
      journals.map((j) => [{ domain: j.domain }, j.oldestAgeSeconds ?? 0]),
    );
  });

  metrics.setPuller('shadow', async () => {
    const stats = await control.shadowStats();
    replace(
      metrics.shadowMismatchRatio,
      stats.map((s) => [{ domain: s.domain }, s.compared > 0 ? s.mismatched / s.compared : 0]),
    );
  });

  metrics.setPuller('backfill', async () => {
    const progress = await control.backfillProgress();
    replace(
      metrics.backfillProcessed,
      progress.map((p) => [{ entity: p.entity }, p.processed]),
    );
    replace(
      metrics.backfillTotal,
      progress.filter((p) => p.total !== null).map((p) => [{ entity: p.entity }, p.total ?? 0]),
    );
    replace(
      metrics.backfillProgress,
      progress.map((p) => [{ entity: p.entity }, progressRatio(p.processed, p.total, p.status === 'done')]),
    );
    replace(
      metrics.backfillRate,
      progress.map((p) => [{ entity: p.entity }, p.ratePerSecond ?? 0]),
    );
  });

  metrics.setPuller('verify', async () => {
    const results = await control.lastVerify();
    replace(
      metrics.verifyClean,
      results.map((v) => [{ entity: v.entity }, isVerifyClean(v) ? 1 : 0]),
    );
    replace(
      metrics.verifyMissing,
      results.flatMap((v) => [
        [{ entity: v.entity, side: 'postgres' }, v.missingInPostgres],
        [{ entity: v.entity, side: 'redis' }, v.missingInRedis],
      ]),
    );
    replace(
      metrics.verifyMismatched,
      results.map((v) => [{ entity: v.entity }, v.mismatched]),
    );
    replace(
      metrics.verifyTimestamp,
      results.map((v) => [{ entity: v.entity }, Date.parse(v.finishedAt) / 1000]),
    );
  });

  metrics.setPuller('counts', async () => {
    const counts = await control.counts();
    const series: [{ entity: string; store: string }, number][] = [];
    for (const c of counts) {
      if (c.redis !== null) series.push([{ entity: c.entity, store: 'redis' }, c.redis]);
      if (c.postgres !== null) series.push([{ entity: c.entity, store: 'postgres' }, c.postgres]);
    }
    replace(metrics.storeRecords, series);
  });
}

/** processed / total clamped to [0, 1]; a finished run is 1 even when its total was not counted. */
export function progressRatio(processed: number, total: number | null, done: boolean): number {
  if (done) return 1;
  if (total === null || total <= 0) return 0;
  return Math.min(1, Math.max(0, processed / total));
}
