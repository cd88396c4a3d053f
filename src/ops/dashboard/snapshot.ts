/**
 * Everything one dashboard page shows, read from `MigrationControl` in parallel. Each part is
 * settled on its own: a part whose store does not answer is shown as an error panel naming the
 * problem, and the rest of the page still renders.
 */
import type {
  BackfillProgress,
  DomainState,
  JournalSummary,
  MigrationControl,
  ShadowSample,
  ShadowStats,
  StoreCounts,
  VerifySummary,
} from '../migration-control.js';

export type Part<T> = { ok: true; value: T } | { ok: false; error: string };

export interface DashboardSnapshot {
  takenAt: Date;
  domains: Part<DomainState[]>;
  journals: Part<JournalSummary[]>;
  verify: Part<VerifySummary[]>;
  shadowStats: Part<ShadowStats[]>;
  shadowSamples: Part<ShadowSample[]>;
  backfill: Part<BackfillProgress[]>;
  counts: Part<StoreCounts[]>;
}

async function part<T>(p: Promise<T>): Promise<Part<T>> {
  try {
    return { ok: true, value: await p };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

export const JOURNAL_ROWS = 20;
export const SAMPLE_ROWS = 10;

export async function takeSnapshot(control: MigrationControl, now: Date): Promise<DashboardSnapshot> {
  // Parts that need no domain list start together with it (adapters may share one status read).
  const [domains, verify, shadowStats, backfill, counts] = await Promise.all([
    part(control.listDomains()),
    part(control.lastVerify()),
    part(control.shadowStats()),
    part(control.backfillProgress()),
    part(control.counts()),
  ]);
  const names = domains.ok ? domains.value.map((d) => d.domain) : [];
  const [journals, shadowSamples] = await Promise.all([
    part(Promise.all(names.map((d) => control.journal(d, JOURNAL_ROWS)))),
    part(
      Promise.all(names.map((d) => control.shadowSamples(d, SAMPLE_ROWS))).then((all) =>
        all
          .flat()
          .sort((a, b) => b.at.localeCompare(a.at))
          .slice(0, SAMPLE_ROWS),
      ),
    ),
  ]);
  return { takenAt: now, domains, journals, verify, shadowStats, shadowSamples, backfill, counts };
}
