/**
 * Verify and repair results in Postgres (`migration_verify_*`, drizzle 0007): runs, the outcome per
 * entity of each verify, and every mismatching record. The router's guard rails and the dashboard
 * read {@link latestVerifyResults} / {@link latestDomainVerify}; repair reads {@link openMismatches}.
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { PgHandle } from '../../backends/postgres/client.js';
import {
  migrationVerifyMismatches,
  migrationVerifyResults,
  migrationVerifyRuns,
} from '../../backends/postgres/schema/migration-verify.js';
import { type EntityVerifyResult, type Mismatch, type MismatchKind, mismatchCount } from './types.js';

export type RunKind = 'verify' | 'repair';
export type RunStatus = 'running' | 'clean' | 'mismatch' | 'error';

/** Creates a run row; returns its id. */
export async function startRun(
  pg: PgHandle,
  kind: RunKind,
  entities: readonly string[],
  options: Record<string, unknown>,
): Promise<number> {
  const [row] = await pg.db
    .insert(migrationVerifyRuns)
    .values({ kind, status: 'running', entities: [...entities], options })
    .returning({ id: migrationVerifyRuns.id });
  return row!.id;
}

export async function finishRun(
  pg: PgHandle,
  runId: number,
  status: Exclude<RunStatus, 'running'>,
  summary: object | null,
  error?: string,
): Promise<void> {
  await pg.db
    .update(migrationVerifyRuns)
    .set({
      status,
      finishedAt: sql`now()`,
      summary: summary as Record<string, unknown> | null,
      error: error ?? null,
    })
    .where(eq(migrationVerifyRuns.id, runId));
}

export async function saveEntityResult(pg: PgHandle, runId: number, r: EntityVerifyResult): Promise<void> {
  await pg.db.insert(migrationVerifyResults).values({
    runId,
    entity: r.entity,
    domain: r.domain,
    clean: r.clean,
    counts: { ...r.counts },
    samples: JSON.parse(JSON.stringify(r.samples)) as unknown[],
  });
}

/** Buffers mismatches and inserts them in batches (a record is stored once per run and entity). */
export class MismatchWriter {
  private buffer: Mismatch[] = [];

  constructor(
    private readonly pg: PgHandle,
    private readonly runId: number,
    private readonly batch = 500,
  ) {}

  async add(m: Mismatch): Promise<void> {
    this.buffer.push(m);
    if (this.buffer.length >= this.batch) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const rows = this.buffer.map((m) => ({
      runId: this.runId,
      entity: m.entity,
      recordId: m.id,
      kind: m.kind,
      redisKey: m.redisKey ?? null,
      diff: m.diffs ? (JSON.parse(JSON.stringify(m.diffs)) as unknown[]) : null,
      detail: m.detail ?? null,
    }));
    this.buffer = [];
    await this.pg.db.insert(migrationVerifyMismatches).values(rows).onConflictDoNothing();
  }
}

/** The latest finished verify of one entity. */
export interface LatestVerify {
  entity: string;
  domain: string;
  runId: number;
  verifiedAt: Date;
  clean: boolean;
  counts: Record<string, number>;
  samples: unknown[];
}

/** The latest finished verify result of each entity (optionally only `entities`). */
export async function latestVerifyResults(
  pg: PgHandle,
  entities?: readonly string[],
): Promise<LatestVerify[]> {
  const rows = await pg.db
    .selectDistinctOn([migrationVerifyResults.entity], {
      entity: migrationVerifyResults.entity,
      domain: migrationVerifyResults.domain,
      runId: migrationVerifyResults.runId,
      verifiedAt: migrationVerifyResults.verifiedAt,
      clean: migrationVerifyResults.clean,
      counts: migrationVerifyResults.counts,
      samples: migrationVerifyResults.samples,
    })
    .from(migrationVerifyResults)
    .innerJoin(migrationVerifyRuns, eq(migrationVerifyRuns.id, migrationVerifyResults.runId))
    .where(
      and(
        eq(migrationVerifyRuns.kind, 'verify'),
        sql`${migrationVerifyRuns.status} <> 'running'`,
        entities ? inArray(migrationVerifyResults.entity, [...entities]) : undefined,
      ),
    )
    .orderBy(migrationVerifyResults.entity, desc(migrationVerifyResults.verifiedAt));
  return rows;
}

/** Per domain: clean when the latest verify of every one of its entities was clean. */
export interface DomainVerify {
  domain: string;
  /** When the oldest of those latest verifies ran. */
  verifiedAt: Date;
  clean: boolean;
  entities: string[];
  /** Mismatch count over the domain's entities in those verifies. */
  mismatches: number;
}

export async function latestDomainVerify(pg: PgHandle): Promise<Record<string, DomainVerify>> {
  const out: Record<string, DomainVerify> = {};
  for (const r of await latestVerifyResults(pg)) {
    const bad = mismatchCount(r.counts);
    const d = out[r.domain];
    if (!d) {
      out[r.domain] = {
        domain: r.domain,
        verifiedAt: r.verifiedAt,
        clean: r.clean,
        entities: [r.entity],
        mismatches: bad,
      };
    } else {
      d.clean &&= r.clean;
      d.entities.push(r.entity);
      d.mismatches += bad;
      if (r.verifiedAt < d.verifiedAt) d.verifiedAt = r.verifiedAt;
    }
  }
  return out;
}

/** A stored mismatch still to repair. */
export interface OpenMismatch {
  runId: number;
  entity: string;
  recordId: string;
  kind: MismatchKind;
}

/**
 * The mismatches of the latest verify of `entity` that no repair has fixed yet, in pages of `limit`
 * (keyset on the record id).
 */
export async function* openMismatches(
  pg: PgHandle,
  entity: string,
  limit = 500,
): AsyncGenerator<OpenMismatch[]> {
  const [latest] = await latestVerifyResults(pg, [entity]);
  if (!latest) return;
  let after: string | undefined;
  for (;;) {
    const rows = await pg.db
      .select({
        runId: migrationVerifyMismatches.runId,
        entity: migrationVerifyMismatches.entity,
        recordId: migrationVerifyMismatches.recordId,
        kind: migrationVerifyMismatches.kind,
      })
      .from(migrationVerifyMismatches)
      .where(
        and(
          eq(migrationVerifyMismatches.runId, latest.runId),
          eq(migrationVerifyMismatches.entity, entity),
          sql`${migrationVerifyMismatches.repairOutcome} IS DISTINCT FROM 'fixed'`,
          after === undefined ? undefined : sql`${migrationVerifyMismatches.recordId} > ${after}`,
        ),
      )
      .orderBy(migrationVerifyMismatches.recordId)
      .limit(limit);
    if (rows.length > 0) yield rows.map((r) => ({ ...r, kind: r.kind as MismatchKind }));
    if (rows.length < limit) return;
    after = rows[rows.length - 1]!.recordId;
  }
}

/** Records how a repair run handled one stored mismatch. */
export async function markRepaired(
  pg: PgHandle,
  m: Pick<OpenMismatch, 'runId' | 'entity' | 'recordId'>,
  repairRunId: number,
  outcome: 'fixed' | 'still_different' | 'not_copyable' | 'failed',
  error?: string,
): Promise<void> {
  await pg.db
    .update(migrationVerifyMismatches)
    .set({ repairRunId, repairedAt: sql`now()`, repairOutcome: outcome, repairError: error ?? null })
    .where(
      and(
        eq(migrationVerifyMismatches.runId, m.runId),
        eq(migrationVerifyMismatches.entity, m.entity),
        eq(migrationVerifyMismatches.recordId, m.recordId),
      ),
    );
}
