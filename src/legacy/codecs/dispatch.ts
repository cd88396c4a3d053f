/**
 * One entry point for later tasks (backfill, verify, repair): decode any classified key's value, or the
 * members of any set/list, without knowing which entity it holds. Pure; never throws.
 */
import { type ClassifiedKey, KEY_REDIS_TYPE } from '../keys.js';
import {
  ID_FIELDS,
  isMemberFamily,
  isStringFamily,
  type LegacyMemberValues,
  type LegacyStringValues,
  MEMBER_CODECS,
  type MemberFamily,
  STRING_CODECS,
  type StringFamily,
} from './families.js';
import type { DecodeError, Result } from './result.js';
import { decodeEach, type ValueCodec } from './value.js';

/** A decoded string value, tagged with its family so callers can switch on it. */
export type LegacyValue = { [F in StringFamily]: { family: F; value: LegacyStringValues[F] } }[StringFamily];

/** The decoded members of one set or list (good ones in Redis order) plus one error per bad member. */
export type LegacyMembers = {
  [F in MemberFamily]: { family: F; values: LegacyMemberValues[F][]; errors: DecodeError[] };
}[MemberFamily];

function failure(key: string, raw: string, problem: string, field = ''): { ok: false; error: DecodeError } {
  return { ok: false, error: { key, field, problem, raw } };
}

/**
 * Decodes the value of a string key (JSON record, plain string, counter or literal). Also refuses a
 * record whose own id (`id`, `slug`, `token`) differs from the id in its key. Sets, lists and unknown
 * keys are errors that say why.
 */
export function decodeLegacyValue(key: ClassifiedKey, raw: string): Result<LegacyValue> {
  const family = key.family;
  if (family === 'unknown') return failure(key.key, raw, `is not a legacy key: ${key.reason}`);
  if (!isStringFamily(family)) {
    return failure(key.key, raw, `is a Redis ${KEY_REDIS_TYPE[family]}; decode it with decodeMembers`);
  }
  const codec = STRING_CODECS[family] as ValueCodec<unknown>;
  const decoded = codec.decode(key.key, raw);
  if (!decoded.ok) return decoded;
  const idField = ID_FIELDS[family];
  if (idField !== undefined && key.id !== undefined) {
    const own = (decoded.value as Record<string, unknown>)[idField];
    if (own !== key.id) {
      return failure(
        key.key,
        raw,
        `${JSON.stringify(own)} differs from the key's id ${JSON.stringify(key.id)}`,
        idField,
      );
    }
  }
  return { ok: true, value: { family, value: decoded.value } as LegacyValue };
}

/** The exact text the store writes for a decoded value. */
export function encodeLegacyValue(value: LegacyValue): string {
  return (STRING_CODECS[value.family] as ValueCodec<unknown>).encode(value.value);
}

/**
 * Decodes the members of a set or list key (SMEMBERS / LRANGE 0 -1 output). Id members are kept as
 * strings even when they look like JSON; `admin:logs` members are JSON entries. A bad member is reported
 * (field `[i]…`) and skipped; the call fails only when the key is not a set or list family.
 */
export function decodeMembers(key: ClassifiedKey, members: readonly string[]): Result<LegacyMembers> {
  const family = key.family;
  const raw = JSON.stringify(members);
  if (family === 'unknown') return failure(key.key, raw, `is not a legacy key: ${key.reason}`);
  if (!isMemberFamily(family))
    return failure(key.key, raw, 'is a Redis string; decode it with decodeLegacyValue');
  const batch = decodeEach(MEMBER_CODECS[family] as ValueCodec<unknown>, key.key, members);
  return { ok: true, value: { family, ...batch } as LegacyMembers };
}

/** Member texts in the given order (for a list: LRANGE order, newest first). */
export function encodeMembers(members: Pick<LegacyMembers, 'family' | 'values'>): string[] {
  const codec = MEMBER_CODECS[members.family] as ValueCodec<unknown>;
  return (members.values as unknown[]).map((value) => codec.encode(value));
}

/** One value read from Redis, for {@link decodeLegacyBatch}. */
export interface RawEntry {
  key: ClassifiedKey;
  raw: string;
}

/** Outcome of a batch: every good value with its key, every bad one as an error. */
export interface DecodedBatch {
  values: { key: ClassifiedKey; decoded: LegacyValue }[];
  errors: DecodeError[];
}

/** Decodes many string values; bad ones never stop the good ones. */
export function decodeLegacyBatch(entries: readonly RawEntry[]): DecodedBatch {
  const batch: DecodedBatch = { values: [], errors: [] };
  for (const entry of entries) {
    const r = decodeLegacyValue(entry.key, entry.raw);
    if (r.ok) batch.values.push({ key: entry.key, decoded: r.value });
    else batch.errors.push(r.error);
  }
  return batch;
}
