/**
 * Events the router reports while it serves traffic, turned into counters. The router (or its
 * adapter) calls these; they never throw and never block the request.
 */
import type { OpsMetrics } from './metrics.js';

export interface MigrationEvents {
  /** A shadow write (the second store) failed and was journaled for repair. */
  shadowWriteFailed(domain: string): void;
  /**
   * A `postgres-read` read found nothing in Postgres and asked Redis: `found` says whether Redis had
   * the record (true means the record is missing in Postgres: user-visible data loss after cut-over).
   */
  fallbackRead(domain: string, found: boolean): void;
}

export function metricsEvents(metrics: OpsMetrics): MigrationEvents {
  return {
    shadowWriteFailed: (domain) => metrics.shadowWriteFailures.inc({ domain }),
    fallbackRead: (domain, found) =>
      metrics.fallbackReads.inc({ domain, result: found ? 'found_in_fallback' : 'missing_in_both' }),
  };
}
