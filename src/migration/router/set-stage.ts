/**
 * `setStage`: the one way stages change (CLI, dashboard, tests). A domain moves with its whole group;
 * `all` moves every domain. A forward move past `shadow-read` is refused unless every moving domain
 * has the evidence (guards.ts) or `force` is set; a step back is always applied. Every attempt, applied
 * or refused, is audited with who, why and the findings.
 */
import type { PgHandle } from '../../backends/postgres/client.js';
import type { JournalLag } from '../journal/types.js';
import type { Finding, StageStore } from '../stage-store/store.js';
import type { DomainModel } from './domains.js';
import { evidenceFindings, type GuardOptions } from './guards.js';
import type { ShadowStore } from './shadow-store.js';
import { flipsPrimary, isStage, needsEvidence, type Stage, stageIndex } from './stages.js';

export interface SetStageRequest {
  /** A domain (its whole group moves) or `all`. */
  target: string;
  stage: Stage;
  force?: boolean;
  reason?: string;
  /** Who asked (audited). Default `unknown`. */
  by?: string;
}

export interface StageMove {
  domain: string;
  from: Stage;
  to: Stage;
}

export interface SetStageResult {
  ok: boolean;
  /** Refused: why. Applied with `force`: what was overridden. */
  reasons: Finding[];
  /** The moves applied (or, when refused, the moves that were asked for). */
  moves: StageMove[];
  /** Not blocking, but worth reading (what to run next, what a rollback implies). */
  warnings: string[];
  /** When processes switch (applied moves only). */
  effectiveAt: Date | null;
}

/** A target or stage that does not exist: a usage error, not a refusal. */
export class UnknownTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnknownTargetError';
  }
}

export interface StageControllerDeps {
  pg: PgHandle;
  model: DomainModel;
  store: StageStore;
  shadow: ShadowStore;
  defaults: ReadonlyMap<string, Stage>;
  /** Journal lag of both stores; a store that cannot be read throws (the move is refused). */
  lag(): Promise<JournalLag[]>;
  guard: GuardOptions;
  switchDelayMs: number;
  /** Domains that have read methods (shadow reads are possible). */
  hasReads(domain: string): boolean;
}

export async function setStage(deps: StageControllerDeps, req: SetStageRequest): Promise<SetStageResult> {
  if (!isStage(req.stage)) throw new UnknownTargetError(`unknown stage "${String(req.stage)}"`);
  const domains =
    req.target === 'all'
      ? deps.model.domains
      : deps.model.domains.includes(req.target as never)
        ? deps.model.groupOf(req.target)
        : undefined;
  if (!domains) {
    throw new UnknownTargetError(
      `unknown domain "${req.target}"; domains: ${deps.model.domains.join(', ')}, or all`,
    );
  }
  const now = new Date();
  const rows = new Map((await deps.store.readAll()).map((r) => [r.domain, r]));
  const moves: StageMove[] = [];
  const since = new Map<string, Date>();
  for (const domain of domains) {
    // The latest stored stage, even while it is pending: asking for it again changes nothing.
    const row = rows.get(domain);
    const from = row?.stage ?? deps.defaults.get(domain) ?? 'redis';
    // Comparisons count from when that stage took effect (env defaults: the last 24 h).
    since.set(domain, row ? row.effectiveAt : new Date(now.getTime() - 86_400_000));
    if (from !== req.stage) moves.push({ domain, from, to: req.stage });
  }
  const warnings = warningsFor(moves);
  if (moves.length === 0) return { ok: true, reasons: [], moves, warnings, effectiveAt: null };

  const reasons: Finding[] = [];
  const gated = moves.filter(
    (m) => needsEvidence(m.from, m.to) && !deps.model.primaryOnly.has(m.domain as never),
  );
  if (gated.length > 0) {
    let lag: JournalLag[] = [];
    try {
      lag = await deps.lag();
    } catch (err) {
      reasons.push({
        code: 'journal-unreadable',
        message: `the repair journals cannot be read (${err instanceof Error ? err.message : String(err)}); check that Redis and Postgres are up, then run the command again`,
      });
    }
    for (const m of gated) {
      reasons.push(
        ...(await evidenceFindings(
          deps.pg,
          deps.shadow,
          {
            domain: m.domain,
            stage: m.from,
            since: since.get(m.domain)!,
            hasReads: deps.hasReads(m.domain),
            lag,
          },
          deps.guard,
        )),
      );
    }
  }
  const meta = {
    by: req.by?.trim() || 'unknown',
    reason: req.reason?.trim() || null,
    forced: req.force === true,
    findings: reasons,
  };
  if (reasons.length > 0 && !req.force) {
    await deps.store.recordRefusal(moves, meta);
    return { ok: false, reasons, moves, warnings, effectiveAt: null };
  }
  const written = await deps.store.apply(
    moves,
    { ...meta, switchDelayMs: deps.switchDelayMs },
    deps.defaults,
  );
  return { ok: true, reasons, moves, warnings, effectiveAt: written[0]?.effectiveAt ?? null };
}

function warningsFor(moves: readonly StageMove[]): string[] {
  const out: string[] = [];
  const names = (pick: (m: StageMove) => boolean) => moves.filter(pick).map((m) => m.domain);
  const fromOnly = names((m) => m.from === 'postgres-only' && stageIndex(m.to) < stageIndex(m.from));
  if (fromOnly.length > 0) {
    out.push(
      `${fromOnly.join(', ')}: Redis was not written while in postgres-only; run npm run migrate:verify, then ` +
        'npm run migrate:status -- --requeue --from postgres --drain, and verify again before moving further back',
    );
  }
  const back = names((m) => flipsPrimary(m.from, m.to) && stageIndex(m.to) < stageIndex(m.from));
  if (back.length > 0) {
    out.push(
      `${back.join(', ')}: Redis is the source of truth again; records still in the Postgres repair journal are copied ` +
        'to Redis by the reconciler (reads of them are served from Postgres until then)',
    );
  }
  const started = names((m) => m.from === 'redis' && m.to !== 'redis');
  if (started.length > 0) {
    out.push(
      `${started.join(', ')}: Postgres now receives live writes; once every process has switched, run the backfill ` +
        '(npm run migrate:redis-to-postgres) and then npm run migrate:verify',
    );
  }
  return out;
}
