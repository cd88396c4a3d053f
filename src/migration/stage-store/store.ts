/**
 * Durable stage state in Postgres: the current stage of each domain (`migration_stages`) and the audit
 * trail of every change and refused attempt (`migration_stage_audit`). Domains are plain names here;
 * the router decides which names exist and how they group.
 */
import { desc, eq, inArray } from 'drizzle-orm';
import type { PgHandle } from '../../backends/postgres/client.js';
import { migrationStageAudit, migrationStages } from '../../backends/postgres/schema/migration-router.js';
import { isStage, type Stage } from '../router/stages.js';

/** A stored stage row. */
export interface StoredStage {
  domain: string;
  stage: Stage;
  /** In force until `effectiveAt`; `null` means the env default was. */
  previousStage: Stage | null;
  since: Date;
  effectiveAt: Date;
  changedBy: string;
  reason: string | null;
  forced: boolean;
  version: number;
}

/** A guard finding: why a move was refused, or what `--force` overrode. */
export interface Finding {
  code: string;
  message: string;
}

/** One change to apply: `from` is the stage the caller saw (optimistic check). */
export interface StageChange {
  domain: string;
  from: Stage;
  to: Stage;
}

export interface ChangeMeta {
  by: string;
  reason: string | null;
  forced: boolean;
  findings: Finding[];
  /** Processes switch this long after the commit (all at once; see poller.ts). */
  switchDelayMs: number;
}

export interface AuditEntry {
  domain: string;
  fromStage: Stage | null;
  toStage: Stage;
  changedBy: string;
  reason: string | null;
  forced: boolean;
  outcome: 'applied' | 'refused';
  findings: Finding[];
  at: Date;
}

/** Another operator changed one of the domains between the guard check and the commit. */
export class StageChangedConcurrentlyError extends Error {
  constructor(readonly domain: string) {
    super(`the stage of ${domain} changed while this change was being checked; run the command again`);
    this.name = 'StageChangedConcurrentlyError';
  }
}

export interface StageStore {
  /** Every stored row. Throws when Postgres does not answer (callers keep their last known view). */
  readAll(): Promise<StoredStage[]>;
  /**
   * Applies all changes in one transaction (a group moves together or not at all) and audits them.
   * `from` is checked against the row's latest stage (or, with no row, `defaults`).
   */
  apply(
    changes: StageChange[],
    meta: ChangeMeta,
    defaults: ReadonlyMap<string, Stage>,
  ): Promise<StoredStage[]>;
  /** Audits a refused attempt. */
  recordRefusal(changes: StageChange[], meta: Omit<ChangeMeta, 'switchDelayMs'>): Promise<void>;
  /** Newest first. */
  audit(opts?: { domain?: string; limit?: number }): Promise<AuditEntry[]>;
}

export function createStageStore(pg: PgHandle): StageStore {
  const db = pg.db;
  return {
    async readAll() {
      const rows = await db.select().from(migrationStages);
      return rows.map(toStored);
    },

    async apply(changes, meta, defaults) {
      return db.transaction(async (tx) => {
        const domains = changes.map((c) => c.domain);
        const current = new Map(
          (
            await tx
              .select()
              .from(migrationStages)
              .where(inArray(migrationStages.domain, domains))
              .for('update')
          ).map((r) => [r.domain, toStored(r)]),
        );
        const now = new Date();
        const effectiveAt = new Date(now.getTime() + meta.switchDelayMs);
        const written: StoredStage[] = [];
        for (const change of changes) {
          const row = current.get(change.domain);
          const fallback = defaults.get(change.domain) ?? 'redis';
          if ((row?.stage ?? fallback) !== change.from)
            throw new StageChangedConcurrentlyError(change.domain);
          const values = {
            domain: change.domain,
            stage: change.to,
            // What processes keep using until `effectiveAt` (a change still pending never took effect).
            previousStage: row ? (stageAt(row, now, fallback) ?? fallback) : fallback,
            since: now,
            effectiveAt,
            changedBy: meta.by,
            reason: meta.reason,
            forced: meta.forced,
            version: (row?.version ?? 0) + 1,
          };
          const [saved] = await tx
            .insert(migrationStages)
            .values(values)
            .onConflictDoUpdate({ target: migrationStages.domain, set: values })
            .returning();
          written.push(toStored(saved!));
        }
        await tx.insert(migrationStageAudit).values(
          changes.map((c) => ({
            domain: c.domain,
            fromStage: c.from,
            toStage: c.to,
            changedBy: meta.by,
            reason: meta.reason,
            forced: meta.forced,
            outcome: 'applied',
            findings: meta.findings,
            at: now,
          })),
        );
        return written;
      });
    },

    async recordRefusal(changes, meta) {
      if (changes.length === 0) return;
      await db.insert(migrationStageAudit).values(
        changes.map((c) => ({
          domain: c.domain,
          fromStage: c.from,
          toStage: c.to,
          changedBy: meta.by,
          reason: meta.reason,
          forced: meta.forced,
          outcome: 'refused',
          findings: meta.findings,
        })),
      );
    },

    async audit(opts = {}) {
      const rows = await db
        .select()
        .from(migrationStageAudit)
        .where(opts.domain ? eq(migrationStageAudit.domain, opts.domain) : undefined)
        .orderBy(desc(migrationStageAudit.at), desc(migrationStageAudit.id))
        .limit(opts.limit ?? 50);
      return rows.map((r) => ({
        domain: r.domain,
        fromStage: r.fromStage !== null && isStage(r.fromStage) ? r.fromStage : null,
        toStage: asStage(r.toStage),
        changedBy: r.changedBy,
        reason: r.reason,
        forced: r.forced,
        outcome: r.outcome === 'refused' ? 'refused' : 'applied',
        findings: r.findings,
        at: r.at,
      }));
    },
  };
}

/** The stage a row puts in force at `now` (the previous one until `effectiveAt`). */
export function stageAt(row: StoredStage, now: Date, fallback?: Stage): Stage | undefined {
  if (now.getTime() >= row.effectiveAt.getTime()) return row.stage;
  return row.previousStage ?? fallback;
}

function asStage(value: string): Stage {
  if (!isStage(value)) throw new Error(`migration_stages holds an unknown stage "${value}"`);
  return value;
}

function toStored(r: typeof migrationStages.$inferSelect): StoredStage {
  return {
    domain: r.domain,
    stage: asStage(r.stage),
    previousStage: r.previousStage !== null && isStage(r.previousStage) ? r.previousStage : null,
    since: r.since,
    effectiveAt: r.effectiveAt,
    changedBy: r.changedBy,
    reason: r.reason,
    forced: r.forced,
    version: r.version,
  };
}
