/**
 * Password-reset, e-mail-verification and invoice tokens on the legacy keys with the store's TTLs
 * (legacy-redis-format.md §2b #41–#44, §4.13): `password:reset:{token}` (1 h) plus the pointer
 * `password:reset:user:{userId}` (1 h) to the user's latest token, `email:verify:{token}` (24 h) and
 * `invoice:token:{token}` (30 d). Using a token and changing its user are one unit of work, so a token
 * works exactly once and never without its effect.
 */
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
import {
  emailVerifyValue,
  invoiceTokenValue,
  passwordResetUserValue,
  passwordResetValue,
} from '../../legacy/codecs/tokens.js';
import type { ValueCodec } from '../../legacy/codecs/value.js';
import { LEGACY_TTL } from '../../legacy/keys.js';
import { type RedisUnitOfWork, runUnitOfWork } from './atomic.js';
import type { RedisDeps } from './index.js';
import { decodeRaw, readInUnit, readValue } from './record-io.js';
import { readUserStep, updateUserStep } from './user-repository.js';

/** The live token at `key`, or `null` (wrong format, absent or expired). */
async function readLive<T extends { expiresAt: string }>(
  deps: RedisDeps,
  codec: ValueCodec<T>,
  token: string,
  key: (token: string) => string,
): Promise<T | null> {
  if (!isTokenFormat(token)) return null;
  const record = await readValue(deps.client, codec, key(token));
  return record && isLiveToken(record, deps.now()) ? record : null;
}

/**
 * Uses a user token inside the caller's unit: deletes its key and applies `change` to its user.
 * `null` (with the key still deleted when it existed) when the token is absent or expired or its user
 * is gone.
 */
export async function consumeUserTokenStep(
  deps: RedisDeps,
  uow: RedisUnitOfWork,
  codec: ValueCodec<UserToken>,
  key: string,
  change: (user: User) => User,
): Promise<User | null> {
  const record = await readInUnit(uow, codec, key);
  if (!record) return null;
  uow.del(key);
  if (!isLiveToken(record, deps.now())) return null;
  if (!(await readUserStep(deps, uow, record.userId))) return null;
  return updateUserStep(deps, uow, record.userId, change);
}

async function issueUserToken(
  deps: RedisDeps,
  uow: RedisUnitOfWork,
  userId: string,
  ttlSeconds: number,
): Promise<UserToken> {
  const user = await readUserStep(deps, uow, userId);
  if (!user) throw new NotFoundError('user', userId);
  return { token: newToken(), userId, email: user.email, ...tokenTimes(deps.now(), ttlSeconds) };
}

/**
 * Only the user's latest reset token (the `password:reset:user:{uid}` pointer) is valid; a token key
 * the store failed to delete when it issued a newer one reads as absent. No pointer (it expired with
 * its TTL, or was never written) leaves the token valid.
 */
function isSuperseded(token: string, latest: string | null): boolean {
  return latest !== null && latest !== token;
}

function passwordReset(deps: RedisDeps): PasswordResetTokenRepository {
  const { client, keys } = deps;
  return {
    async create(userId) {
      const id = checkId('userId', userId);
      return runUnitOfWork(client, `password reset for ${id}`, async (uow) => {
        const record = await issueUserToken(deps, uow, id, LEGACY_TTL.passwordReset);
        // The store invalidates the previous token through the user's pointer, then writes both keys.
        const pointerKey = keys.passwordResetUser(id);
        const previous = decodeRaw(passwordResetUserValue, pointerKey, await uow.get(pointerKey));
        if (previous !== null) uow.del(keys.passwordReset(previous));
        uow.set(
          keys.passwordReset(record.token),
          passwordResetValue.encode(record),
          LEGACY_TTL.passwordReset,
        );
        uow.set(pointerKey, passwordResetUserValue.encode(record.token), LEGACY_TTL.passwordResetUser);
        return record;
      });
    },

    async get(token) {
      const record = await readLive(deps, passwordResetValue, token, keys.passwordReset);
      if (!record) return null;
      const pointerKey = keys.passwordResetUser(record.userId);
      return isSuperseded(token, await readValue(client, passwordResetUserValue, pointerKey)) ? null : record;
    },

    async resetPassword(token, passwordHash) {
      const hash = checkPasswordHash('passwordHash', passwordHash);
      if (!isTokenFormat(token)) return null;
      // The pointer is left to its TTL, as the store did.
      return runUnitOfWork(client, 'reset password', async (uow) => {
        const key = keys.passwordReset(token);
        const record = await readInUnit(uow, passwordResetValue, key);
        if (record) {
          const pointerKey = keys.passwordResetUser(record.userId);
          if (isSuperseded(token, await readInUnit(uow, passwordResetUserValue, pointerKey))) {
            uow.del(key);
            return null;
          }
        }
        return consumeUserTokenStep(deps, uow, passwordResetValue, key, (user) => ({
          ...user,
          passwordHash: hash,
        }));
      });
    },
  };
}

function emailVerification(deps: RedisDeps): EmailVerificationTokenRepository {
  const { client, keys } = deps;
  return {
    async create(userId) {
      const id = checkId('userId', userId);
      return runUnitOfWork(client, `e-mail verification for ${id}`, async (uow) => {
        const record = await issueUserToken(deps, uow, id, LEGACY_TTL.emailVerify);
        uow.set(keys.emailVerify(record.token), emailVerifyValue.encode(record), LEGACY_TTL.emailVerify);
        return record;
      });
    },

    get: async (token) => readLive(deps, emailVerifyValue, token, keys.emailVerify),

    async verify(token) {
      if (!isTokenFormat(token)) return null;
      return runUnitOfWork(client, 'verify e-mail', (uow) =>
        consumeUserTokenStep(deps, uow, emailVerifyValue, keys.emailVerify(token), (user) => ({
          ...user,
          emailVerified: true,
        })),
      );
    },
  };
}

function invoice(deps: RedisDeps): InvoiceTokenRepository {
  const { client, keys } = deps;
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
      return runUnitOfWork(client, `invoice token for ${order}`, async (uow) => {
        uow.set(keys.invoiceToken(record.token), invoiceTokenValue.encode(record), LEGACY_TTL.invoiceToken);
        return record;
      });
    },

    get: async (token) => readLive(deps, invoiceTokenValue, token, keys.invoiceToken),
  };
}

export function createRedisTokenRepository(deps: RedisDeps): TokenRepository {
  return {
    passwordReset: passwordReset(deps),
    emailVerification: emailVerification(deps),
    invoice: invoice(deps),
  };
}
