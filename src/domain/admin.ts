import type { Extra, IsoTimestamp } from './common.js';

export const ADMIN_ROLES = ['super_admin', 'admin'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

/** `admin:user:{adminId}` (§4.12, since 2025-12-04). */
export interface AdminUser {
  /** UUID v4. */
  id: string;
  /** Lower-cased on create. */
  email: string;
  passwordHash: string;
  /** otplib base32. */
  twoFactorSecret: string;
  /** Used codes are removed, so the list can be empty. */
  twoFactorBackupCodes: string[];
  createdAt: IsoTimestamp;
  lastLoginAt?: IsoTimestamp;
  active: boolean;
  role: AdminRole;
  extra?: Extra;
}

/** One element of the `admin:logs` list (newest first, trimmed to 1000). */
export interface AdminLogEntry {
  timestamp: IsoTimestamp;
  /** `login`, `product.update`, `square.payment.completed`, … (free text). */
  action: string;
  /** Often the literal `admin` or `square-pos`; may be absent. */
  adminEmail?: string;
  ip: string;
  userAgent: string;
  /** Free-form JSON (item arrays, change diffs…). */
  details?: Record<string, unknown>;
  success: boolean;
  extra?: Extra;
}

/** JSON admin session (since 2025-12-04). */
export interface AdminSession {
  userId: string;
  email: string;
  role: AdminRole;
  createdAt: IsoTimestamp;
  extra?: Extra;
}

/** The value `1` that admin sessions held before 2025-12-04. */
export type LegacyAdminSessionFlag = 1;

/** Value of `admin:session:{uuid}`. */
export type AdminSessionValue = AdminSession | LegacyAdminSessionFlag;

/** `admin:2fa:secret`: the legacy single-admin TOTP secret (plain base32 string). */
export type LegacyTwoFactorSecret = string;

/** `admin:2fa:backup_codes`: the legacy single-admin backup codes (stored as JSON-array text). */
export type LegacyTwoFactorBackupCodes = string[];

/** What `AdminRepository.create` needs; the repository adds id, `createdAt`, `active: true`. */
export interface NewAdminUser {
  /** Lower-cased (and trimmed) and validated like a customer e-mail. */
  email: string;
  /** bcrypt hash. */
  passwordHash: string;
  /** otplib base32 secret (16–128 characters A-Z, 2-7). */
  twoFactorSecret: string;
  /** At most 20 codes of 1–8 characters A-Z/0-9. */
  twoFactorBackupCodes: string[];
  role: AdminRole;
}

/** A log entry to append; `timestamp` defaults to the clock's now. */
export type NewAdminLogEntry = Omit<AdminLogEntry, 'timestamp' | 'extra'> & { timestamp?: IsoTimestamp };

/** The legacy single-admin 2FA keys (`admin:2fa:secret`, `admin:2fa:backup_codes`); each absent when its key is. */
export interface LegacyTwoFactor {
  secret?: LegacyTwoFactorSecret;
  backupCodes?: LegacyTwoFactorBackupCodes;
}

/**
 * Admin accounts (`admin:user:*`), the admin audit log (`admin:logs`) and the legacy single-admin 2FA
 * keys. Bad input throws `ValidationError` naming the field (nothing written); an update of an admin
 * that does not exist throws `NotFoundError`; lookups return `null`/`[]`.
 */
export interface AdminRepository {
  /**
   * Creates an admin (new UUID, `createdAt = now`, `active: true`) with the e-mail lower-cased.
   * `ConflictError` when an admin with the same e-mail (compared case-insensitively) exists. On Redis
   * the check scans the index as the store did, so two concurrent creates with one e-mail can both
   * pass there (see `BackendCapabilities.uniqueAdminEmailUnderConcurrency`).
   */
  create(input: NewAdminUser): Promise<AdminUser>;
  /** The admin, or `null`. */
  get(id: string): Promise<AdminUser | null>;
  /** Case-insensitive e-mail lookup (the store scanned the index); `null` when none matches. */
  getByEmail(email: string): Promise<AdminUser | null>;
  /** Every admin, oldest `createdAt` first (ties by id). */
  list(): Promise<AdminUser[]>;
  /** Sets `lastLoginAt = now`. `NotFoundError` when absent. */
  updateLastLogin(id: string): Promise<AdminUser>;
  /** Sets `active: false` (idempotent). `NotFoundError` when absent. */
  deactivate(id: string): Promise<AdminUser>;
  /** Sets `active: true` (idempotent). `NotFoundError` when absent. */
  reactivate(id: string): Promise<AdminUser>;
  /** Replaces the bcrypt hash. `NotFoundError` when absent. */
  changePasswordHash(id: string, passwordHash: string): Promise<AdminUser>;
  /**
   * Uses one backup code: removes it (case-insensitively matched, as typed codes are upper-cased) and
   * returns `true`; `false` when the admin has no such code. Under concurrent use of one code exactly
   * one call gets `true`. `NotFoundError` when the admin does not exist.
   */
  useBackupCode(id: string, code: string): Promise<boolean>;
  /** Replaces the TOTP secret and every backup code. `NotFoundError` when absent. */
  regenerateTwoFactor(id: string, secret: string, backupCodes: string[]): Promise<AdminUser>;
  /** Deletes the admin and its index entry; `false` when there was none. Logs are kept. */
  delete(id: string): Promise<boolean>;
  /**
   * Appends an audit-log entry. Redis keeps the newest 1000 (LPUSH + LTRIM 0 999 in one step, as the
   * store); Postgres keeps every entry. `ValidationError` for an empty/oversized action, ip or user agent.
   */
  appendLog(entry: NewAdminLogEntry): Promise<AdminLogEntry>;
  /** The newest `limit` entries (1–1000, default 100), newest first. */
  listLogs(opts?: { limit?: number }): Promise<AdminLogEntry[]>;
  /** The legacy single-admin 2FA secret and backup codes, or `null` when neither exists. Read-only. */
  getLegacyTwoFactor(): Promise<LegacyTwoFactor | null>;
}
