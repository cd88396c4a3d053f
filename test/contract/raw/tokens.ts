/**
 * Raw readers for password-reset, e-mail-verification and invoice tokens (Redis: GET + codecs, TTL;
 * Postgres: the rows, looked up by the SHA-256 digest of the token, which is all Postgres keeps).
 * Records come back in the canonical token form (`token` = digest), so both stores compare equal.
 */
import { eq } from 'drizzle-orm';
import {
  canonicalTokenRecord,
  fromInvoiceAccessTokenRow,
  fromUserTokenRow,
  toEmailVerificationTokenRow,
  toInvoiceAccessTokenRow,
  toPasswordResetTokenRow,
  tokenDigest,
} from '../../../src/backends/postgres/mappers/tokens.js';
import {
  emailVerificationTokens,
  invoiceAccessTokens,
  passwordResetTokens,
} from '../../../src/backends/postgres/schema.js';
import { canonicalHash } from '../../../src/domain/canonical.js';
import type { InvoiceAccessToken, UserToken } from '../../../src/domain/tokens.js';
import {
  emailVerifyValue,
  invoiceTokenValue,
  passwordResetValue,
} from '../../../src/legacy/codecs/tokens.js';
import type { ValueCodec } from '../../../src/legacy/codecs/value.js';
import type { ContractContext, RawFactory } from '../harness.js';

export type TokenKind = 'passwordReset' | 'emailVerify' | 'invoice';

/** What the store holds for one token: its canonical record and how long the store keeps it. */
export interface StoredToken<T> {
  record: T;
  /** Seconds until the store drops it (Redis TTL; Postgres `expires_at` − now). */
  keptForSeconds: number;
  /** Bookkeeping agrees (Redis: exact codec bytes; Postgres: `sync_hash` + `sync_written_at`). */
  bookkeepingOk: boolean;
}

export interface TokensRaw {
  userToken(kind: 'passwordReset' | 'emailVerify', token: string): Promise<StoredToken<UserToken> | null>;
  invoice(token: string): Promise<StoredToken<InvoiceAccessToken> | null>;
  /**
   * Digest of the user's latest password-reset token as the store records it (Redis: the
   * `password:reset:user:{uid}` pointer; Postgres: the newest row of that user), or null.
   */
  latestResetDigest(userId: string): Promise<string | null>;
  /** Writes a legacy token as the store left it (even when `expiresAt` has passed: deletion was lazy, §8.22). */
  seed(kind: TokenKind, record: UserToken | InvoiceAccessToken): Promise<void>;
}

const KEPT_FOR_SEEDED_SECONDS = 3600;

export const tokensRaw: RawFactory<TokensRaw> = {
  redis(ctx: ContractContext): TokensRaw {
    const { client, keys } = ctx.redis!;
    const keyOf = (kind: TokenKind, token: string) =>
      kind === 'passwordReset'
        ? keys.passwordReset(token)
        : kind === 'emailVerify'
          ? keys.emailVerify(token)
          : keys.invoiceToken(token);
    async function read<T extends { token: string }>(kind: TokenKind, codec: ValueCodec<T>, token: string) {
      const key = keyOf(kind, token);
      const raw = await client.get(key);
      if (raw === null) return null;
      const r = codec.decode(key, raw);
      if (!r.ok) throw new Error(`stored token does not decode: ${r.error.problem}`);
      return {
        record: canonicalTokenRecord(r.value),
        keptForSeconds: await client.ttl(key),
        bookkeepingOk: codec.encode(r.value) === raw,
      };
    }
    return {
      userToken: (kind, token) =>
        read(kind, kind === 'passwordReset' ? passwordResetValue : emailVerifyValue, token),
      invoice: (token) => read('invoice', invoiceTokenValue, token),
      latestResetDigest: async (userId) => {
        const token = await client.get(keys.passwordResetUser(userId));
        return token === null ? null : tokenDigest(token);
      },
      seed: async (kind, record) => {
        const value =
          kind === 'invoice'
            ? invoiceTokenValue.encode(record as InvoiceAccessToken)
            : (kind === 'passwordReset' ? passwordResetValue : emailVerifyValue).encode(record as UserToken);
        await client.set(keyOf(kind, record.token), value, { EX: KEPT_FOR_SEEDED_SECONDS });
        if (kind === 'passwordReset') {
          const u = record as UserToken;
          await client.set(keys.passwordResetUser(u.userId), u.token, { EX: KEPT_FOR_SEEDED_SECONDS });
        }
      },
    };
  },
  postgres(ctx: ContractContext): TokensRaw {
    const db = ctx.pg!.db;
    const keptFor = (expiresAt: Date) => Math.round((expiresAt.getTime() - Date.now()) / 1000);
    return {
      userToken: async (kind, token) => {
        const table = kind === 'passwordReset' ? passwordResetTokens : emailVerificationTokens;
        const r = (
          await db
            .select()
            .from(table)
            .where(eq(table.tokenHash, tokenDigest(token)))
        )[0];
        if (!r) return null;
        const record = fromUserTokenRow(r);
        return {
          record,
          keptForSeconds: keptFor(r.expiresAt),
          bookkeepingOk: r.syncHash === canonicalHash(record) && r.syncWrittenAt !== null,
        };
      },
      invoice: async (token) => {
        const t = invoiceAccessTokens;
        const r = (
          await db
            .select()
            .from(t)
            .where(eq(t.tokenHash, tokenDigest(token)))
        )[0];
        if (!r) return null;
        const record = fromInvoiceAccessTokenRow(r);
        return {
          record,
          keptForSeconds: keptFor(r.expiresAt),
          bookkeepingOk: r.syncHash === canonicalHash(record) && r.syncWrittenAt !== null,
        };
      },
      latestResetDigest: async (userId) => {
        const rows = await ctx.pg!.query<{ token_hash: string }>(
          'SELECT token_hash FROM password_reset_tokens WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1',
          [userId],
        );
        return rows[0]?.token_hash ?? null;
      },
      seed: async (kind, record) => {
        // As the backfill writes it: kept for the key's remaining TTL, no live-write marker.
        const opts = { expiresAt: new Date(Date.now() + KEPT_FOR_SEEDED_SECONDS * 1000) };
        if (kind === 'invoice') {
          await db
            .insert(invoiceAccessTokens)
            .values(toInvoiceAccessTokenRow(record as InvoiceAccessToken, opts));
        } else if (kind === 'passwordReset') {
          await db.insert(passwordResetTokens).values(toPasswordResetTokenRow(record as UserToken, opts));
        } else {
          await db
            .insert(emailVerificationTokens)
            .values(toEmailVerificationTokenRow(record as UserToken, opts));
        }
      },
    };
  },
};
