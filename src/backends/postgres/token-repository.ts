/**
 * Password-reset, e-mail-verification and invoice tokens. Postgres keeps only `token_hash` (SHA-256
 * of the token, decisions.md §9); reads hash the presented token and return the record with that token.
 * A token is live while both its row's `expires_at` (when the store drops it) and the record's own
 * `expiresAt` lie ahead; reads filter the rest, as the Redis TTL and the store's lazy check do. Using a
 * token is `DELETE … RETURNING` in the transaction that changes its user, so it works exactly once.
 */
import { and, eq, gt, type SQL, sql } from 'drizzle-orm';
import { checkId, checkPasswordHash, checkText, MAX_EMAIL_LENGTH } from '../../domain/account-rules.js';
import { isLiveToken, isTokenFormat, newToken, tokenTimes } from '../../domain/token-rules.js';
import { NotFoundError } from '../../domain/errors.js';
import type {
  EmailVerificationTokenRepository,
  InvoiceAccessToken,
  InvoiceTokenRepository,
  PasswordResetTokenRepository,
  TokenRepository,
  UserToken,
} from '../../domain/tokens.js';
import type { User } from '../../domain/user.js';
import { LEGACY_TTL } from '../../legacy/keys.js';
import type { Db } from './client.js';
import type { PgDeps } from './index.js';
import {
  fromInvoiceAccessTokenRow,
  fromUserTokenRow,
  toInvoiceAccessTokenRow,
  toEmailVerificationTokenRow,
  toPasswordResetTokenRow,
  tokenDigest,
} from './mappers/tokens.js';
import { emailVerificationTokens, invoiceAccessTokens, orders, passwordResetTokens } from './schema.js';
import type { Tx } from './transaction.js';
import { lockUserTx, updateUserTx } from './user-repository.js';

type UserTokenTable = typeof passwordResetTokens | typeof emailVerificationTokens;

const notDropped = (table: UserTokenTable | typeof invoiceAccessTokens, now: Date): SQL =>
  gt(table.expiresAt, now);

/** What differs between the two user-token families. */
export interface UserTokenKind {
  table: UserTokenTable;
  ttlSeconds: number;
  /**
   * Password reset: only the user's newest token is valid (the Redis pointer
   * `password:reset:user:{uid}`, here a query): a new token deletes the older ones, and an older row
   * that is still there (copied or backfilled) reads as absent.
   */
  latestOnly: boolean;
  toRow: typeof toPasswordResetTokenRow;
}

/** The password-reset family. */
export const RESET_TOKENS: UserTokenKind = {
  table: passwordResetTokens,
  ttlSeconds: LEGACY_TTL.passwordReset,
  latestOnly: true,
  toRow: toPasswordResetTokenRow,
};

/** The e-mail-verification family. */
export const VERIFY_TOKENS: UserTokenKind = {
  table: emailVerificationTokens,
  ttlSeconds: LEGACY_TTL.emailVerify,
  latestOnly: false,
  toRow: toEmailVerificationTokenRow,
};

/** A newer token of the same user exists, so this one is superseded (`latestOnly` families). */
async function superseded(db: Db | Tx, kind: UserTokenKind, row: { userId: string; createdAt: Date }) {
  if (!kind.latestOnly) return false;
  const { table } = kind;
  const newer = await db
    .select({ hash: table.tokenHash })
    .from(table)
    .where(and(eq(table.userId, row.userId), gt(table.createdAt, row.createdAt)))
    .limit(1);
  return newer.length > 0;
}

/**
 * Uses a user token inside the caller's transaction: deletes its row and applies `change` to its
 * user. `null` (the row still deleted) when the token is unknown, expired or its user is gone.
 */
export async function consumeUserTokenTx(
  deps: PgDeps,
  tx: Tx,
  kind: UserTokenKind,
  token: string,
  change: (user: User) => User,
): Promise<User | null> {
  const { table } = kind;
  const [row] = await tx
    .delete(table)
    .where(eq(table.tokenHash, tokenDigest(token)))
    .returning();
  if (!row) return null;
  const now = deps.now();
  if (row.expiresAt.getTime() <= now.getTime() || !isLiveToken(fromUserTokenRow(row), now)) return null;
  if (await superseded(tx, kind, row)) return null;
  if (!(await lockUserTx(tx, row.userId))) return null;
  return updateUserTx(deps, tx, row.userId, change);
}

