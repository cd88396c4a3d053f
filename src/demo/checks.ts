/**
 * The backfill and verify as the demo runs them: on the tools handle (the one PGlite connection, or
 * a second TCP pool), reduced to the numbers the summary prints.
 */
import type { PgHandle } from '../backends/postgres/client.js';
import type { RedisClient } from '../backends/redis/client.js';
import type { LegacyKeys } from '../legacy/keys.js';
import { runBackfill } from '../migration/backfill/engine.js';
import { createSyncContext } from '../migration/entities/index.js';
import { entitiesOfDomain } from '../migration/router/domains.js';
import { runVerify } from '../migration/verify/engine.js';
import { mismatchCount } from '../migration/verify/types.js';

export interface BackfillOutcome {
  migrated: number;
  /** Already in Postgres (identical, or written there by dual-write after the backfill read it). */
  unchanged: number;
  /** Of `unchanged`: rows a live write had already brought up to date (never overwritten). */
  liveNewer: number;
  quarantined: number;
  durationMs: number;
}

export interface VerifyOutcome {
  clean: boolean;
  /** Entities compared. */
  entities: number;
  /** Records compared (Redis side). */
  records: number;
  /** Records different, missing on one side, undecodable or unlinked. */
  mismatches: number;
  /** `entity id (kind)` of the first mismatches. */
  examples: string[];
  durationMs: number;
}

export interface Checks {
  backfill(): Promise<BackfillOutcome>;
  /** Verifies the entities of these domains (the result is stored: the guard rails read it). */
  verify(domains: readonly string[]): Promise<VerifyOutcome>;
}

export function createChecks(o: { pg: PgHandle; redis: RedisClient; keys: LegacyKeys }): Checks {
  return {
    async backfill() {
      // Small batches: on PGlite each batch's transaction holds the one connection the API also needs.
      const started = Date.now();
      const r = await runBackfill({
        redis: o.redis,
        pg: o.pg,
        prefix: o.keys.prefix,
        batchSize: 100,
        concurrency: 2,
      });
      const liveNewer = Object.values(r.entities).reduce((n, s) => n + s.liveNewer, 0);
      return {
        migrated: r.totals.migrated,
        unchanged: r.totals.unchanged,
        liveNewer,
        quarantined: r.totals.quarantined,
        durationMs: Date.now() - started,
      };
    },
    async verify(domains) {
      const only = [...new Set(domains.flatMap((d) => entitiesOfDomain(d)))];
      if (only.length === 0)
        return { clean: true, entities: 0, records: 0, mismatches: 0, examples: [], durationMs: 0 };
      const started = Date.now();
      const ctx = createSyncContext({ redis: o.redis, keys: o.keys, pg: o.pg });
      const report = await runVerify({ ctx, only, sample: 3 });
      const results = Object.values(report.entities);
      const mismatches = results.reduce((n, r) => n + mismatchCount(r.counts), 0);
      return {
        clean: report.clean,
        entities: results.length,
        records: results.reduce((n, r) => n + r.counts.redisRecords, 0),
        mismatches,
        examples: results
          .flatMap((r) => r.samples.map((s) => `${s.entity} ${s.id} (${s.kind.replaceAll('_', ' ')})`))
          .slice(0, 5),
        durationMs: Date.now() - started,
      };
    },
  };
}
