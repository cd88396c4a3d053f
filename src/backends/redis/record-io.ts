/**
 * Reading legacy values through the codecs. A value that does not decode is never turned into "not
 * found" (that would hide corruption and let a write overwrite it): it throws
 * {@link LegacyRecordError}, which names the key, the field and the problem, so the record can be
 * quarantined and repaired. Missing keys are `null`.
 */
import { type DecodeError, describeDecodeError } from '../../legacy/codecs/result.js';
import type { ValueCodec } from '../../legacy/codecs/value.js';
import type { RedisUnitOfWork } from './atomic.js';
import type { RedisClient } from './client.js';

/** A stored legacy value that cannot be decoded (not a domain error: the data needs repair). */
export class LegacyRecordError extends Error {
  constructor(readonly decodeError: DecodeError) {
    super(`unreadable legacy value: ${describeDecodeError(decodeError)}`);
    this.name = 'LegacyRecordError';
  }
}

/** Decodes one raw value; `null` stays `null`. */
export function decodeRaw<T>(codec: ValueCodec<T>, key: string, raw: string | null): T | null {
  if (raw === null) return null;
  const r = codec.decode(key, raw);
  if (!r.ok) throw new LegacyRecordError(r.error);
  return r.value;
}

/** GET + decode. */
export async function readValue<T>(
  client: RedisClient,
  codec: ValueCodec<T>,
  key: string,
): Promise<T | null> {
  return decodeRaw(codec, key, await client.get(key));
}

/** GET + decode inside a unit of work (the read becomes a guard of the unit's commit). */
export async function readInUnit<T>(
  uow: RedisUnitOfWork,
  codec: ValueCodec<T>,
  key: string,
): Promise<T | null> {
  return decodeRaw(codec, key, await uow.get(key));
}

/** MGET batch size: large enough for few round trips, small enough not to block Redis. */
export const MGET_BATCH = 500;

/** MGET in batches + decode; one entry per key, `null` where the key is missing. */
export async function readValues<T>(
  client: RedisClient,
  codec: ValueCodec<T>,
  keys: readonly string[],
): Promise<(T | null)[]> {
  const out: (T | null)[] = [];
  for (let i = 0; i < keys.length; i += MGET_BATCH) {
    const batch = keys.slice(i, i + MGET_BATCH);
    const raws = await client.mGet(batch);
    batch.forEach((key, j) => {
      out.push(decodeRaw(codec, key, raws[j] ?? null));
    });
  }
  return out;
}
