/**
 * Input rules for users, points, tokens and admin data. Both backends call these before they read or
 * write anything, so bad input is refused with the same {@link ValidationError} (naming the field and
 * what is wrong) and nothing is ever half-written. Pure functions, no I/O.
 */
import { ADMIN_ROLES, type AdminLogEntry, type AdminRole, type NewAdminLogEntry } from './admin.js';
import { ValidationError } from './errors.js';
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
  const value = checkString(field, raw, max);
  if (value.trim() === '') throw new ValidationError(field, 'is empty');
  return value;
}

/** A first or last name. */
export function checkName(field: string, raw: unknown): string {
  return checkText(field, raw, MAX_NAME_LENGTH);
}

/** Validates a profile patch; at least one name must be given. */
export function checkProfilePatch(patch: UserProfilePatch): UserProfilePatch {
  if (typeof patch !== 'object' || patch === null) throw new ValidationError('patch', 'is not an object');
  const out: UserProfilePatch = {};
  if (patch.firstName !== undefined) out.firstName = checkName('firstName', patch.firstName);
  if (patch.lastName !== undefined) out.lastName = checkName('lastName', patch.lastName);
  if (Object.keys(out).length === 0) throw new ValidationError('patch', 'names no field to change (firstName, lastName)');
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
    throw new ValidationError(field, `${describe(raw)} is not a whole number of points`);
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
    throw new ValidationError('limit', `${describe(raw)} is not a whole number from 1 to ${MAX_PAGE_SIZE}`);
  }
  return raw;
}

/** A list offset ≥ 0; 0 when not given. */
export function checkOffset(raw: unknown): number {
  if (raw === undefined) return 0;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 0) {
    throw new ValidationError('offset', `${describe(raw)} is not a whole number ≥ 0`);
  }
  return raw;
}

/** One of the two admin roles (§6). */
export function checkAdminRole(raw: unknown): AdminRole {
  if (typeof raw === 'string' && (ADMIN_ROLES as readonly string[]).includes(raw)) return raw as AdminRole;
  throw new ValidationError(
    'role',
    `${describe(raw)} is not one of ${ADMIN_ROLES.map((r) => `"${r}"`).join(', ')}`,
  );
}

const BASE32_SECRET = /^[A-Z2-7]{16,128}$/;

/** An otplib base32 TOTP secret (normally 16 characters). */
export function checkTwoFactorSecret(raw: unknown): string {
  const secret = checkString('twoFactorSecret', raw, 128);
  if (!BASE32_SECRET.test(secret)) {
    throw new ValidationError('twoFactorSecret', 'is not a base32 secret of 16 to 128 characters (A-Z, 2-7)');
  }
  return secret;
}

const BACKUP_CODE = /^[A-Z0-9]{1,8}$/;

/** Backup codes: at most 20, each 1–8 upper-case base-36 characters (the store makes 10). */
export function checkBackupCodes(raw: unknown): string[] {
  if (!Array.isArray(raw)) throw new ValidationError('twoFactorBackupCodes', 'is not an array');
  if (raw.length > 20)
    throw new ValidationError('twoFactorBackupCodes', `has ${raw.length} codes, at most 20`);
  raw.forEach((code, i) => {
    if (typeof code !== 'string' || !BACKUP_CODE.test(code)) {
      throw new ValidationError(
        `twoFactorBackupCodes[${i}]`,
        `${describe(code)} is not 1-8 characters A-Z/0-9`,
      );
    }
  });
  return [...(raw as string[])];
}

/** Largest `details` payload of an admin-log entry, as JSON text. */
export const MAX_LOG_DETAILS_LENGTH = 100_000;

/** Validates an entry to append and fills `timestamp` with `nowIso` when not given. */
export function checkAdminLogEntry(raw: NewAdminLogEntry, nowIso: string): AdminLogEntry {
  if (typeof raw !== 'object' || raw === null) throw new ValidationError('entry', 'is not an object');
  const timestamp = raw.timestamp === undefined ? nowIso : checkTimestamp('timestamp', raw.timestamp);
  const entry: AdminLogEntry = {
    timestamp,
    action: checkText('action', raw.action, 200),
    ip: checkString('ip', raw.ip, 1000),
    userAgent: checkString('userAgent', raw.userAgent, 1000),
    success: checkBoolean('success', raw.success),
  };
  if (raw.adminEmail !== undefined)
    entry.adminEmail = checkString('adminEmail', raw.adminEmail, MAX_EMAIL_LENGTH);
  if (raw.details !== undefined) {
    const d: unknown = raw.details;
    if (typeof d !== 'object' || d === null || Array.isArray(d)) {
      throw new ValidationError('details', `${describe(d)} is not a JSON object`);
    }
    const text = JSON.stringify(d);
    if (text.length > MAX_LOG_DETAILS_LENGTH) {
      throw new ValidationError(
        'details',
        `is ${text.length} characters of JSON, at most ${MAX_LOG_DETAILS_LENGTH}`,
      );
    }
    // A JSON round trip: what the store keeps is JSON, so what we return must be too.
    entry.details = JSON.parse(text) as Record<string, unknown>;
  }
  return entry;
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A `toISOString()` timestamp (UTC, milliseconds). */
export function checkTimestamp(field: string, raw: unknown): string {
  const s = checkString(field, raw, 24);
  if (!ISO_TIMESTAMP.test(s) || Number.isNaN(Date.parse(s)) || new Date(s).toISOString() !== s) {
    throw new ValidationError(field, `${describe(s)} is not an ISO timestamp like 2025-12-18T21:40:05.123Z`);
  }
  return s;
}

/** A boolean. */
export function checkBoolean(field: string, raw: unknown): boolean {
  if (typeof raw !== 'boolean') throw new ValidationError(field, `${describe(raw)} is not true or false`);
  return raw;
}

const TOKEN = /^[0-9a-f]{64}$/;

/** Tokens are 32 random bytes as lower-case hex; anything else cannot exist and is not looked up. */
export function isTokenFormat(token: unknown): token is string {
  return typeof token === 'string' && TOKEN.test(token);
}

/** A string of at most `max` characters (may be empty). */
export function checkString(field: string, raw: unknown, max: number): string {
  if (typeof raw !== 'string') throw new ValidationError(field, `${describe(raw)} is not a string`);
  if (raw.length > max) throw new ValidationError(field, `is ${raw.length} characters long, at most ${max}`);
  return raw;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === undefined) return 'undefined';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
