/**
 * The text layer: one whole Redis value (or one set/list member) ⇄ a domain value. Every decode here
 * returns a `Result`; nothing below it can make it throw.
 */
import { parseIntegerText, parseJsonText } from '../raw.js';
import { type Codec, childPath, FieldProblem } from './codec.js';
import type { DecodeError, Result } from './result.js';

/** Decodes and encodes the whole text of one Redis string value (or one member). */
export interface ValueCodec<T> {
  /** `key` is only used to name the value in errors. */
  decode(key: string, raw: string): Result<T>;
  /** The exact text the store writes. */
  encode(value: T): string;
}

/** Runs `fn`, turning a {@link FieldProblem} (or any unexpected throw) into a failed `Result`. */
export function guard<T>(key: string, raw: string, fn: () => T): Result<T> {
  try {
    return { ok: true, value: fn() };
  } catch (err) {
    const error: DecodeError =
      err instanceof FieldProblem
        ? { key, field: err.path, problem: err.problem, raw }
        : { key, field: '', problem: `cannot be decoded (${String(err)})`, raw };
    return { ok: false, error };
  }
}

/** A value written with `JSON.stringify` (objects, arrays, and the JSON text of §1's two strings). */
export function jsonValue<T>(codec: Codec<T>): ValueCodec<T> {
  return {
    decode: (key, raw) =>
      guard(key, raw, () => {
        const parsed = parseJsonText(raw);
        if (!parsed.ok) throw new FieldProblem('', parsed.problem);
        return codec.decode(parsed.value, '');
      }),
    encode: (value) => JSON.stringify(codec.encode(value)),
  };
}

/** A plain string written without quotes (ids, tokens, secrets): kept byte for byte, never parsed. */
export const plainText: ValueCodec<string> = {
  decode: (_key, raw) => ({ ok: true, value: raw }),
  encode: (value) => value,
};

/** A counter written by `SET n` / `INCR`. */
export const integerText: ValueCodec<number> = {
  decode: (key, raw) =>
    guard(key, raw, () => {
      const n = parseIntegerText(raw);
      if (n === undefined) throw new FieldProblem('', `${JSON.stringify(raw)} is not an integer`);
      return n;
    }),
  encode: (value) => String(value),
};

/** A value that is always the same text (`webhook:event:*` holds `true`). */
export function literalText<const T>(text: string, value: T): ValueCodec<T> {
  return {
    decode: (key, raw) =>
      raw === text
        ? { ok: true, value }
        : {
            ok: false,
            error: { key, field: '', problem: `expected ${text}, got ${JSON.stringify(raw)}`, raw },
          },
    encode: () => text,
  };
}

/** Decodes members one by one: the good ones in their original order, an error for each bad one. */
export interface MemberBatch<T> {
  values: T[];
  errors: DecodeError[];
}

/** Decodes set/list members; errors name the member position, e.g. `[3].timestamp`. */
export function decodeEach<T>(codec: ValueCodec<T>, key: string, members: readonly string[]): MemberBatch<T> {
  const batch: MemberBatch<T> = { values: [], errors: [] };
  members.forEach((raw, i) => {
    const r = codec.decode(key, raw);
    if (r.ok) batch.values.push(r.value);
    else batch.errors.push({ ...r.error, field: prefixField(childPath('', i), r.error.field) });
  });
  return batch;
}

function prefixField(position: string, field: string): string {
  if (field === '') return position;
  return field.startsWith('[') ? `${position}${field}` : `${position}.${field}`;
}
