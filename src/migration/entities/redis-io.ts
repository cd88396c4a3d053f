/**
 * Redis building blocks of the sync layer: MGET + codec decode into {@link RedisEntry}s, and the
 * atomic writes (one {@link RedisUnitOfWork} per record, so the record and its index entries change
 * together; a concurrent change to a guarded key makes the unit retry).
 */
import { type RedisUnitOfWork, runUnitOfWork } from '../../backends/redis/atomic.js';
import { decodeLegacyValue } from '../../legacy/codecs/dispatch.js';
import type { LegacyStringValues, StringFamily } from '../../legacy/codecs/families.js';
import { STRING_CODECS } from '../../legacy/codecs/families.js';
import { type ClassifiedKey, classifyKey } from '../../legacy/keys.js';
import { mgetAll } from './redis-ids.js';
import type { RedisEntry, SyncContext, WriteOutcome } from './types.js';

/**
 * Loads the records of `family` for `ids` (key = `keyOf(id)`): decoded, or a decode error; ids
 * without a key are left out. The codec also refuses a record whose own id differs from its key's.
 */
export async function loadFamily<F extends StringFamily>(
  ctx: SyncContext,
  family: F,
  ids: readonly string[],
  keyOf: (id: string) => string,
): Promise<Map<string, RedisEntry<LegacyStringValues[F]>>> {
  const unique = [...new Set(ids)];
  const keys = unique.map(keyOf);
  const raws = await mgetAll(ctx, keys);
  const out = new Map<string, RedisEntry<LegacyStringValues[F]>>();
  unique.forEach((id, i) => {
    const raw = raws[i];
    const key = keys[i]!;
    if (raw === null || raw === undefined) return;
    const decoded = decodeLegacyValue(recordKeyOf(key, ctx.keys.prefix, family, id), raw);
    if (!decoded.ok) out.set(id, { ok: false, key, error: decoded.error });
    else if (decoded.value.family !== family) {
      out.set(id, {
        ok: false,
        key,
        error: { key, field: '', problem: `holds a ${decoded.value.family} value`, raw },
      });
    } else out.set(id, { ok: true, key, record: decoded.value.value as LegacyStringValues[F] });
  });
  return out;
}

/**
 * How a record key classifies. `…:index` is the index key by definition, but a scent, oil, container
 * or wick whose id is `index` overwrote it with its JSON (§2c, §8.18): read as the record it holds.
 */
function recordKeyOf(key: string, prefix: string, family: StringFamily, id: string): ClassifiedKey {
  const c = classifyKey(key, prefix);
  return c.family !== family && id === INDEX_ID ? { family, id, key } : c;
}

/** The id whose record key is its family's index key. */
export const INDEX_ID = 'index';

/** The exact text the store writes for a record of `family`. */
export function encodeFamily<F extends StringFamily>(family: F, record: LegacyStringValues[F]): string {
  return STRING_CODECS[family].encode(record);
}

/**
 * Reads the current record of `family` at `key` inside a unit (the read guards the commit); `null`
 * when absent or undecodable (an undecodable value is overwritten by the copy, which is the repair).
 */
export async function readCurrent<F extends StringFamily>(
  uow: RedisUnitOfWork,
  family: F,
  key: string,
): Promise<LegacyStringValues[F] | null> {
  const raw = await uow.get(key);
  if (raw === null) return null;
  const r = STRING_CODECS[family].decode(key, raw);
  return r.ok ? r.value : null;
}

/**
 * Runs one record's Redis write as a unit of work. `work` queues the writes given the current value
 * (guarded) and returns the outcome.
 */
export function redisUnit(
  ctx: SyncContext,
  what: string,
  work: (uow: RedisUnitOfWork) => Promise<WriteOutcome>,
): Promise<WriteOutcome> {
  return runUnitOfWork(ctx.redis, what, work);
}

/**
 * The common record + index-set write: SET the record and SADD its id (legacy §5: "SET the record,
 * then add it to the index"), or DEL + SREM. Returns what happened.
 */
export function writeIndexedRecord<F extends StringFamily>(
  ctx: SyncContext,
  family: F,
  recordKey: string,
  indexKey: string,
  id: string,
  record: LegacyStringValues[F] | null,
): Promise<WriteOutcome> {
  return redisUnit(ctx, `copy ${recordKey}`, async (uow) => {
    if (record === null) {
      const existed = (await uow.get(recordKey)) !== null;
      uow.del(recordKey);
      if (recordKey !== indexKey) uow.push({ op: 'srem', key: indexKey, member: id });
      return existed ? 'deleted' : 'absent';
    }
    await uow.get(recordKey);
    uow.set(recordKey, encodeFamily(family, record));
    // The record of id `index` is its index key: the store's SADD would hit a string (WRONGTYPE).
    if (recordKey !== indexKey) uow.push({ op: 'sadd', key: indexKey, member: id });
    return 'written';
  });
}
