/**
 * One-record operations on top of the entity descriptors, for callers that move records one at a
 * time (the migration router's shadow writes and journal reconciler): copy a record's current state
 * from one store to the other, and compare two versions the way verify does.
 */
import { canonicalHash } from '../../domain/canonical.js';
import { describeDecodeError } from '../../legacy/codecs/result.js';
import {
  type AnyEntitySync,
  NotCopyableError,
  type Side,
  type SyncContext,
  type WriteOutcome,
} from './types.js';

/**
 * Copies the current state of record `id` from `from` to the other store: the record as `from` has it,
 * or its deletion when `from` has none. Throws {@link NotCopyableError} when the source value cannot
 * be decoded or cannot be written on the other side; infrastructure errors propagate.
 */
export async function copyRecord(
  ctx: SyncContext,
  entity: AnyEntitySync,
  id: string,
  from: Side,
): Promise<WriteOutcome> {
  if (from === 'redis') {
    const entry = (await entity.loadRedis(ctx, [id])).get(id);
    if (entry && !entry.ok) {
      throw new NotCopyableError(
        entity.name,
        id,
        `the Redis value cannot be decoded: ${describeDecodeError(entry.error)}`,
      );
    }
    return entity.writePostgres(ctx, ctx.pg.db, id, entry ? entry.record : null);
  }
  const record = (await entity.loadPostgres(ctx, [id])).get(id);
  return entity.writeRedis(ctx, id, record ?? null);
}

/** Whether a Redis-side and a Postgres-side record are the same on the canonical form verify compares. */
export function sameRecord(entity: AnyEntitySync, redisRecord: unknown, postgresRecord: unknown): boolean {
  return (
    canonicalHash(entity.compareFormRedis(redisRecord)) ===
    canonicalHash(entity.compareFormPostgres(postgresRecord))
  );
}
