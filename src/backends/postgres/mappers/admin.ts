/**
 * Admin rows ⇄ domain (legacy-redis-format.md §4.12): admin users, `admin:logs` entries and the
 * legacy single-admin 2FA keys (one `admin_legacy_two_factor` row holding both).
 */
import type { AdminLogEntry, AdminUser } from '../../../domain/admin.js';
import { canonicalHash } from '../../../domain/canonical.js';
import type {
  AdminLegacyTwoFactorRow,
  AdminLogRow,
  AdminUserRow,
  NewAdminLegacyTwoFactorRow,
  NewAdminLogRow,
  NewAdminUserRow,
} from '../schema/admin.js';
import { copyObject, extraColumn, NullTracker, RecordBuilder, toDate, toIso } from './common.js';

/** The `admin_users` insert row; `sync_written_at` is left to the caller. */
export function toAdminUserRow(record: AdminUser): NewAdminUserRow {
  return {
    id: record.id,
    email: record.email,
    passwordHash: record.passwordHash,
    twoFactorSecret: record.twoFactorSecret,
    twoFactorBackupCodes: [...record.twoFactorBackupCodes],
    createdAt: toDate(record.createdAt),
    lastLoginAt: record.lastLoginAt === undefined ? null : toDate(record.lastLoginAt),
    active: record.active,
    role: record.role,
    extra: extraColumn(record.extra),
    legacyNulls: [],
    syncHash: canonicalHash(record),
  };
}

/** The admin user exactly as the codec decodes its legacy JSON. */
export function fromAdminUserRow(row: AdminUserRow): AdminUser {
  return new RecordBuilder(row.legacyNulls)
    .req('id', row.id)
    .req('email', row.email)
    .req('passwordHash', row.passwordHash)
    .req('twoFactorSecret', row.twoFactorSecret)
    .req('twoFactorBackupCodes', [...row.twoFactorBackupCodes])
    .req('createdAt', toIso(row.createdAt))
    .opt('lastLoginAt', row.lastLoginAt, toIso)
    .req('active', row.active)
    .req('role', row.role)
    .extra(row.extra)
    .build<AdminUser>();
}

/**
 * Key that makes re-inserting the same legacy entry a no-op although entries have no id: the
 * canonical hash of the entry plus its occurrence number among identical entries, oldest first.
 */
export function adminLogDedupeKey(entry: AdminLogEntry, occurrence: number): string {
  return `${canonicalHash(entry)}#${occurrence}`;
}

/**
 * The `admin_logs` insert row (no `id`: the sequence orders entries, so insert oldest first).
 * `occurrence` (0-based) distinguishes identical entries; omit it for live writes (no dedupe key).
 */
export function toAdminLogRow(entry: AdminLogEntry, occurrence?: number): NewAdminLogRow {
  return {
    loggedAt: toDate(entry.timestamp),
    action: entry.action,
    adminEmail: entry.adminEmail ?? null,
    ip: entry.ip,
    userAgent: entry.userAgent,
    details: entry.details === undefined ? null : copyObject(entry.details),
    success: entry.success,
    dedupeKey: occurrence === undefined ? null : adminLogDedupeKey(entry, occurrence),
    extra: extraColumn(entry.extra),
    legacyNulls: [],
  };
}

/** The log entry exactly as the codec decodes the legacy list member. */
export function fromAdminLogRow(row: AdminLogRow): AdminLogEntry {
  return new RecordBuilder(row.legacyNulls)
    .req('timestamp', toIso(row.loggedAt))
    .req('action', row.action)
    .opt('adminEmail', row.adminEmail)
    .req('ip', row.ip ?? '')
    .req('userAgent', row.userAgent ?? '')
    .opt('details', row.details as Record<string, unknown> | null, copyObject)
    .req('success', row.success)
    .extra(row.extra)
    .build<AdminLogEntry>();
}

/**
 * The legacy single-admin 2FA keys as one record: `admin:2fa:secret` (plain base32) and
 * `admin:2fa:backup_codes` (JSON-array text). A field is absent when its key is.
 */
export interface LegacyTwoFactor {
  secret?: string;
  backupCodes?: string[];
}

/** The single `admin_legacy_two_factor` row (id 1). */
export function toLegacyTwoFactorRow(record: LegacyTwoFactor): NewAdminLegacyTwoFactorRow {
  const n = new NullTracker();
  return {
    id: 1,
    secret: n.col('secret', record.secret),
    backupCodes: record.backupCodes === undefined ? null : [...record.backupCodes],
    syncHash: canonicalHash(record),
  };
}

export function fromLegacyTwoFactorRow(row: AdminLegacyTwoFactorRow): LegacyTwoFactor {
  return new RecordBuilder([])
    .opt('secret', row.secret)
    .opt('backupCodes', row.backupCodes, (xs) => [...xs])
    .build<LegacyTwoFactor>();
}
