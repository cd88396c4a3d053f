/**
 * Password-reset, e-mail-verification and invoice-access tokens (legacy-redis-format.md §4.13). Redis
 * keys them by the token (`password:reset:{token}`, …, with a TTL); Postgres keeps only its SHA-256
 * digest (decisions.md §9). The shared id is therefore the digest, records are compared through
 * `canonicalTokenRecord`, and the digest → token map in the context finds a Redis key again.
 *
 * A token whose `expiresAt` has passed is not copied by the backfill (the app treats it as absent), so
 * its absence on the other side is expected. A Postgres record cannot recreate a Redis key whose token
 * is not known (only its digest is stored): such a copy throws {@link NotCopyableError}.
 */
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import {
  canonicalTokenRecord,
  fromEmailVerificationTokenRow,
  fromInvoiceAccessTokenRow,
  fromPasswordResetTokenRow,
  type TokenRowOptions,
  toEmailVerificationTokenRow,
  toInvoiceAccessTokenRow,
  toPasswordResetTokenRow,
  tokenDigest,
} from '../../backends/postgres/mappers/tokens.js';
import { orders } from '../../backends/postgres/schema/orders.js';
import {
  type EmailVerificationTokenRow,
  emailVerificationTokens,
  type InvoiceAccessTokenRow,
  invoiceAccessTokens,
  type PasswordResetTokenRow,
  passwordResetTokens,
} from '../../backends/postgres/schema/tokens.js';
import { users } from '../../backends/postgres/schema/users.js';
import type { InvoiceAccessToken, UserToken } from '../../domain/tokens.js';
import { type LegacyKeys, legacyKeys } from '../../legacy/keys.js';
import {
  type AnyRow,
  deleteById,
  existingIds,
  postgresIdPages,
  selectByIds,
  upsertAggregate,
} from './pg-io.js';
import { scanFamilyIds } from './redis-ids.js';
import { encodeFamily, loadFamily, redisUnit } from './redis-io.js';
import {
  type EntitySync,
  NotCopyableError,
  type PgWriter,
  type RedisEntry,
  type SyncContext,
} from './types.js';

type TokenFamily = 'passwordReset' | 'emailVerify' | 'invoiceToken';

interface TokenSpec<F extends TokenFamily, T extends { token: string; expiresAt: string }> {
  name: string;
  family: F;
  key(keys: LegacyKeys, token: string): string;
  table: PgTable;
  hashColumn: PgColumn;
  /** Whether the referenced user / order row exists (sets the `*_ref` FK column). */
  refExists(db: PgWriter, record: T): Promise<boolean>;
  toRow(record: T, opts: TokenRowOptions): AnyRow;
  fromRow(row: AnyRow): T;
}

/** When each context last scanned each family, so ids unknown to Redis do not rescan every batch. */
const lastLearnt = new WeakMap<SyncContext, Map<TokenFamily, number>>();

/** Rescan a family for unknown digests at most this often. */
const RELEARN_MS = 5000;

/** Learns the digest → token map of a family (SCAN); tokens are short-lived, so it stays small. */
async function learnTokens(ctx: SyncContext, family: TokenFamily): Promise<void> {
  const seen = lastLearnt.get(ctx) ?? new Map<TokenFamily, number>();
  lastLearnt.set(ctx, seen);
  const at = seen.get(family);
  if (at !== undefined && Date.now() - at < RELEARN_MS) return;
  seen.set(family, Date.now());
  for await (const tokens of scanFamilyIds(ctx, family, 1000)) {
    for (const token of tokens) ctx.tokenKeys.set(tokenDigest(token), token);
  }
}

