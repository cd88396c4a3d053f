/**
 * How the demo changes stages: the router's own `setStage` (one transaction per group, guard rails,
 * audit), with the guard thresholds passed in rather than read from the environment, so a run can ask
 * for fewer shadow-read comparisons than production without touching `process.env`. The router's
 * counters are flushed first, so the guard sees every comparison made so far.
 */
import type { PgHandle } from '../backends/postgres/client.js';
import { DECLARATIONS } from '../migration/router/declarations/index.js';
import { buildDomainModel } from '../migration/router/domains.js';
import type { GuardOptions } from '../migration/router/guards.js';
import type { RoutedDataLayer } from '../migration/router/index.js';
import { domainsWithReads } from '../migration/router/router.js';
import { type SetStageResult, setStage } from '../migration/router/set-stage.js';
import { createShadowStore } from '../migration/router/shadow-store.js';
import type { Stage } from '../migration/router/stages.js';
import { stageDefaultsFromEnv } from '../migration/stage-store/defaults.js';
import { createStageStore } from '../migration/stage-store/store.js';

export interface StageController {
  /** Moves `domain`'s whole group to `stage` if the evidence allows it; a refusal is a value. */
  move(domain: string, stage: Stage, reason: string): Promise<SetStageResult>;
  /** Shadow-read comparisons of `domain` since `since` (flushed counters only). */
  comparisons(domain: string, since: Date): Promise<number>;
  /** The domain's shadow-read mismatches since `since`, one line each (newest first, at most 5). */
  mismatches(domain: string, since: Date | undefined): Promise<string[]>;
  /** Shadow reads compared and mismatched since `since`, all domains together. */
  shadowTotals(since: Date): Promise<{ compared: number; mismatched: number }>;
  /** Domains that have read methods (the guard wants shadow-read evidence for them). */
  readonly withReads: ReadonlySet<string>;
}

export function createStageController(opts: {
  pg: PgHandle;
  layer: RoutedDataLayer;
  guard: GuardOptions;
  switchDelayMs: number;
}): StageController {
  const model = buildDomainModel(DECLARATIONS);
  // The router of this process was built with an empty env: every domain's default is `redis`.
  const defaults = stageDefaultsFromEnv({}, model.groups).stages;
  const store = createStageStore(opts.pg);
  const shadow = createShadowStore(opts.pg);
  const withReads = domainsWithReads();
  const migration = opts.layer.migration;
  return {
    withReads,
    async move(domain, stage, reason) {
      await migration.refresh();
      const result = await setStage(
        {
          pg: opts.pg,
          model,
          store,
          shadow,
          defaults,
          lag: () => migration.lag(),
          guard: opts.guard,
          switchDelayMs: opts.switchDelayMs,
          hasReads: (d) => withReads.has(d),
        },
        { target: domain, stage, reason, by: 'demo' },
      );
      await migration.refresh();
      return result;
    },
    async comparisons(domain, since) {
      return (await shadow.rateSince(domain, since)).compared;
    },
    async shadowTotals(since) {
      const rates = await Promise.all(model.domains.map((d) => shadow.rateSince(d, since)));
      return {
        compared: rates.reduce((n, r) => n + r.compared, 0),
        mismatched: rates.reduce((n, r) => n + r.mismatched, 0),
      };
    },
    async mismatches(domain, since) {
      const recent = await shadow.recentMismatches(domain, 5);
      return recent
        .filter((m) => !since || m.at.getTime() >= since.getTime() - 60_000)
        .map((m) => {
          const diff = m.diff
            .slice(0, 3)
            .map(
              (d) =>
                `${d.path} ${JSON.stringify(d.served)} (${m.servedFrom}) vs ${JSON.stringify(d.compared)} (${m.comparedWith})`,
            )
            .join(', ');
          return `${m.method} ${m.key}: ${diff} at ${m.at.toISOString()}`;
        });
    },
  };
}
