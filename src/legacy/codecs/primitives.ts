/** Leaf codecs: strings, numbers, timestamps, enums, arrays, maps and free-form JSON. */
import { isIsoDate, isIsoTimestamp } from '../../domain/field-checks.js';
import { type Codec, childPath, describeValue, expected, fail, isJsonObject } from './codec.js';

function leaf<T>(decode: (input: unknown, path: string) => T): Codec<T> {
  return { decode, encode: (value: T) => value };
}

export const str: Codec<string> = leaf((v, path) =>
  typeof v === 'string' ? v : expected(path, 'a string', v),
);

export const bool: Codec<boolean> = leaf((v, path) =>
  typeof v === 'boolean' ? v : expected(path, 'a boolean', v),
);

/** Any finite number (JSON cannot hold another kind). `-0` reads as `0`, as JSON writes it. */
export const num: Codec<number> = leaf((v, path) =>
  typeof v === 'number' && Number.isFinite(v) ? v + 0 : expected(path, 'a number', v),
);

/** A whole number within ±2^53. */
export const int: Codec<number> = leaf((v, path) => {
  const n = num.decode(v, path);
  if (!Number.isInteger(n)) return fail(path, `${n} is not a whole number`);
  if (!Number.isSafeInteger(n)) return fail(path, `${n} is too large to be exact`);
  return n;
});

/** Stock: a whole number ≥ 0 (docs/decisions.md §3). */
export const stockCount: Codec<number> = leaf((v, path) => {
  const n = int.decode(v, path);
  return n < 0 ? fail(path, `${n} is negative`) : n;
});

/**
 * Dollars in Redis, integer cents in the domain. A value that is not a whole number of cents is
 * refused, never rounded (docs/decisions.md §2); `cents / 100` gives the exact float back.
 */
export const dollarsAsCents: Codec<number> = {
  decode(v, path) {
    const dollars = num.decode(v, path);
    const cents = Math.round(dollars * 100);
    if (!Number.isSafeInteger(cents)) return fail(path, `${dollars} is too large to be exact`);
    if (cents / 100 !== dollars) return fail(path, `${dollars} is not a whole number of cents`);
    return cents + 0;
  },
  encode: (cents) => cents / 100,
};

/** `toISOString()` output only (UTC, milliseconds); anything else is a decode error. */
export const isoTimestamp: Codec<string> = leaf((v, path) => {
  const s = str.decode(v, path);
  if (!isIsoTimestamp(s)) {
    return fail(path, `${describeValue(s)} is not an ISO-8601 UTC timestamp with milliseconds`);
  }
  return s;
});

/** `YYYY-MM-DD`, a real calendar day (`25-12-01` or `2025-02-30` are errors). */
export const isoDate: Codec<string> = leaf((v, path) => {
  const s = str.decode(v, path);
  return isIsoDate(s) ? s : fail(path, `${describeValue(s)} is not a YYYY-MM-DD date`);
});

/** One of a fixed set of strings. */
export function oneOf<const T extends string>(values: readonly T[]): Codec<T> {
  const allowed = new Set<string>(values);
  return leaf((v, path) => {
    const s = str.decode(v, path);
    if (allowed.has(s)) return s as T;
    return fail(path, `${describeValue(s)} is not one of ${values.map((x) => `"${x}"`).join(', ')}`);
  });
}

/** Exactly this JSON value. */
export function literal<const T extends number | boolean | string>(value: T): Codec<T> {
  return leaf((v, path) => (v === value ? value : expected(path, JSON.stringify(value), v)));
}

/** Any JSON value, kept as parsed. */
export const anyJson: Codec<unknown> = leaf((v) => v);

/** Any JSON object, kept as parsed (free-form payloads such as admin-log `details`). */
export const jsonObject: Codec<Record<string, unknown>> = leaf((v, path) =>
  isJsonObject(v) ? v : expected(path, 'an object', v),
);

/** A JSON array whose elements all decode with `item`. */
export function arrayOf<T>(item: Codec<T>): Codec<T[]> {
  return {
    decode(v, path) {
      if (!Array.isArray(v)) return expected(path, 'an array', v);
      return v.map((element, i) => item.decode(element, childPath(path, i)));
    },
    encode: (values) => values.map((value) => item.encode(value)),
  };
}

/** A JSON object used as a map (`variantData`, `squareVariantMapping`). Keys are kept verbatim. */
export function recordOf<T>(item: Codec<T>): Codec<Record<string, T>> {
  return {
    decode(v, path) {
      if (!isJsonObject(v)) return expected(path, 'an object', v);
      // fromEntries defines properties, so a key such as `__proto__` stays an ordinary key.
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, item.decode(x, childPath(path, k))]));
    },
    encode: (values) => Object.fromEntries(Object.entries(values).map(([k, x]) => [k, item.encode(x)])),
  };
}