function tokenEntity<F extends TokenFamily, T extends { token: string; expiresAt: string }>(
  spec: TokenSpec<F, T>,
): EntitySync<T> {
  const keyOfDigest = (ctx: SyncContext, digest: string) => {
    const token = ctx.tokenKeys.get(digest);
    return token === undefined ? undefined : spec.key(ctx.keys, token);
  };
  return {
    name: spec.name,
    domain: 'tokens',
    redisPattern: spec.key(legacyKeys(''), '{token}'),

    async *listRedisIds(ctx, batchSize) {
      for await (const tokens of scanFamilyIds(ctx, spec.family, batchSize)) {
        yield tokens.map((token) => {
          const digest = tokenDigest(token);
          ctx.tokenKeys.set(digest, token);
          return digest;
        });
      }
    },

    listPostgresIds: (ctx, batchSize) => postgresIdPages(ctx, spec.table, spec.hashColumn, batchSize),

    async loadRedis(ctx, ids) {
      if (ids.some((id) => !ctx.tokenKeys.has(id))) await learnTokens(ctx, spec.family);
      const known = ids.filter((id) => ctx.tokenKeys.has(id));
      const loaded = await loadFamily(ctx, spec.family, known, (id) => keyOfDigest(ctx, id)!);
      return loaded as unknown as Map<string, RedisEntry<T>>;
    },

    async loadPostgres(ctx, ids) {
      const rows = await selectByIds(ctx.pg.db, spec.table, spec.hashColumn, ids);
      return new Map(rows.map((row) => [String(row.tokenHash), spec.fromRow(row)]));
    },

    compareFormRedis: (record) => canonicalTokenRecord(record),
    compareFormPostgres: (record) => record,

    async absenceExpected(ctx, record) {
      return Date.parse(record.expiresAt) <= ctx.now().getTime()
        ? 'expired (its expiresAt has passed; expired tokens are not copied)'
        : undefined;
    },

    async writePostgres(_ctx, db, id, record) {
      if (record === null)
        return (await deleteById(db, spec.table, spec.hashColumn, id)) ? 'deleted' : 'absent';
      const row = spec.toRow(record, { refExists: await spec.refExists(db, record) });
      await upsertAggregate(db, { table: spec.table, target: spec.hashColumn, row });
      return 'written';
    },

    async writeRedis(ctx, id, record) {
      if (!ctx.tokenKeys.has(id)) await learnTokens(ctx, spec.family);
      const token = ctx.tokenKeys.get(id);
      if (token === undefined) {
        if (record === null) return 'absent';
        throw new NotCopyableError(spec.name, id, 'Postgres keeps only the digest of a token, not the token');
      }
      const key = spec.key(ctx.keys, token);
      return redisUnit(ctx, `copy ${spec.name} ${id}`, async (uow) => {
        const existed = (await uow.get(key)) !== null;
        const ttl =
          record === null ? 0 : Math.ceil((Date.parse(record.expiresAt) - ctx.now().getTime()) / 1000);
        if (record === null || ttl <= 0) {
          uow.del(key);
          return existed ? 'deleted' : 'absent';
        }
        uow.set(key, encodeFamily(spec.family, { ...record, token } as never), ttl);
        return 'written';
      });
    },
  };
}

const userExists = async (db: PgWriter, record: UserToken) =>
  (await existingIds(db, users, users.id, [record.userId])).size > 0;

export const passwordResetTokensEntity = tokenEntity<'passwordReset', UserToken>({
  name: 'password_reset_tokens',
  family: 'passwordReset',
  key: (keys, token) => keys.passwordReset(token),
  table: passwordResetTokens,
  hashColumn: passwordResetTokens.tokenHash,
  refExists: userExists,
  toRow: (record, opts) => toPasswordResetTokenRow(record, opts),
  fromRow: (row) => fromPasswordResetTokenRow(row as PasswordResetTokenRow),
});

export const emailVerificationTokensEntity = tokenEntity<'emailVerify', UserToken>({
  name: 'email_verification_tokens',
  family: 'emailVerify',
  key: (keys, token) => keys.emailVerify(token),
  table: emailVerificationTokens,
  hashColumn: emailVerificationTokens.tokenHash,
  refExists: userExists,
  toRow: (record, opts) => toEmailVerificationTokenRow(record, opts),
  fromRow: (row) => fromEmailVerificationTokenRow(row as EmailVerificationTokenRow),
});

export const invoiceAccessTokensEntity = tokenEntity<'invoiceToken', InvoiceAccessToken>({
  name: 'invoice_access_tokens',
  family: 'invoiceToken',
  key: (keys, token) => keys.invoiceToken(token),
  table: invoiceAccessTokens,
  hashColumn: invoiceAccessTokens.tokenHash,
  refExists: async (db, record) => (await existingIds(db, orders, orders.id, [record.orderId])).size > 0,
  toRow: (record, opts) => toInvoiceAccessTokenRow(record, opts),
  fromRow: (row) => fromInvoiceAccessTokenRow(row as InvoiceAccessTokenRow),
});
