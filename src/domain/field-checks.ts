/**
 * The input checks every domain rule is built from (catalogue, products, purchases, alcohol types,
 * orders, checkout, refunds, promotions, accounts). Each returns the checked value or throws a
 * {@link ValidationError} naming the field and what is wrong, in one voice, so repositories can
 * validate a whole record before anything is written. Limits stay with the rules that use them.
 */
import { ValidationError } from './errors.js';

/** Longest id/slug accepted on new writes (legacy ids are far shorter; this only stops abuse). */
export const MAX_ID_LENGTH = 100;
/** Longest name-like string accepted (product, scent, vendor names…). */
export const MAX_NAME_LENGTH = 200;
/** Longest free text accepted (notes, descriptions, URLs). */
export const MAX_TEXT_LENGTH = 5000;

/**
 * A string, at most `max` characters; `allowEmpty` false also refuses whitespace-only text.
 * Also refuses what Postgres `text` cannot hold: U+0000 and lone UTF-16
 * surrogates, on every backend, so both stores accept exactly the same input (a write Redis took
 * and Postgres refused would leave a dual-write journaled forever).
 */
export function checkString(field: string, value: unknown, max: number, allowEmpty = false): string {
  if (typeof value !== 'string')
    throw new ValidationError(field, `must be a string, got ${describeInput(value)}`);
  if (!allowEmpty && value.trim() === '') throw new ValidationError(field, 'must not be empty');
  if (value.length > max)
    throw new ValidationError(field, `is ${value.length} characters long, at most ${max}`);
  if (UNSTORABLE.test(value)) throw new ValidationError(field, UNSTORABLE_PROBLEM);
  return value;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is exactly what is refused.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSTORABLE_PROBLEM = 'contains U+0000 or a lone UTF-16 surrogate';

/** Largest whole number a Postgres `integer` column (cents, stock) holds. */
export const MAX_INT32 = 2_147_483_647;

/** Like {@link checkString} but `undefined` and `null` pass through untouched. */
export function checkOptionalString(field: string, value: unknown, max: number): string | null | undefined {
  return value === undefined || value === null ? value : checkString(field, value, max, true);
}

/** A finite number (`integer`: a safe whole number); `min`/`exclusiveMin`/`max` bound it. `-0` becomes `0`. */
export function checkNumber(
  field: string,
  value: unknown,
  bounds: { min?: number; exclusiveMin?: number; max?: number; integer?: boolean } = {},
): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    const what = bounds.integer ? 'a whole number' : 'a finite number';
    throw new ValidationError(field, `must be ${what}, got ${describeInput(value)}`);
  }
  if (bounds.integer && !Number.isSafeInteger(value))
    throw new ValidationError(field, `${value} is not a whole number`);
  if (bounds.min !== undefined && value < bounds.min)
    throw new ValidationError(field, `must be at least ${bounds.min}, got ${value}`);
  if (bounds.exclusiveMin !== undefined && value <= bounds.exclusiveMin) {
    throw new ValidationError(field, `must be greater than ${bounds.exclusiveMin}, got ${value}`);
  }
  if (bounds.max !== undefined && value > bounds.max)
    throw new ValidationError(field, `must be at most ${bounds.max}, got ${value}`);
  return value + 0;
}

/** `undefined` / `null` pass; anything else must satisfy {@link checkNumber}. */
export function checkOptionalNumber(
  field: string,
  value: unknown,
  bounds: Parameters<typeof checkNumber>[2] = {},
): number | null | undefined {
  return value === undefined || value === null ? value : checkNumber(field, value, bounds);
}

/** `true` or `false`. */
export function checkBoolean(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean')
    throw new ValidationError(field, `must be true or false, got ${describeInput(value)}`);
  return value;
}

/** `undefined` / `null` / a boolean. */
export function checkOptionalBoolean(field: string, value: unknown): boolean | null | undefined {
  return value === undefined || value === null ? value : checkBoolean(field, value);
}

