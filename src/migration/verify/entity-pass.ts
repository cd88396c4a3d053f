/**
 * Verifies one entity in two streamed passes, each one batch at a time (memory is bounded by a batch
 * plus the re-check queue):
 * 1. Redis pass: every Redis id (SCAN ∪ indexes) whose record exists is compared with Postgres.
 * 2. Postgres pass: every Postgres id whose Redis record does not exist is "missing in Redis" (ids
 *    that exist in Redis were compared in pass 1), unless its absence is expected.
 * A mismatch is not reported at once: it is re-checked after `recheckDelayMs` (a dual-write in flight
 * looks like a difference for a moment), and again while the record keeps changing, up to
 * `recheckRounds` times. Only what is still different then is reported.
 */
import type { AnyEntitySync, SyncContext } from '../entities/types.js';
import type { QuarantineLookup } from './backfill-records.js';
import { compareIds, isMismatch, type Observation } from './compare.js';
import { diffRecords } from './diff.js';
import type { EntityCounts, EntityVerifyResult, Mismatch } from './types.js';

export interface EntityPassEnv {
  ctx: SyncContext;
  quarantine: QuarantineLookup;
  batchSize: number;
  sample: number;
  diffLimit: number;
  recheckDelayMs: number;
  recheckRounds: number;
  /** Receives every final mismatch (stored in Postgres by the engine). */
  report(mismatch: Mismatch): Promise<void>;
  /** Sees every final observation of a record present on both sides (drift checks). */
  observe?(entity: AnyEntitySync, observation: Observation): void;
  /** Child rows of a record (items, variants), for the child-row totals. */
  childCount?(entity: AnyEntitySync, record: unknown): number | undefined;
  onProgress?(phase: 'redis' | 'postgres', done: number): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function emptyCounts(): EntityCounts {
  return {
    redisRecords: 0,
    postgresRecords: 0,
    equal: 0,
    different: 0,
    missingInPostgres: 0,
    missingInRedis: 0,
    undecodable: 0,
    quarantined: 0,
    skipped: 0,
    resolvedOnRecheck: 0,
    danglingIndexIds: 0,
    unlinkedRefs: 0,
  };
}

/** Counts and reports final observations. */
class Tally {
  readonly counts = emptyCounts();
  readonly skippedReasons: Record<string, number> = {};
  readonly samples: Mismatch[] = [];

  constructor(
    private readonly entity: AnyEntitySync,
    private readonly env: EntityPassEnv,
  ) {}

  async final(obs: Observation, rechecked: boolean): Promise<void> {
    const o = obs.outcome;
    if (rechecked && !isMismatch(o)) this.counts.resolvedOnRecheck++;
    if (obs.redis !== undefined && obs.postgres !== undefined) this.env.observe?.(this.entity, obs);
    switch (o.kind) {
      case 'equal':
        this.counts.equal++;
        return;
      case 'absent':
        return;
      case 'quarantined':
        this.counts.quarantined++;
        return;
      case 'skipped':
        this.counts.skipped++;
        this.skippedReasons[o.reason] = (this.skippedReasons[o.reason] ?? 0) + 1;
        return;
      case 'different':
        this.counts.different++;
        return this.mismatch({
          entity: this.entity.name,
          id: obs.id,
          kind: 'different',
          redisKey: o.key,
          diffs: diffRecords(
            this.entity.compareFormRedis(obs.redis),
            this.entity.compareFormPostgres(obs.postgres),
            this.env.diffLimit,
          ),
        });
      case 'missing_in_postgres':
        this.counts.missingInPostgres++;
        return this.mismatch({ entity: this.entity.name, id: obs.id, kind: o.kind, redisKey: o.key });
      case 'missing_in_redis':
        this.counts.missingInRedis++;
        return this.mismatch({ entity: this.entity.name, id: obs.id, kind: o.kind });
      case 'undecodable':
        this.counts.undecodable++;
        return this.mismatch({
          entity: this.entity.name,
          id: obs.id,
          kind: o.kind,
          redisKey: o.key,
          detail: o.detail,
        });
    }
  }

