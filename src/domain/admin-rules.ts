/** Input rules for admin users and the admin log (see `account-rules.ts` for the shared checks). */
import {
  ADMIN_ROLES,
  type AdminLogEntry,
  type AdminRole,
  type AdminUser,
  type NewAdminLogEntry,
  type NewAdminUser,
} from './admin.js';
import { checkEmail, checkPasswordHash, checkString, checkText, MAX_EMAIL_LENGTH } from './account-rules.js';
import { ValidationError } from './errors.js';
import { checkBoolean, checkObject, checkOneOf, checkTimestamp, describeInput } from './field-checks.js';

/** One of the two admin roles (§6). */
export function checkAdminRole(raw: unknown): AdminRole {
  return checkOneOf('role', raw, ADMIN_ROLES);
}

/** Checks a new admin (e-mail lower-cased); returns the record fields it will hold. */
export function checkNewAdmin(input: NewAdminUser): Omit<AdminUser, 'id' | 'createdAt' | 'active'> {
  checkObject('input', input);
  return {
    email: checkEmail('email', input.email),
    passwordHash: checkPasswordHash('passwordHash', input.passwordHash),
    twoFactorSecret: checkTwoFactorSecret(input.twoFactorSecret),
    twoFactorBackupCodes: checkBackupCodes(input.twoFactorBackupCodes),
    role: checkAdminRole(input.role),
  };
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
        `${describeInput(code)} is not 1-8 characters A-Z/0-9`,
      );
    }
  });
  return [...(raw as string[])];
}

/** Largest `details` payload of an admin-log entry, as JSON text. */
export const MAX_LOG_DETAILS_LENGTH = 100_000;

/** Validates an entry to append and fills `timestamp` with `nowIso` when not given. */
export function checkAdminLogEntry(raw: NewAdminLogEntry, nowIso: string): AdminLogEntry {
  checkObject('entry', raw);
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
      throw new ValidationError('details', `${describeInput(d)} is not a JSON object`);
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
