/**
 * Small pure checks for repository input, shared by both backends so they reject exactly the same
 * things with the same {@link ValidationError} (validated before anything is written).
 */
import { ValidationError } from './errors.js';

/** Longest free-text value accepted from callers (names, notes, descriptions). */
export const MAX_TEXT = 2000;
/** Longest id, slug, code or token accepted from callers. */
export const MAX_ID = 255;

export function requireText(
  field: string,
  value: unknown,
  opts: { max?: number; allowEmpty?: boolean } = {},
): string {
  if (typeof value !== 'string') throw new ValidationError(field, `must be a string, got ${typeof value}`);
  const max = opts.max ?? MAX_TEXT;
  if (!opts.allowEmpty && value.trim() === '') throw new ValidationError(field, 'must not be empty');
  if (value.length > max)
    throw new ValidationError(field, `is ${value.length} characters long, the limit is ${max}`);
  return value;
}

/** An id that can sit inside a legacy key: non-empty, no `:` (§2c), no whitespace, at most 255 characters. */
export function requireId(field: string, value: unknown): string {
  const id = requireText(field, value, { max: MAX_ID });
  if (/[\s:]/.test(id))
    throw new ValidationError(field, `${JSON.stringify(id)} must not contain ":" or whitespace`);
  return id;
}

export function requireInt(field: string, value: unknown, opts: { min?: number; max?: number } = {}): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new ValidationError(field, `must be a whole number, got ${JSON.stringify(value)}`);
  }
  if (opts.min !== undefined && value < opts.min)
    throw new ValidationError(field, `must be at least ${opts.min}, got ${value}`);
  if (opts.max !== undefined && value > opts.max)
    throw new ValidationError(field, `must be at most ${opts.max}, got ${value}`);
  return value;
}

export function requireNumber(
  field: string,
  value: unknown,
  opts: { min?: number; max?: number } = {},
): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValidationError(field, `must be a finite number, got ${JSON.stringify(value)}`);
  }
  if (opts.min !== undefined && value < opts.min)
    throw new ValidationError(field, `must be at least ${opts.min}, got ${value}`);
  if (opts.max !== undefined && value > opts.max)
    throw new ValidationError(field, `must be at most ${opts.max}, got ${value}`);
  return value;
}

export function requireBoolean(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean')
    throw new ValidationError(field, `must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

export function requireOneOf<const T extends string>(
  field: string,
  value: unknown,
  allowed: readonly T[],
): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new ValidationError(field, `${JSON.stringify(value)} is not one of ${allowed.join(', ')}`);
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** `toISOString()` output (UTC, milliseconds), the only timestamp form records hold (decisions §4). */
export function requireIsoTimestamp(field: string, value: unknown): string {
  if (typeof value === 'string' && ISO.test(value)) {
    const t = Date.parse(value);
    if (!Number.isNaN(t) && new Date(t).toISOString() === value) return value;
  }
  throw new ValidationError(
    field,
    `${JSON.stringify(value)} is not an ISO-8601 UTC timestamp with milliseconds`,
  );
}

const EMAIL = /^[^\s@<>(){}[\]\\;,]+@[^\s@<>(){}[\]\\;,]+\.[^\s@<>(){}[\]\\;,]{2,}$/;

/** A plausible e-mail address as given (case kept, no surrounding whitespace), at most 254 characters. */
export function requireEmail(field: string, value: unknown): string {
  const email = requireText(field, value, { max: 254 });
  if (!EMAIL.test(email))
    throw new ValidationError(field, `${JSON.stringify(email)} is not an e-mail address`);
  return email;
}

/** The form `createUser`, `getUserByEmail` and guest linking use: lower-cased and trimmed (§3). */
export function normaliseEmail(field: string, value: unknown): string {
  if (typeof value !== 'string') throw new ValidationError(field, `must be a string, got ${typeof value}`);
  return requireEmail(field, value.toLowerCase().trim());
}

/** Rejects a value that is not a plain object (arrays and null included). */
export function requireObject(field: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(field, 'must be an object');
  }
  return value as Record<string, unknown>;
}
