/**
 * Comparing one batch of ids: load both sides through the entity sync layer, hash the canonical forms
 * (src/domain/canonical.ts, the one comparison), and say what each id is. Never throws on bad data;
 * infrastructure errors propagate.
 */
import { canonicalHash } from '../../domain/canonical.js';
import { describeDecodeError } from '../../legacy/codecs/result.js';
import type { AnyEntitySync, RedisEntry, SyncContext } from '../entities/types.js';
import type { QuarantineLookup } from './backfill-records.js';

/** What one id turned out to be. */
export type Outcome =
  | { kind: 'equal' }
  /** On neither side (deleted meanwhile, or an index id with no record). */
  | { kind: 'absent' }
  | { kind: 'skipped'; reason: string }
  | { kind: 'quarantined' }
  | { kind: 'undecodable'; key: string; detail: string }
  | { kind: 'different'; key: string }
  | { kind: 'missing_in_postgres'; key: string }
  | { kind: 'missing_in_redis' };

/** One compared id with both sides' records (when decoded) and a fingerprint of what was seen. */
export interface Observation {
  id: string;
  outcome: Outcome;
  /** Changes when either side's content changes: tells a record being modified from a stable difference. */
  fingerprint: string;
  redis?: unknown;
  postgres?: unknown;
}

/** True for the outcomes that count against a clean verify. */
export function isMismatch(o: Outcome): boolean {
  return (
    o.kind === 'different' ||
    o.kind === 'missing_in_postgres' ||
    o.kind === 'missing_in_redis' ||
    o.kind === 'undecodable'
  );
}

function redisHash(entity: AnyEntitySync, entry: RedisEntry<unknown> | undefined): string {
  if (!entry) return '-';
  return entry.ok
    ? canonicalHash(entity.compareFormRedis(entry.record))
    : `!${canonicalHash(entry.error.raw)}`;
}

/**
 * Compares `ids`. `preloaded` is the Redis side when the caller has already loaded it (every id of
 * the batch must then be in it or absent from Redis).
 */
export async function compareIds(
  entity: AnyEntitySync,
  ctx: SyncContext,
  quarantine: QuarantineLookup,
  ids: readonly string[],
  preloaded?: Map<string, RedisEntry<unknown>>,
): Promise<Observation[]> {
  if (ids.length === 0) return [];
  const redis = preloaded ?? (await entity.loadRedis(ctx, ids));
  const pg = await entity.loadPostgres(ctx, ids);
  // Only keys that could be quarantined: undecodable, or present in Redis and missing in Postgres.
  const suspects = ids
    .filter((id) => {
      const e = redis.get(id);
      return e !== undefined && (!e.ok || !pg.has(id));
    })
    .map((id) => redis.get(id)!.key);
  const quarantined = await quarantine.quarantined(suspects);

  const out: Observation[] = [];
  for (const id of ids) {
    const r = redis.get(id);
    const p = pg.get(id);
    const pgHash = p === undefined ? '-' : canonicalHash(entity.compareFormPostgres(p));
    const fingerprint = `${redisHash(entity, r)}|${pgHash}`;
    const seen = { id, fingerprint, redis: r?.ok ? r.record : undefined, postgres: p };
    out.push({ ...seen, outcome: await decide(entity, ctx, r, p, pgHash, quarantined) });
  }
  return out;
}

async function decide(
  entity: AnyEntitySync,
  ctx: SyncContext,
  r: RedisEntry<unknown> | undefined,
  p: unknown,
  pgHash: string,
  quarantined: Set<string>,
): Promise<Outcome> {
  if (r === undefined) {
    if (p === undefined) return { kind: 'absent' };
    const reason = await entity.absenceExpected?.(ctx, p, 'postgres');
    return reason ? { kind: 'skipped', reason } : { kind: 'missing_in_redis' };
  }
  if (!r.ok) {
    if (quarantined.has(r.key)) return { kind: 'quarantined' };
    return { kind: 'undecodable', key: r.key, detail: describeDecodeError(r.error) };
  }
  if (p === undefined) {
    if (quarantined.has(r.key)) return { kind: 'quarantined' };
    const reason = await entity.absenceExpected?.(ctx, r.record, 'redis');
    return reason ? { kind: 'skipped', reason } : { kind: 'missing_in_postgres', key: r.key };
  }
  return canonicalHash(entity.compareFormRedis(r.record)) === pgHash
    ? { kind: 'equal' }
    : { kind: 'different', key: r.key };
}
