/**
 * User and admin sessions on the legacy keys `user:session:{token}` / `admin:session:{uuid}`, so the
 * live store and this project accept each other's sessions during the migration. New: a per-user set
 * of session tokens (`eph:sessions:{user|admin}:{userId}`) written in the same Lua script as the
 * session itself, which makes "log out everywhere" possible without scanning.
 *
 * Sessions written by the legacy app are not in that set. `revokeAllForUser` finds them with a
 * bounded SCAN of the session keys (default 10 000 keys examined); legacy admin sessions holding the
 * literal `1` name no user and can never be attributed, so they are counted but not revoked.
 */
import type { RedisClient } from '../backends/redis/client.js';
import { LEGACY_TTL, legacyKeys } from '../legacy/keys.js';
import { ephemeralKeys } from './keys.js';
import {
  ADMIN_SESSION_ID,
  type AdminSession,
  type AdminSessionRecord,
  adminSessionTtlSeconds,
  decodeAdminSession,
  decodeUserSession,
  encodeAdminSession,
  encodeUserSession,
  newAdminSessionId,
  newUserSessionToken,
  USER_SESSION_TOKEN,
  type UserSession,
} from './session-codec.js';
import { RedisSessionStore, type SessionExpiry, type SessionStore } from './session-store.js';

export type { CreatedSession, RevokeAllResult, SessionExpiry, SessionStore } from './session-store.js';

export interface SessionStoreOptions {
  /** Base key prefix (empty in production). */
  prefix?: string;
  expiry?: Partial<SessionExpiry>;
}

export type UserSessionInput = Omit<UserSession, 'createdAt'>;
export type AdminSessionInput = Omit<AdminSession, 'createdAt' | 'kind'>;

/** `user:session:{token}`: 64-hex tokens, 30-day fixed expiry by default (the legacy TTL). */
export function userSessionStore(
  client: RedisClient,
  opts: SessionStoreOptions = {},
): SessionStore<UserSession, UserSessionInput> {
  const legacy = legacyKeys(opts.prefix);
  const eph = ephemeralKeys(opts.prefix);
  return new RedisSessionStore<UserSession, UserSessionInput>(
    client,
    {
      sessionKey: legacy.userSession,
      indexKey: eph.userSessionIndex,
      scanPattern: legacy.scanPattern('userSession'),
      isToken: (t) => USER_SESSION_TOKEN.test(t),
      newToken: newUserSessionToken,
      build: (input, createdAt) => ({ userId: input.userId, email: input.email, createdAt }),
      encode: encodeUserSession,
      decode: decodeUserSession,
      ownerOf: (s) => s.userId,
    },
    { ttlSeconds: LEGACY_TTL.userSession, sliding: false, ...opts.expiry },
  );
}

/**
 * `admin:session:{uuid}`: fixed expiry, 604800 s unless `expiry.ttlSeconds` says otherwise; the TTL
 * is always clamped to [60, 2592000] as the store clamps `ADMIN_SESSION_TTL_SECONDS`. Reads the
 * legacy value `1` as `{ kind: 'legacy-marker' }`.
 */
export function adminSessionStore(
  client: RedisClient,
  opts: SessionStoreOptions = {},
): SessionStore<AdminSessionRecord, AdminSessionInput> {
  const legacy = legacyKeys(opts.prefix);
  const eph = ephemeralKeys(opts.prefix);
  return new RedisSessionStore<AdminSessionRecord, AdminSessionInput>(
    client,
    {
      sessionKey: legacy.adminSession,
      indexKey: eph.adminSessionIndex,
      scanPattern: legacy.scanPattern('adminSession'),
      isToken: (t) => ADMIN_SESSION_ID.test(t),
      newToken: newAdminSessionId,
      build: (input, createdAt) => ({ kind: 'admin', ...input, createdAt }),
      encode: (s) => (s.kind === 'admin' ? encodeAdminSession(s) : '1'),
      decode: decodeAdminSession,
      ownerOf: (s) => (s.kind === 'admin' ? s.userId : null),
    },
    { sliding: opts.expiry?.sliding ?? false, ttlSeconds: adminSessionTtlSeconds(opts.expiry?.ttlSeconds) },
  );
}
