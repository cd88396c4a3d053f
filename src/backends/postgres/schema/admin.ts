/**
 * Admin accounts, the admin audit log and the legacy single-admin 2FA keys
 * (legacy-redis-format.md §4.12). HEAD left all of them in Redis (§12).
 */
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  index,
  jsonb,
  pgTable,
  smallint,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { legacyColumns, syncColumns, tstz, updatedAtColumn } from './columns.js';
import { adminRole } from './enums.js';

/** `admin:user:{id}`. */
export const adminUsers = pgTable(
  'admin_users',
  {
    id: text('id').primaryKey(),
    /** Lower-cased on create; lookups compare case-insensitively. */
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    /** otplib base32 secret, as the store keeps it. */
    twoFactorSecret: text('two_factor_secret').notNull(),
    /** Unused backup codes; codes are removed as they are used, so the array can be empty. */
    twoFactorBackupCodes: text('two_factor_backup_codes').array().notNull().default([]),
    createdAt: tstz('created_at').notNull().defaultNow(),
    lastLoginAt: tstz('last_login_at'),
    active: boolean('active').notNull(),
    role: adminRole('role').notNull(),
    /** Postgres-only bookkeeping (legacy admin users have no `updatedAt`). */
    updatedAt: updatedAtColumn(),
    ...legacyColumns(),
    ...syncColumns(),
  },
  (t) => [uniqueIndex('admin_users_email_lower_unique').on(sql`lower(${t.email})`)],
);

/**
 * `admin:logs`. Redis keeps only the newest 1000 (LTRIM); Postgres keeps every entry. `id` gives the
 * order entries were appended in (the backfill inserts oldest first), `logged_at` is the legacy
 * `timestamp`.
 */
export const adminLogs = pgTable(
  'admin_logs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    loggedAt: tstz('logged_at').notNull(),
    action: text('action').notNull(),
    /** Often the literal `admin` or `square-pos`, or absent. */
    adminEmail: text('admin_email'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    /** Free-form (item arrays, change diffs, …). */
    details: jsonb('details'),
    success: boolean('success').notNull(),
    /**
     * Makes the backfill idempotent although entries have no id: hash of the canonical entry plus
     * its occurrence number among identical entries (`<sha256>#<n>`). NULL for live writes.
     */
    dedupeKey: text('dedupe_key'),
    ...legacyColumns(),
  },
  (t) => [
    index('admin_logs_logged_at_idx').on(t.loggedAt.desc()),
    index('admin_logs_action_idx').on(t.action),
    uniqueIndex('admin_logs_dedupe_key_unique').on(t.dedupeKey),
  ],
);

/**
 * The legacy single-admin 2FA keys `admin:2fa:secret` and `admin:2fa:backup_codes` (§2 #36/#37):
 * at most one row (`id` is always 1). Either column is NULL when its key is absent.
 */
export const adminLegacyTwoFactor = pgTable(
  'admin_legacy_two_factor',
  {
    id: smallint('id').primaryKey().default(1),
    /** Base32 TOTP secret (plain string in Redis). */
    secret: text('secret'),
    /** The codes of the JSON-array text value. */
    backupCodes: text('backup_codes').array(),
    updatedAt: updatedAtColumn(),
    ...syncColumns(),
  },
  (t) => [check('admin_legacy_two_factor_single_row_check', sql`${t.id} = 1`)],
);

export type AdminUserRow = typeof adminUsers.$inferSelect;
export type NewAdminUserRow = typeof adminUsers.$inferInsert;
export type AdminLogRow = typeof adminLogs.$inferSelect;
export type NewAdminLogRow = typeof adminLogs.$inferInsert;
export type AdminLegacyTwoFactorRow = typeof adminLegacyTwoFactor.$inferSelect;
export type NewAdminLegacyTwoFactorRow = typeof adminLegacyTwoFactor.$inferInsert;
