/**
 * Small input checks shared by the catalogue, alcohol-type and purchase rules. Each returns the checked
 * value or throws a {@link ValidationError} naming the field and what is wrong, so repositories can
 * validate a whole record before anything is written.
 */
import { ValidationError } from './errors.js';

/** Longest id/slug accepted on new writes (legacy ids are far shorter; this only stops abuse). */
export const MAX_ID_LENGTH = 100;
/** Longest name-like string accepted (product, scent, vendor names…). */
export const MAX_NAME_LENGTH = 200;
/** Longest free text accepted (notes, descriptions, URLs). */
export const MAX_TEXT_LENGTH = 5000;

/** A string, at most `max` characters; `allowEmpty` false also refuses whitespace-only text. */
export function checkString(field: string, value: unknown, max: number, allowEmpty = false): string {
  if (typeof value !== 'string') throw new ValidationError(field, `must be a string, got ${kind(value)}`);
  if (!allowEmpty && value.trim() === '') throw new ValidationError(field, 'must not be empty');
  if (value.length > max)
    throw new ValidationError(field, `is ${value.length} characters long (at most ${max})`);
  // Postgres text cannot hold U+0000 and UTF-8 cannot encode a lone surrogate: refuse them on every
  // backend so both stores accept exactly the same input.
  if (UNSTORABLE.test(value)) throw new ValidationError(field, 'contains U+0000 or a lone UTF-16 surrogate');
  return value;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is exactly what is refused.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Largest whole number a Postgres `integer` column (cents, stock) holds. */
export const MAX_INT32 = 2_147_483_647;

/** Like {@link checkString} but `undefined` and `null` pass through untouched. */
export function checkOptionalString(field: string, value: unknown, max: number): string | null | undefined {
  return value === undefined || value === null ? value : checkString(field, value, max, true);
}

/** A finite number; `min`/`exclusiveMin`/`max` bound it. */
export function checkNumber(
  field: string,
  value: unknown,
  bounds: { min?: number; exclusiveMin?: number; max?: number; integer?: boolean } = {},
): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValidationError(field, `must be a finite number, got ${kind(value)}`);
  }
  if (bounds.integer && !Number.isSafeInteger(value))
    throw new ValidationError(field, `${value} is not a whole number`);
  if (bounds.min !== undefined && value < bounds.min)
    throw new ValidationError(field, `${value} is below ${bounds.min}`);
  if (bounds.exclusiveMin !== undefined && value <= bounds.exclusiveMin) {
    throw new ValidationError(field, `${value} must be greater than ${bounds.exclusiveMin}`);
  }
  if (bounds.max !== undefined && value > bounds.max)
    throw new ValidationError(field, `${value} is above ${bounds.max}`);
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

/** `undefined` / `null` / a boolean. */
export function checkOptionalBoolean(field: string, value: unknown): boolean | null | undefined {
  if (value === undefined || value === null || typeof value === 'boolean') return value;
  throw new ValidationError(field, `must be true or false, got ${kind(value)}`);
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
  if (!Array.isArray(value)) throw new ValidationError(field, `must be an array, got ${kind(value)}`);
  for (const [i, v] of value.entries()) checkString(`${field}[${i}]`, v, max, true);
  return value as string[];
}

/** Refuses `extra` keys that would collide with a modelled field once encoded. */
export function checkExtra(field: string, extra: unknown, modelled: readonly string[]): void {
  if (extra === undefined) return;
  if (typeof extra !== 'object' || extra === null || Array.isArray(extra)) {
    throw new ValidationError(field, 'must be an object of unknown legacy keys');
  }
  checkJsonText(field, extra);
  const clash = Object.keys(extra).find((k) => modelled.includes(k));
  if (clash !== undefined)
    throw new ValidationError(`${field}.${clash}`, 'names a modelled field; set the field itself');
}

/** Every string and key inside a JSON value must be storable (see {@link checkString}). */
function checkJsonText(field: string, value: unknown): void {
  if (typeof value === 'string') {
    if (UNSTORABLE.test(value))
      throw new ValidationError(field, 'contains U+0000 or a lone UTF-16 surrogate');
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) checkJsonText(`${field}[${i}]`, v);
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      checkJsonText(field, k);
      checkJsonText(`${field}.${k}`, v);
    }
  }
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return `the number ${value}`;
  return typeof value === 'string' ? `the string ${JSON.stringify(value.slice(0, 40))}` : typeof value;
}
