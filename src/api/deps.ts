/** What the store API needs; every piece is injected so tests and the router can supply their own. */
import type { DataLayer } from '../domain/data-layer.js';
import type { AdminSessionRecord } from '../ephemeral/session-codec.js';
import type { AdminSessionInput, SessionStore, UserSessionInput } from '../ephemeral/sessions.js';
import type { UserSession } from '../ephemeral/session-codec.js';
import type { RateLimiter } from '../ephemeral/rate-limit.js';

/** Hashes and checks passwords (bcrypt in production; the format is what the legacy store wrote). */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
}

export interface StoreApiDeps {
  /**
   * Any data layer: Redis, Postgres or the migration router, optionally behind the catalogue query
   * cache (`withQueryCache(layer, queryCache(redis, { prefix }))` from `src/ephemeral`): the shop's
   * product reads are then served from Redis, and every write made through this layer (admin edits,
   * checkout, refunds) invalidates them.
   */
  data: DataLayer;
  userSessions: SessionStore<UserSession, UserSessionInput>;
  adminSessions: SessionStore<AdminSessionRecord, AdminSessionInput>;
  limiter: RateLimiter;
  passwords: PasswordHasher;
  /** Proxies in front of the app that append to `x-forwarded-for` (0 = trust only the socket). */
  trustedProxies?: number;
  /** Mark cookies `Secure` (default true; tests over plain HTTP turn it off). */
  secureCookies?: boolean;
  now?: () => Date;
  /** Receives every infrastructure failure (for logs); the client only sees a 503. */
  onInfrastructureError?: (err: unknown, route: string) => void;
}

/** Cookie names: the user session and the admin session. */
export const USER_COOKIE = 'dcw_session';
export const ADMIN_COOKIE = 'dcw_admin_session';