/** One of `allowed`. */
export function checkOneOf<const T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new ValidationError(
    field,
    `${describeInput(value)} is not one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`,
  );
}

/** A plain object (not an array, not `null`). */
export function checkObject(field: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(field, `must be an object, got ${describeInput(value)}`);
  }
  return value as Record<string, unknown>;
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** `toISOString()` output (UTC, milliseconds), the only timestamp form records hold (decisions §4). */
export function isIsoTimestamp(value: string): boolean {
  if (!ISO_TIMESTAMP.test(value)) return false;
  const t = Date.parse(value);
  return !Number.isNaN(t) && new Date(t).toISOString() === value;
}

/** A real calendar day written `YYYY-MM-DD` (`25-12-01` and `2025-02-30` are not). */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const t = Date.parse(`${value}T00:00:00.000Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === value;
}

/** A timestamp as {@link isIsoTimestamp} accepts it. */
export function checkTimestamp(field: string, value: unknown): string {
  if (typeof value === 'string' && isIsoTimestamp(value)) return value;
  throw new ValidationError(
    field,
    `${describeInput(value)} is not an ISO-8601 UTC timestamp with milliseconds (like 2025-12-18T21:40:05.123Z)`,
  );
}

/** An id matching `pattern` (described as `patternText`), never the literal `index` (§2c). */
export function checkId(field: string, value: unknown, pattern: RegExp, patternText: string): string {
  const id = checkString(field, value, MAX_ID_LENGTH);
  if (!pattern.test(id))
    throw new ValidationError(field, `${JSON.stringify(id)} does not match ${patternText}`);
  // A record whose id is `index` would overwrite its own index set in the legacy layout (§2c).
  if (id === 'index') throw new ValidationError(field, '"index" is reserved for the index key');
  return id;
}

/** An array of strings (each at most `max` long), or `undefined` / `null`. */
export function checkOptionalStringArray(
  field: string,
  value: unknown,
  max: number,
): string[] | null | undefined {
  if (value === undefined || value === null) return value;
  if (!Array.isArray(value))
    throw new ValidationError(field, `must be an array, got ${describeInput(value)}`);
  for (const [i, v] of value.entries()) checkString(`${field}[${i}]`, v, max, true);
  return value as string[];
}

/**
 * `extra` (unknown legacy keys): `undefined`, or an object none of whose keys is a modelled field
 * (the codec would drop it). Unstorable text is refused as in {@link checkString}, for every string and key inside.
 */
export function checkExtra(
  field: string,
  extra: unknown,
  modelled: readonly string[] | ReadonlySet<string>,
): void {
  if (extra === undefined) return;
  if (typeof extra !== 'object' || extra === null || Array.isArray(extra)) {
    throw new ValidationError(field, 'must be an object of unknown legacy keys');
  }
  checkJsonText(field, extra);
  const isModelled = (k: string) => ('has' in modelled ? modelled.has(k) : modelled.includes(k));
  const clash = Object.keys(extra).find(isModelled);
  if (clash !== undefined)
    throw new ValidationError(`${field}.${clash}`, 'names a modelled field; set the field itself');
}

/** Every string and key inside a JSON value must be storable (see {@link checkString}). */
function checkJsonText(field: string, value: unknown): void {
  if (typeof value === 'string') {
    if (UNSTORABLE.test(value)) throw new ValidationError(field, UNSTORABLE_PROBLEM);
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) checkJsonText(`${field}[${i}]`, v);
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      checkJsonText(field, k);
      checkJsonText(`${field}.${k}`, v);
    }
  }
}

/** A bad input value, for messages: `null`, `an array`, `the number 2.5`, `the string "abc"`. */
export function describeInput(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' || typeof value === 'boolean') return `the ${typeof value} ${value}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  return typeof value === 'object' ? 'an object' : typeof value;
}
