/**
 * Request counts of the demo's traffic: per route, the requests served, their latency, and the
 * failures by reason (`HTTP 503 UNAVAILABLE`, `network: ECONNRESET`, `wrong answer: …`).
 */

/** One route's numbers. */
export interface RouteStats {
  route: string;
  requests: number;
  failed: number;
  /** Failure reason → count. */
  reasons: Record<string, number>;
  /** Milliseconds. */
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export interface TrafficTotals {
  requests: number;
  failed: number;
}

/** Latency samples kept per route (the most recent ones; enough for stable percentiles). */
const MAX_SAMPLES = 5000;

interface Bucket {
  requests: number;
  failed: number;
  reasons: Map<string, number>;
  samples: number[];
  next: number;
  maxMs: number;
}

export class TrafficStats {
  private readonly routes = new Map<string, Bucket>();
  private total = 0;
  private failures = 0;

  /** Records one request; `failure` is its reason, or null when it succeeded. */
  record(route: string, ms: number, failure: string | null): void {
    const b = this.bucket(route);
    b.requests++;
    this.total++;
    if (b.samples.length < MAX_SAMPLES) b.samples.push(ms);
    else b.samples[b.next++ % MAX_SAMPLES] = ms;
    b.maxMs = Math.max(b.maxMs, ms);
    if (failure !== null) this.fail(b, failure);
  }

  /** Turns the last success of `route` into a failure (the status was right, the answer was not). */
  reclassify(route: string, reason: string): void {
    this.fail(this.bucket(route), reason);
  }

  totals(): TrafficTotals {
    return { requests: this.total, failed: this.failures };
  }

  /** Every route, most requests first. */
  byRoute(): RouteStats[] {
    return [...this.routes]
      .map(([route, b]) => {
        const sorted = [...b.samples].sort((x, y) => x - y);
        return {
          route,
          requests: b.requests,
          failed: b.failed,
          reasons: Object.fromEntries(b.reasons),
          p50Ms: percentile(sorted, 0.5),
          p95Ms: percentile(sorted, 0.95),
          maxMs: b.maxMs,
        };
      })
      .sort((a, b) => b.requests - a.requests || a.route.localeCompare(b.route));
  }

  private fail(b: Bucket, reason: string): void {
    b.failed++;
    this.failures++;
    b.reasons.set(reason, (b.reasons.get(reason) ?? 0) + 1);
  }

  private bucket(route: string): Bucket {
    let b = this.routes.get(route);
    if (!b) {
      b = { requests: 0, failed: 0, reasons: new Map(), samples: [], next: 0, maxMs: 0 };
      this.routes.set(route, b);
    }
    return b;
  }
}

/** Nearest-rank percentile of sorted values (0 when empty). */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}
