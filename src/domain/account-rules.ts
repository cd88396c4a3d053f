/**
 * Input rules for users and points, and the checks shared with `admin-rules.ts` / `token-rules.ts`. Both backends call these before they read or
 * write anything, so bad input is refused with the same {@link ValidationError} (naming the field and
 * what is wrong) and nothing is ever half-written. Pure functions, no I/O. Built on `field-checks.ts`;
 * account text is not checked for storability (it never was).
 */
import { ValidationError } from './errors.js';
import { checkString as checkAnyString, checkObject, describeInput } from './field-checks.js';
import type { UserProfilePatch } from './user.js';

/** Longest accepted e-mail address (the register route's limit, legacy §3). */
export const MAX_EMAIL_LENGTH = 254;
/** Longest first/last name (HEAD's `varchar(100)`; the legacy store only required non-empty). */
export const MAX_NAME_LENGTH = 100;
/** Longest free text (points descriptions, admin-log actions). */
export const MAX_TEXT_LENGTH = 500;
/** Longest id accepted from a caller (order ids are ~70 characters; HEAD used `varchar(255)`). */
export const MAX_ID_LENGTH = 255;
/** Largest single points movement. Keeps balances far inside Postgres `integer`. */
export const MAX_POINTS_AMOUNT = 1_000_000;
/** Balances must fit a Postgres `integer`, whichever backend holds them. */
export const MAX_BALANCE = 2_147_483_647;
/** Largest page any list method returns. */
export const MAX_PAGE_SIZE = 1000;

export { nextTimestamp } from './common.js';

/** The store's normalisation (`toLowerCase().trim()` in createUser and getUserByEmail, §3). */
export function normalizeEmail(raw: string): string {
  return raw.toLowerCase().trim();
}

const EMAIL_PATTERN = /^[a-z0-9._+%-]+@[a-z0-9.-]+\.[a-z]{2,}$/;
const EMAIL_FORBIDDEN = /[<>(){}[\]\\;,]/;

/** Normalises and validates an e-mail with the register route's rules (§3); returns the normalised form. */
export function checkEmail(field: string, raw: unknown): string {
  const email = normalizeEmail(checkString(field, raw, 4 * MAX_EMAIL_LENGTH));
  if (email.length > MAX_EMAIL_LENGTH) {
    throw new ValidationError(field, `is ${email.length} characters long, at most ${MAX_EMAIL_LENGTH}`);
  }
  const at = email.lastIndexOf('@');
  const local = at < 0 ? email : email.slice(0, at);
  const problem =
    email === ''
      ? 'is empty'
      : EMAIL_FORBIDDEN.test(email)
        ? 'contains one of the characters <>(){}[]\\;,'
        : at < 1 || local.length > 64
          ? 'needs a local part of 1 to 64 characters before "@"'
          : local.startsWith('.') || local.endsWith('.')
            ? 'has a local part starting or ending with "."'
            : email.includes('..')
              ? 'contains ".."'
              : !EMAIL_PATTERN.test(email)
                ? 'is not an e-mail address (expected name@domain.tld)'
                : undefined;
  if (problem) throw new ValidationError(field, `${JSON.stringify(email)} ${problem}`);
  return email;
}

const BCRYPT_HASH = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;

/** A bcrypt hash as bcryptjs writes it (`$2b$12$…`, 60 characters; `$2a$`/`$2y$` accepted). */
export function checkPasswordHash(field: string, raw: unknown): string {
  const hash = checkString(field, raw, 60);
  if (!BCRYPT_HASH.test(hash))
    throw new ValidationError(field, 'is not a bcrypt hash ($2b$NN$ + 53 characters)');
  return hash;
}

/** A non-empty string of at most `max` characters (not trimmed: the store keeps names as typed). */
export function checkText(field: string, raw: unknown, max = MAX_TEXT_LENGTH): string {
  return checkAnyString(field, raw, max, false);
}

/** A first or last name. */
export function checkName(field: string, raw: unknown): string {
  return checkText(field, raw, MAX_NAME_LENGTH);
}

/** Validates a profile patch; at least one name must be given. */
export function checkProfilePatch(patch: UserProfilePatch): UserProfilePatch {
  checkObject('patch', patch);
  const out: UserProfilePatch = {};
  if (patch.firstName !== undefined) out.firstName = checkName('firstName', patch.firstName);
  if (patch.lastName !== undefined) out.lastName = checkName('lastName', patch.lastName);
  if (Object.keys(out).length === 0)
    throw new ValidationError('patch', 'names no field to change (firstName, lastName)');
  return out;
}

/** An id given by a caller: non-empty, at most 255 characters, no `:` (it becomes part of a key). */
export function checkId(field: string, raw: unknown): string {
  const id = checkText(field, raw, MAX_ID_LENGTH);
  if (id.includes(':')) throw new ValidationError(field, `${JSON.stringify(id)} contains ":"`);
  return id;
}

/** Whole points, `0` allowed only where the store writes it (earning on a zero-point order). */
export function checkPointsAmount(field: string, raw: unknown, opts: { allowZero: boolean }): number {
  if (typeof raw !== 'number' || !Number.isInteger(raw)) {
    throw new ValidationError(field, `${describeInput(raw)} is not a whole number of points`);
  }
  if (raw < 0 || (raw === 0 && !opts.allowZero)) {
    throw new ValidationError(field, `${raw} must be ${opts.allowZero ? 'zero or more' : 'positive'}`);
  }
  if (raw > MAX_POINTS_AMOUNT)
    throw new ValidationError(field, `${raw} exceeds the maximum of ${MAX_POINTS_AMOUNT}`);
  return raw;
}

/** A balance after a change must stay inside a Postgres `integer` on both backends. */
export function checkBalance(userId: string, balance: number): number {
  if (Math.abs(balance) > MAX_BALANCE) {
    throw new ValidationError(
      'amount',
      `the balance of user ${userId} would become ${balance}, out of range`,
    );
  }
  return balance;
}

/** A page size between 1 and {@link MAX_PAGE_SIZE}; `fallback` when not given. */
export function checkLimit(raw: unknown, fallback: number): number {
  if (raw === undefined) return fallback;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1 || raw > MAX_PAGE_SIZE) {
    throw new ValidationError(
      'limit',
      `${describeInput(raw)} is not a whole number from 1 to ${MAX_PAGE_SIZE}`,
    );
  }
  return raw;
}

/** A list offset ≥ 0; 0 when not given. */
export function checkOffset(raw: unknown): number {
  if (raw === undefined) return 0;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 0) {
    throw new ValidationError('offset', `${describeInput(raw)} is not a whole number ≥ 0`);
  }
  return raw;
}

/** A string of at most `max` characters (may be empty). */
export function checkString(field: string, raw: unknown, max: number): string {
  return checkAnyString(field, raw, max, true);
}
