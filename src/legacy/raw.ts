/**
 * How raw Redis bytes turn into values (legacy-redis-format.md §1), as pure functions that never throw.
 *
 * Every value is text in Redis. Objects and arrays were written with `JSON.stringify`; plain strings
 * (ids, e-mail pointers, tokens, index members) were written as they are, **without quotes**, so a
 * plain string must never be run through `JSON.parse` (`"123"` would become a number).
 */

/** Outcome of parsing JSON text. */
export type JsonParse = { ok: true; value: unknown } | { ok: false; problem: string };

/** `JSON.parse` without throwing. */
export function parseJsonText(raw: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch (err) {
    return { ok: false, problem: `is not valid JSON (${err instanceof Error ? err.message : String(err)})` };
  }
}

const INTEGER_TEXT = /^-?(0|[1-9][0-9]*)$/;

/** Parses the decimal text `INCR`/`SET n` leaves behind; `undefined` when it is not a safe integer. */
export function parseIntegerText(raw: string): number | undefined {
  if (!INTEGER_TEXT.test(raw)) return undefined;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * What the store itself got back from `@vercel/kv` for a raw value: `JSON.parse` when that succeeds,
 * else the raw string. Numbers that do not survive a text round trip stay strings. Only for reasoning
 * about the live app's view (e.g. a member `"123"` read as the number 123); codecs decode by family and
 * treat ids as strings (§8.19).
 */
export function kvDeserialize(raw: string): unknown {
  const parsed = parseJsonText(raw);
  if (!parsed.ok) return raw;
  if (typeof parsed.value === 'number' && String(parsed.value) !== raw) return raw;
  return parsed.value;
}
