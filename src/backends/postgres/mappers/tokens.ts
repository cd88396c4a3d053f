/**
 * Token rows ⇄ domain (legacy-redis-format.md §4.13): password-reset, e-mail-verification and
 * invoice-access tokens. Postgres never stores the token itself, only its SHA-256 hex digest
 * (`token_hash`, decisions.md §9). So a record read back from Postgres differs from the Redis record
 * in one field: its `token` holds the digest, not the token. Compare tokens through
 * {@link canonicalTokenRecord}, which replaces a Redis record's token by its digest; `fromXxxRow`
 * already returns that canonical form (and `sync_hash` hashes it).
 */
import { createHash } from 'node:crypto';
import { canonicalHash } from '../../../domain/canonical.js';
import type { InvoiceAccessToken, UserToken } from '../../../domain/tokens.js';
import type {
  EmailVerificationTokenRow,
  InvoiceAccessTokenRow,
  NewEmailVerificationTokenRow,
  NewInvoiceAccessTokenRow,
  NewPasswordResetTokenRow,
  PasswordResetTokenRow,
} from '../schema/tokens.js';
import { extraColumn, RecordBuilder, toDate, toIso } from './common.js';

/** SHA-256 hex digest of a token: the only form Postgres stores, and the lookup key. */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The form tokens are compared in: the record with `token` replaced by {@link tokenDigest}. */
export function canonicalTokenRecord<T extends { token: string }>(record: T): T {
  return { ...record, token: tokenDigest(record.token) };
}

/** Row options for migrated tokens. */
export interface TokenRowOptions {
  /**
   * When the row stops being usable, if not the record's own `expiresAt` (the backfill passes now +
   * the key's remaining TTL). The record's value is then kept in `legacy_expires_at`.
   */
  expiresAt?: Date;
  /** `user_id` (or `order_id`) names an existing row, so the `*_ref` FK column is set. */
  refExists?: boolean;
}

function expiry(record: { expiresAt: string }, opts: TokenRowOptions) {
  const own = toDate(record.expiresAt);
  const effective = opts.expiresAt ?? own;
  return { expiresAt: effective, legacyExpiresAt: effective.getTime() === own.getTime() ? null : own };
}

function userTokenRow(record: UserToken, opts: TokenRowOptions): NewPasswordResetTokenRow {
  return {
    tokenHash: tokenDigest(record.token),
    userId: record.userId,
    userRef: opts.refExists ? record.userId : null,
    email: record.email,
    ...expiry(record, opts),
    createdAt: toDate(record.createdAt),
    extra: extraColumn(record.extra),
    legacyNulls: [],
    syncHash: canonicalHash(canonicalTokenRecord(record)),
  };
}

/** The `password_reset_tokens` insert row; `sync_written_at` is left to the caller. */
export function toPasswordResetTokenRow(
  record: UserToken,
  opts: TokenRowOptions = {},
): NewPasswordResetTokenRow {
  return userTokenRow(record, opts);
}

/** The `email_verification_tokens` insert row; `sync_written_at` is left to the caller. */
export function toEmailVerificationTokenRow(
  record: UserToken,
  opts: TokenRowOptions = {},
): NewEmailVerificationTokenRow {
  return userTokenRow(record, opts);
}

/** The `invoice_access_tokens` insert row; `sync_written_at` is left to the caller. */
export function toInvoiceAccessTokenRow(
  record: InvoiceAccessToken,
  opts: TokenRowOptions = {},
): NewInvoiceAccessTokenRow {
  return {
    tokenHash: tokenDigest(record.token),
    orderId: record.orderId,
    orderRef: opts.refExists ? record.orderId : null,
    email: record.email,
    ...expiry(record, opts),
    createdAt: toDate(record.createdAt),
    extra: extraColumn(record.extra),
    legacyNulls: [],
    syncHash: canonicalHash(canonicalTokenRecord(record)),
  };
}

type UserTokenRow = PasswordResetTokenRow | EmailVerificationTokenRow;

/** The canonical token record (`token` = digest) of a password-reset or e-mail-verification row. */
export function fromUserTokenRow(row: UserTokenRow): UserToken {
  return new RecordBuilder(row.legacyNulls)
    .req('token', row.tokenHash)
    .req('userId', row.userId)
    .req('email', row.email)
    .req('expiresAt', toIso(row.legacyExpiresAt ?? row.expiresAt))
    .req('createdAt', toIso(row.createdAt))
    .extra(row.extra)
    .build<UserToken>();
}

export const fromPasswordResetTokenRow: (row: PasswordResetTokenRow) => UserToken = fromUserTokenRow;
export const fromEmailVerificationTokenRow: (row: EmailVerificationTokenRow) => UserToken = fromUserTokenRow;

/** The canonical token record (`token` = digest) of an invoice-access row. */
export function fromInvoiceAccessTokenRow(row: InvoiceAccessTokenRow): InvoiceAccessToken {
  return new RecordBuilder(row.legacyNulls)
    .req('token', row.tokenHash)
    .req('orderId', row.orderId)
    .req('email', row.email)
    .req('expiresAt', toIso(row.legacyExpiresAt ?? row.expiresAt))
    .req('createdAt', toIso(row.createdAt))
    .extra(row.extra)
    .build<InvoiceAccessToken>();
}
