/**
 * The evidence a forward move past `shadow-read` needs, per domain: a clean last verify of each of
 * its entities, an empty repair journal (both stores), and a shadow-read mismatch rate at or below the
 * threshold over enough comparisons made in the current stage. Each finding says exactly what is
 * wrong and which command to run next. Steps back need no evidence.
 */
import type { PgHandle } from '../../backends/postgres/client.js';
import type { JournalLag } from '../journal/types.js';
import type { Finding } from '../stage-store/store.js';
import { latestVerifyResults } from '../verify/store.js';
import { entitiesOfDomain } from './domains.js';
import type { ShadowStore } from './shadow-store.js';
import { planOf, type Stage } from './stages.js';

export interface GuardOptions {
  /** Highest acceptable mismatched / compared. Default 0.001 (0.1 %). */
  maxMismatchRate: number;
  /** Comparisons needed in the current stage before the rate counts. Default 100. */
  minComparisons: number;
}

export const DEFAULT_GUARD_OPTIONS: GuardOptions = { maxMismatchRate: 0.001, minComparisons: 100 };

/** Thresholds from MIGRATION_MAX_MISMATCH_RATE and MIGRATION_MIN_SHADOW_COMPARISONS. */
export function guardOptionsFromEnv(env: NodeJS.ProcessEnv): GuardOptions {
  const num = (raw: string | undefined, fallback: number) => {
    const n = raw === undefined || raw.trim() === '' ? Number.NaN : Number(raw);
    return Number.isFinite(n) && n >= 0 ? n : fallback;
  };
  return {
    maxMismatchRate: num(env.MIGRATION_MAX_MISMATCH_RATE, DEFAULT_GUARD_OPTIONS.maxMismatchRate),
    minComparisons: num(env.MIGRATION_MIN_SHADOW_COMPARISONS, DEFAULT_GUARD_OPTIONS.minComparisons),
  };
}

export interface EvidenceInput {
  domain: string;
  /** The stage in force (comparisons made since `since` count). */
  stage: Stage;
  since: Date;
  /** The domain has read methods to compare (checkout has none). */
  hasReads: boolean;
  lag: readonly JournalLag[];
}

/** Verify counts that make a result unclean (src/migration/verify/types.ts EntityCounts). */
const BAD_COUNTS = ['different', 'missingInPostgres', 'missingInRedis', 'undecodable', 'unlinkedRefs'];

const pct = (r: number) => `${(r * 100).toFixed(3).replace(/\.?0+$/, '')} %`;

export async function evidenceFindings(
  pg: PgHandle,
  shadow: ShadowStore,
  input: EvidenceInput,
  opts: GuardOptions,
): Promise<Finding[]> {
  const out: Finding[] = [];
  const { domain } = input;
  const entities = entitiesOfDomain(domain);
  if (entities.length > 0) {
    const latest = new Map((await latestVerifyResults(pg, entities)).map((r) => [r.entity, r]));
    for (const entity of entities) {
      const r = latest.get(entity);
      if (!r) {
        out.push({
          code: 'verify-missing',
          message: `${domain}: ${entity} has never been verified; run npm run migrate:verify -- --only ${entity}`,
        });
      } else if (!r.clean) {
        const bad = Object.entries(r.counts)
          .filter(([k, n]) => n > 0 && BAD_COUNTS.includes(k))
          .map(([k, n]) => `${n} ${k}`)
          .join(', ');
        out.push({
          code: 'verify-dirty',
          message:
            `${domain}: the last verify of ${entity} (${r.verifiedAt.toISOString()}) was not clean${bad ? ` (${bad})` : ''}; ` +
            `run npm run migrate:repair -- --only ${entity}, then npm run migrate:verify -- --only ${entity}`,
        });
      }
    }
  }
  for (const l of input.lag.filter((x) => x.domain === domain && x.depth > 0)) {
    out.push({
      code: 'journal-not-empty',
      message:
        `${domain}: ${l.depth} record(s) waiting in the ${l.source} repair journal` +
        `${l.oldestAt ? ` since ${l.oldestAt.toISOString()}` : ''}${l.parked > 0 ? `, ${l.parked} parked after repeated failures` : ''}; ` +
        'wait for the reconciler or run npm run migrate:status -- --drain',
    });
  }
  if (input.hasReads) {
    if (!planOf(input.stage).compareReads) {
      out.push({
        code: 'no-shadow-reads',
        message: `${domain}: no shadow-read evidence in stage ${input.stage}; move it to shadow-read first and let reads be compared`,
      });
    } else {
      const rate = await shadow.rateSince(domain, input.since);
      if (rate.compared < opts.minComparisons) {
        out.push({
          code: 'too-few-comparisons',
          message:
            `${domain}: only ${rate.compared} shadow read(s) compared since ${input.since.toISOString()} (need ${opts.minComparisons}); ` +
            'keep it in this stage longer or raise MIGRATION_SHADOW_SAMPLE_RATE',
        });
      } else if ((rate.rate ?? 0) > opts.maxMismatchRate) {
        out.push({
          code: 'mismatch-rate',
          message:
            `${domain}: shadow-read mismatch rate ${pct(rate.rate ?? 0)} (${rate.mismatched} of ${rate.compared}) since ` +
            `${input.since.toISOString()} is above ${pct(opts.maxMismatchRate)}; see npm run migrate:status -- --mismatches ${domain}, ` +
            `repair (npm run migrate:verify, npm run migrate:repair), then step back and forward to start a clean window`,
        });
      }
    }
  }
  return out;
}
