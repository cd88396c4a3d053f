/**
 * The field rules of orders, checkout, refunds, promotions and webhook events, shared by both
 * backends so they reject exactly the same things with the same {@link ValidationError} (validated
 * before anything is written). Built on `field-checks.ts` (booleans, enums, timestamps and objects
 * are checked with it directly); what is here is the limits and the rules these records add (ids
 * that can sit in a key, e-mail addresses, `extra` without the storability check).
 */
import { ValidationError } from './errors.js';
import { checkExtra, checkNumber, checkString } from './field-checks.js';

/** Longest free-text value accepted from callers (names, notes, descriptions). */
export const MAX_TEXT = 2000;
/** Longest id, slug, code or token accepted from callers. */
export const MAX_ID = 255;

/** A string of at most `max` (default {@link MAX_TEXT}) characters, not blank unless `allowEmpty`. */
export function requireText(
  field: string,
  value: unknown,
  opts: { max?: number; allowEmpty?: boolean } = {},
): string {
  return checkString(field, value, opts.max ?? MAX_TEXT, opts.allowEmpty ?? false);
}

/** An id that can sit inside a legacy key: non-empty, no `:` (§2c), no whitespace, at most 255 characters. */
export function requireId(field: string, value: unknown): string {
  const id = requireText(field, value, { max: MAX_ID });
  if (/[\s:]/.test(id))
    throw new ValidationError(field, `${JSON.stringify(id)} must not contain ":" or whitespace`);
  return id;
}

/** A safe whole number within `min`/`max`. */
export function requireInt(field: string, value: unknown, opts: { min?: number; max?: number } = {}): number {
  return checkNumber(field, value, { ...opts, integer: true });
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
  const raw = checkString(field, value, Number.POSITIVE_INFINITY, true);
  return requireEmail(field, raw.toLowerCase().trim());
}

/** `extra` of an order, refund or promotion: see {@link checkExtra}. */
export function requireExtra(field: string, extra: unknown, modelled: ReadonlySet<string>): void {
  checkExtra(field, extra, modelled);
}