  private async mismatch(m: Mismatch): Promise<void> {
    if (this.samples.length < this.env.sample) this.samples.push(m);
    await this.env.report(m);
  }
}

/** Mismatches waiting for their re-check. */
class RecheckQueue {
  private readonly pending = new Map<string, { fingerprint: string; at: number; round: number }>();

  constructor(
    private readonly entity: AnyEntitySync,
    private readonly env: EntityPassEnv,
    private readonly tally: Tally,
    private readonly cap: number,
  ) {}

  async add(obs: Observation): Promise<void> {
    this.pending.set(obs.id, { fingerprint: obs.fingerprint, at: Date.now(), round: 1 });
    if (this.pending.size >= this.cap) await this.drain();
  }

  async drain(): Promise<void> {
    while (this.pending.size > 0) {
      const newest = Math.max(...[...this.pending.values()].map((p) => p.at));
      await sleep(Math.max(0, newest + this.env.recheckDelayMs - Date.now()));
      const ids = [...this.pending.keys()];
      for (const obs of await compareIds(this.entity, this.env.ctx, this.env.quarantine, ids)) {
        const prev = this.pending.get(obs.id)!;
        const changing = obs.fingerprint !== prev.fingerprint;
        if (isMismatch(obs.outcome) && changing && prev.round < this.env.recheckRounds) {
          this.pending.set(obs.id, { fingerprint: obs.fingerprint, at: Date.now(), round: prev.round + 1 });
          continue;
        }
        this.pending.delete(obs.id);
        await this.tally.final(obs, true);
      }
    }
  }
}

/** Runs both passes over one entity. `unlinked` lists the ids whose `*_ref` columns are not linked. */
export async function verifyEntity(entity: AnyEntitySync, env: EntityPassEnv): Promise<EntityVerifyResult> {
  const tally = new Tally(entity, env);
  const queue = new RecheckQueue(entity, env, tally, Math.max(env.batchSize * 2, 100));
  let childRedis = 0;
  let counted = false;

  const settle = async (observations: Observation[]) => {
    for (const obs of observations) {
      if (isMismatch(obs.outcome)) await queue.add(obs);
      else await tally.final(obs, false);
    }
  };

  let done = 0;
  for await (const batch of entity.listRedisIds(env.ctx, env.batchSize)) {
    const ids = [...new Set(batch)];
    const redis = await entity.loadRedis(env.ctx, ids);
    const present = ids.filter((id) => redis.has(id));
    tally.counts.redisRecords += present.length;
    tally.counts.danglingIndexIds += ids.length - present.length;
    for (const id of present) {
      const e = redis.get(id)!;
      const n = e.ok ? env.childCount?.(entity, e.record) : undefined;
      if (n !== undefined) {
        childRedis += n;
        counted = true;
      }
    }
    await settle(await compareIds(entity, env.ctx, env.quarantine, present, redis));
    done += ids.length;
    env.onProgress?.('redis', done);
  }

  done = 0;
  for await (const batch of entity.listPostgresIds(env.ctx, env.batchSize)) {
    tally.counts.postgresRecords += batch.length;
    const present = entity.presentInRedis
      ? await entity.presentInRedis(env.ctx, batch)
      : new Set((await entity.loadRedis(env.ctx, batch)).keys());
    const absent = batch.filter((id) => !present.has(id));
    await settle(await compareIds(entity, env.ctx, env.quarantine, absent, new Map()));
    done += batch.length;
    env.onProgress?.('postgres', done);
  }
  await queue.drain();

  return {
    entity: entity.name,
    domain: entity.domain,
    clean: false, // decided by the engine once the relationship checks are in
    counts: tally.counts,
    ...(counted ? { childRows: { redis: childRedis, postgres: 0 } } : {}),
    skippedReasons: tally.skippedReasons,
    samples: tally.samples,
  };
}
