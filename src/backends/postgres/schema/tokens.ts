/**
 * Password-reset, e-mail-verification and invoice-access tokens (legacy-redis-format.md §4.13).
 * Postgres stores only `token_hash`, the SHA-256 hex digest of the token (decisions.md §9): a
 * database leak then hands out no usable link. Lookups hash the presented token first.
 */
import { sql } from 'drizzle-orm';
import { type AnyPgColumn, check, index, pgTable, text } from 'drizzle-orm/pg-core';
import { legacyColumns, syncColumns, tstz } from './columns.js';
import { orders } from './orders.js';
import { users } from './users.js';

/**
 * Lower-case SHA-256 hex (64 characters). A raw legacy token has the same shape, so this guards the
 * format only; the repository is the one place that hashes.
 */
const tokenHashCheck = (table: string, column: AnyPgColumn) =>
  check(`${table}_token_hash_check`, sql`${column} ~ '^[0-9a-f]{64}$'`);

/**
 * The legacy JSON `expiresAt` when it differs from `expires_at`: the backfill sets `expires_at` from
 * the key's remaining TTL (when the row really stops being usable) and keeps the document's own value
 * here, so the record reads back unchanged. NULL when the two agree (always for live writes).
 */
const legacyExpiresAt = () => tstz('legacy_expires_at');

export const passwordResetTokens = pgTable(
  'password_reset_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    /** The legacy userId; no FK (decisions.md §6). */
    userId: text('user_id').notNull(),
    userRef: text('user_ref').references(() => users.id, { onDelete: 'set null' }),
    email: text('email').notNull(),
    /** createdAt + 1 h; may be in the past while the row lives (lazy deletion, §8.22). */
    expiresAt: tstz('expires_at').notNull(),
    legacyExpiresAt: legacyExpiresAt(),
    createdAt: tstz('created_at').notNull().defaultNow(),
    ...legacyColumns(),
    ...syncColumns(),
  },
  (t) => [
    tokenHashCheck('password_reset_tokens', t.tokenHash),
    index('password_reset_tokens_user_id_idx').on(t.userId),
    index('password_reset_tokens_user_ref_idx').on(t.userRef),
    index('password_reset_tokens_expires_at_idx').on(t.expiresAt),
  ],
);

export const emailVerificationTokens = pgTable(
  'email_verification_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: text('user_id').notNull(),
    userRef: text('user_ref').references(() => users.id, { onDelete: 'set null' }),
    email: text('email').notNull(),
    /** createdAt + 24 h; several tokens may exist per user. */
    expiresAt: tstz('expires_at').notNull(),
    legacyExpiresAt: legacyExpiresAt(),
    createdAt: tstz('created_at').notNull().defaultNow(),
    ...legacyColumns(),
    ...syncColumns(),
  },
  (t) => [
    tokenHashCheck('email_verification_tokens', t.tokenHash),
    index('email_verification_tokens_user_id_idx').on(t.userId),
    index('email_verification_tokens_user_ref_idx').on(t.userRef),
    index('email_verification_tokens_expires_at_idx').on(t.expiresAt),
  ],
);

export const invoiceAccessTokens = pgTable(
  'invoice_access_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    /** The legacy orderId, kept when the order was deleted (§7.8); no FK (decisions.md §6). */
    orderId: text('order_id').notNull(),
    orderRef: text('order_ref').references(() => orders.id, { onDelete: 'set null' }),
    /** The order e-mail. */
    email: text('email').notNull(),
    /** createdAt + 30 d. */
    expiresAt: tstz('expires_at').notNull(),
    legacyExpiresAt: legacyExpiresAt(),
    createdAt: tstz('created_at').notNull().defaultNow(),
    ...legacyColumns(),
    ...syncColumns(),
  },
  (t) => [
    tokenHashCheck('invoice_access_tokens', t.tokenHash),
    index('invoice_access_tokens_order_id_idx').on(t.orderId),
    index('invoice_access_tokens_order_ref_idx').on(t.orderRef),
    index('invoice_access_tokens_expires_at_idx').on(t.expiresAt),
  ],
);

export type PasswordResetTokenRow = typeof passwordResetTokens.$inferSelect;
export type NewPasswordResetTokenRow = typeof passwordResetTokens.$inferInsert;
export type EmailVerificationTokenRow = typeof emailVerificationTokens.$inferSelect;
export type NewEmailVerificationTokenRow = typeof emailVerificationTokens.$inferInsert;
export type InvoiceAccessTokenRow = typeof invoiceAccessTokens.$inferSelect;
export type NewInvoiceAccessTokenRow = typeof invoiceAccessTokens.$inferInsert;
