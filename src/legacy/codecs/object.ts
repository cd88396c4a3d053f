/**
 * Object codecs driven by one field table per record, so decode and encode cannot drift apart: the
 * table gives each domain field its legacy name, its codec, whether it may be absent and whether it may
 * hold an explicit `null`; its order is the order the encoder writes.
 */
import { type Codec, childPath, expected, fail, isJsonObject } from './codec.js';

/** How one domain field is stored. `V` is the domain field type, `undefined`/`null` included. */
export interface FieldSpec<V> {
  /** Decodes a present, non-null value. */
  readonly codec: Codec<unknown>;
  /** May the legacy key be absent? (domain `undefined`) */
  readonly optional: boolean;
  /** May the legacy key hold `null`? (domain `null`, docs/decisions.md §1) */
  readonly nullable: boolean;
  /** Legacy JSON name when it differs from the domain name (`price` for `priceCents`). */
  readonly legacyName: string | undefined;
  /** Ties the spec to the domain type exactly (invariant), so tables are checked against the types. */
  readonly phantom?: (value: V) => V;
}

function spec<V>(codec: Codec<unknown>, optional: boolean, nullable: boolean, legacyName?: string) {
  return { codec, optional, nullable, legacyName } as FieldSpec<V>;
}

/** Always present, never `null`. */
export const req = <T>(codec: Codec<T>, legacyName?: string): FieldSpec<T> =>
  spec(codec as Codec<unknown>, false, false, legacyName);
/** Always present; may be `null`. */
export const reqOrNull = <T>(codec: Codec<T>, legacyName?: string): FieldSpec<T | null> =>
  spec(codec as Codec<unknown>, false, true, legacyName);
/** May be absent; never `null`. */
export const opt = <T>(codec: Codec<T>, legacyName?: string): FieldSpec<T | undefined> =>
  spec(codec as Codec<unknown>, true, false, legacyName);
/** May be absent or `null` (fields copied from request bodies, §8.13). */
export const optOrNull = <T>(codec: Codec<T>, legacyName?: string): FieldSpec<T | null | undefined> =>
  spec(codec as Codec<unknown>, true, true, legacyName);

/** One spec per domain field except `extra`. */
export type ObjectFields<T> = { [K in Exclude<keyof T, 'extra'>]: FieldSpec<T[K]> };

/** Whether unknown keys ride in `extra` (records and client-made children) or are an error. */
export interface ObjectOptions {
  extra: boolean;
}

/** An object codec that also tells which legacy keys it models (the rest are `extra`). */
export interface ObjectCodec<T> extends Codec<T> {
  /** Legacy JSON names of the modelled fields, in the order the encoder writes them. */
  readonly legacyNames: readonly string[];
}

/** Builds the codec of one JSON object from its field table. */
export function objectCodec<T extends object>(
  fields: ObjectFields<T>,
  options: ObjectOptions,
): ObjectCodec<T> {
  const table = (Object.entries(fields) as [string, FieldSpec<unknown>][]).map(([name, f]) => ({
    name,
    legacy: f.legacyName ?? name,
    f,
  }));
  const known = new Set(table.map((t) => t.legacy));

  return {
    legacyNames: table.map((t) => t.legacy),
    decode(input, path) {
      if (!isJsonObject(input)) return expected(path, 'an object', input);
      const out: Record<string, unknown> = {};
      for (const { name, legacy, f } of table) {
        const at = childPath(path, legacy);
        if (!Object.hasOwn(input, legacy)) {
          if (!f.optional) fail(at, 'is missing');
          continue;
        }
        const value = input[legacy];
        out[name] = value === null && f.nullable ? null : f.codec.decode(value, at);
      }
      const unknown = Object.entries(input).filter(([k]) => !known.has(k));
      if (unknown.length > 0) {
        if (!options.extra) fail(childPath(path, unknown[0]![0]), 'is not a known field');
        out.extra = Object.fromEntries(unknown);
      }
      return out as T;
    },

    encode(value) {
      const record = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const { name, legacy, f } of table) {
        const v = record[name];
        if (v !== undefined) out[legacy] = v === null ? null : f.codec.encode(v);
      }
      const extra = record.extra as Record<string, unknown> | undefined;
      for (const [k, v] of Object.entries(extra ?? {})) {
        // defineProperty keeps a key such as `__proto__` an ordinary key.
        if (!known.has(k)) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true });
      }
      return out;
    },
  };
}
