/**
 * Latency statistics for the benchmarks: nearest-rank percentiles over per-operation samples, so a
 * p99 is a latency that really happened (no interpolation between two samples).
 */

/** What one series of timed operations looked like. Times in milliseconds. */
export interface LatencySummary {
  /** Samples measured (warm-up excluded). */
  n: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  /** Operations per second of one serial caller: 1000 / mean latency. */
  opsPerSec: number;
}

/**
 * The nearest-rank percentile `p` (0 < p ≤ 100) of ascending `sorted` samples: the smallest sample
 * with at least p % of the samples at or below it.
 * @throws RangeError when there are no samples or p is out of range.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of no samples');
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile ${p} is not in (0, 100]`);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[rank - 1] as number;
}

/** Summarises latency samples (milliseconds, any order). @throws RangeError for no samples. */
export function summarize(samplesMs: readonly number[]): LatencySummary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, x) => sum + x, 0) / Math.max(sorted.length, 1);
  return {
    n: sorted.length,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    meanMs: mean,
    opsPerSec: mean > 0 ? 1000 / mean : Number.POSITIVE_INFINITY,
  };
}

/** How many times slower `measured` is than `baseline` (2 = twice the time). */
export function slowdown(measured: number, baseline: number): number {
  return baseline > 0 ? measured / baseline : Number.POSITIVE_INFINITY;
}
