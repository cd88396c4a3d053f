/**
 * The status of every domain: stage (and a pending switch), group, last verify, repair-journal lag and
 * shadow-read mismatch rate. Used by `migrate:status` and by `router.status()` (the dashboard). A
 * source that cannot be read is reported as such, never as "empty" or "clean".
 */
import type { PgHandle } from '../../backends/postgres/client.js';
import { withTimeout } from '../journal/timeout.js';
import type { Journal, JournalLag } from '../journal/types.js';
import type { StageHealth, StageView } from '../stage-store/poller.js';
import { latestVerifyResults } from '../verify/store.js';
import { type DomainModel, entitiesOfDomain } from './domains.js';
import type { MismatchRate, ShadowStore } from './shadow-store.js';
import type { Stage, StoreName } from './stages.js';

export interface DomainStatus {
  domain: string;
  group: string[];
  stage: Stage;
  source: 'stored' | 'env-default';
  /** When the stage took effect (`null` for an env default). */
  since: Date | null;
  pending: { stage: Stage; effectiveAt: Date } | null;
  changedBy: string | null;
  reason: string | null;
  forced: boolean;
  /** `null`: the domain has no migrated entities (checkout, webhook claims). */
  verify: { at: Date | null; clean: boolean; missing: string[]; dirty: string[] } | null;
  journal: { depth: number; parked: number; oldestAt: Date | null };
  /** Comparisons since the stage took effect (env default: last 24 h); `null` if unreadable. */
  shadow: (MismatchRate & { since: Date }) | null;
}

export interface StatusReport {
  at: Date;
  domains: DomainStatus[];
  /** This process's view of the stage store. */
  stageStore: StageHealth;
  /** Journals that could not be read (their lag is missing from the rows). */
  journalsUnreadable: StoreName[];
  /** Totals of both journals. */
  journalLag: JournalLag[];
}

export interface StatusDeps {
  pg: PgHandle;
  model: DomainModel;
  view: StageView;
  journals: readonly Journal[];
  shadowStore: ShadowStore;
}

export async function collectStatus(deps: StatusDeps): Promise<StatusReport> {
  const at = new Date();
  const journalLag: JournalLag[] = [];
  const journalsUnreadable: StoreName[] = [];
  for (const j of deps.journals) {
    try {
      journalLag.push(...(await withTimeout(j.lag(), 2000, `reading the ${j.source} journal`)));
    } catch {
      journalsUnreadable.push(j.source);
    }
  }
  let verify: Awaited<ReturnType<typeof latestVerifyResults>> | null = null;
  try {
    verify = await withTimeout(latestVerifyResults(deps.pg), 2000, 'reading the verify results');
  } catch {
    verify = null;
  }
  const info = new Map(deps.view.describe().map((d) => [d.domain, d]));
  let countersDown = verify === null;
  const domains: DomainStatus[] = [];
  for (const domain of deps.model.domains) {
    const d = info.get(domain);
    const stage = deps.view.stageOf(domain);
    const row = d?.row ?? null;
    const since = row && row.stage === stage ? row.effectiveAt : null;
    const lag = journalLag.filter((l) => l.domain === domain);
    const oldest = lag.map((l) => l.oldestAt).filter((x): x is Date => x !== null);
    const entities = entitiesOfDomain(domain);
    const mine = verify?.filter((v) => entities.includes(v.entity)) ?? [];
    const windowStart = since ?? new Date(at.getTime() - 86_400_000);
    // One failed read means Postgres is not answering: the other domains are not tried (null = unknown).
    const shadow = countersDown
      ? null
      : await withTimeout(
          deps.shadowStore.rateSince(domain, windowStart),
          2000,
          'reading the shadow-read counters',
        ).then(
          (r) => ({ ...r, since: windowStart }),
          () => {
            countersDown = true;
            return null;
          },
        );
    domains.push({
      domain,
      group: deps.model.groupOf(domain),
      stage,
      source: d?.source ?? 'env-default',
      since,
      pending: d?.pending ?? null,
      changedBy: row?.changedBy ?? null,
      reason: row?.reason ?? null,
      forced: row?.forced ?? false,
      verify:
        entities.length === 0 || verify === null
          ? null
          : {
              at:
                mine.length === entities.length
                  ? new Date(Math.min(...mine.map((v) => v.verifiedAt.getTime())))
                  : null,
              clean: mine.length === entities.length && mine.every((v) => v.clean),
              missing: entities.filter((e) => !mine.some((v) => v.entity === e)),
              dirty: mine.filter((v) => !v.clean).map((v) => v.entity),
            },
      journal: {
        depth: lag.reduce((n, l) => n + l.depth, 0),
        parked: lag.reduce((n, l) => n + l.parked, 0),
        oldestAt: oldest.length > 0 ? new Date(Math.min(...oldest.map((o) => o.getTime()))) : null,
      },
      shadow,
    });
  }
  return { at, domains, stageStore: deps.view.health(), journalsUnreadable, journalLag };
}