/** Issues a user token inside the caller's transaction (the user row is locked). */
async function issueUserTokenTx(
  deps: PgDeps,
  tx: Tx,
  kind: UserTokenKind,
  userId: string,
): Promise<UserToken> {
  const { table, ttlSeconds, latestOnly, toRow } = kind;
  const user = await lockUserTx(tx, userId);
  if (!user) throw new NotFoundError('user', userId);
  const record: UserToken = {
    token: newToken(),
    userId,
    email: user.email,
    ...tokenTimes(deps.now(), ttlSeconds),
  };
  if (latestOnly) await tx.delete(table).where(eq(table.userId, userId));
  await tx.insert(table).values({ ...toRow(record, { refExists: true }), syncWrittenAt: deps.now() });
  return record;
}

async function readUserToken(deps: PgDeps, kind: UserTokenKind, token: string): Promise<UserToken | null> {
  if (!isTokenFormat(token)) return null;
  const { table } = kind;
  const now = deps.now();
  const [row] = await deps.pg.db
    .select()
    .from(table)
    .where(and(eq(table.tokenHash, tokenDigest(token)), notDropped(table, now)));
  if (!row) return null;
  const record = fromUserTokenRow(row);
  if (!isLiveToken(record, now) || (await superseded(deps.pg.db, kind, row))) return null;
  return { ...record, token };
}

function userTokens(deps: PgDeps, kind: UserTokenKind, change: (user: User, arg: string) => User) {
  return {
    async create(userId: string): Promise<UserToken> {
      const id = checkId('userId', userId);
      return deps.pg.db.transaction((tx) => issueUserTokenTx(deps, tx, kind, id));
    },
    get: async (token: string) => readUserToken(deps, kind, token),
    async consume(token: string, arg: string): Promise<User | null> {
      if (!isTokenFormat(token)) return null;
      return deps.pg.db.transaction((tx) => consumeUserTokenTx(deps, tx, kind, token, (u) => change(u, arg)));
    },
  };
}

function passwordReset(deps: PgDeps): PasswordResetTokenRepository {
  const t = userTokens(deps, RESET_TOKENS, (user, hash) => ({ ...user, passwordHash: hash }));
  return {
    create: t.create,
    get: t.get,
    async resetPassword(token, passwordHash) {
      return t.consume(token, checkPasswordHash('passwordHash', passwordHash));
    },
  };
}

function emailVerification(deps: PgDeps): EmailVerificationTokenRepository {
  const t = userTokens(deps, VERIFY_TOKENS, (user) => ({ ...user, emailVerified: true }));
  return { create: t.create, get: t.get, verify: async (token) => t.consume(token, '') };
}

function invoice(deps: PgDeps): InvoiceTokenRepository {
  const { db } = deps.pg;
  return {
    async create(orderId, email) {
      const order = checkId('orderId', orderId);
      // The order's e-mail as the order holds it: raw case, and placeholders or test input (§4.2).
      const raw = checkText('email', email, MAX_EMAIL_LENGTH);
      const record: InvoiceAccessToken = {
        token: newToken(),
        orderId: order,
        email: raw,
        ...tokenTimes(deps.now(), LEGACY_TTL.invoiceToken),
      };
      await db.insert(invoiceAccessTokens).values({
        ...toInvoiceAccessTokenRow(record),
        // Set only when the order exists (tokens outlive deleted orders, §7.8).
        orderRef: sql`(select ${orders.id} from ${orders} where ${orders.id} = ${order})`,
        syncWrittenAt: deps.now(),
      });
      return record;
    },

    async get(token) {
      if (!isTokenFormat(token)) return null;
      const now = deps.now();
      const t = invoiceAccessTokens;
      const [row] = await db
        .select()
        .from(t)
        .where(and(eq(t.tokenHash, tokenDigest(token)), notDropped(t, now)));
      if (!row) return null;
      const record = fromInvoiceAccessTokenRow(row);
      return isLiveToken(record, now) ? { ...record, token } : null;
    },
  };
}

export function createPostgresTokenRepository(deps: PgDeps): TokenRepository {
  return {
    passwordReset: passwordReset(deps),
    emailVerification: emailVerification(deps),
    invoice: invoice(deps),
  };
}
