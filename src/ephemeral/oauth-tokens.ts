/**
 * OAuth token store with single-flight refresh across processes. `getValid` returns the stored token
 * while it is fresh; when it is not, exactly one caller (across every process sharing the Redis)
 * takes a short lock, re-reads, refreshes and stores, while the others wait for the lock to go and
 * re-read. TikTok tokens live on the legacy key `tiktok:shop:token` (same JSON, no TTL, as the store
 * writes them); USPS tokens on `eph:oauth:usps:token`.
 */
import type { RedisClient } from '../backends/redis/client.js';
import { legacyKeys } from '../legacy/keys.js';
import { EphemeralDecodeError, LockWaitTimeoutError } from './errors.js';
import { ephemeralKeys } from './keys.js';
import { pollUntil, tryAcquireLock } from './lock.js';
import { decodeOAuthTokens, encodeOAuthTokens, isFresh, type OAuthTokens } from './oauth-codec.js';

export type { OAuthTokens } from './oauth-codec.js';

export type OAuthProvider = 'usps' | 'tiktok';

/** Obtains new tokens; `current` is what is stored now (null when nothing is), e.g. for its refreshToken. */
export type RefreshTokens = (current: OAuthTokens | null) => Promise<OAuthTokens>;

export interface OAuthTokenStore {
  /** The stored tokens, or null. Throws `EphemeralDecodeError` when the stored value is malformed. */
  get(provider: OAuthProvider): Promise<OAuthTokens | null>;
  set(provider: OAuthProvider, tokens: OAuthTokens): Promise<void>;
  /** Forgets the tokens (TikTok disconnect / deauthorisation). */
  clear(provider: OAuthProvider): Promise<void>;
  /**
   * A token that is fresh for at least `skewMs`, refreshing it through `refresh` when needed; only one
   * caller across all processes runs `refresh` at a time. A refresh error reaches the caller that ran
   * it; waiters then try to take the lock themselves. Throws `LockWaitTimeoutError` after `waitTimeoutMs`.
   */
  getValid(provider: OAuthProvider, refresh: RefreshTokens): Promise<OAuthTokens>;
}

export interface OAuthTokenStoreOptions {
  prefix?: string;
  /** A token expiring within this margin is refreshed. Default 60 s. */
  skewMs?: number;
  /** Lease of the refresh lock; longer than the slowest refresh. Default 30 s. */
  lockLeaseMs?: number;
  /** How long a caller waits for someone else's refresh. Default 30 s. */
  waitTimeoutMs?: number;
  /** Poll interval while waiting. Default 25 ms. */
  pollMs?: number;
}

export function oauthTokenStore(client: RedisClient, opts: OAuthTokenStoreOptions = {}): OAuthTokenStore {
  const legacy = legacyKeys(opts.prefix);
  const eph = ephemeralKeys(opts.prefix);
  const skewMs = opts.skewMs ?? 60_000;
  const lockLeaseMs = opts.lockLeaseMs ?? 30_000;
  const waitTimeoutMs = opts.waitTimeoutMs ?? 30_000;
  const pollMs = opts.pollMs ?? 25;
  const tokenKey = (p: OAuthProvider) => (p === 'tiktok' ? legacy.tiktokToken() : eph.oauthToken(p));
  // Callers in this process share one in-flight refresh, so they do not all poll Redis.
  const inFlight = new Map<OAuthProvider, Promise<OAuthTokens>>();

  const get = async (provider: OAuthProvider): Promise<OAuthTokens | null> => {
    const key = tokenKey(provider);
    const raw = await client.get(key);
    if (raw === null) return null;
    const decoded = decodeOAuthTokens(raw);
    if (!decoded.ok) throw new EphemeralDecodeError(key, decoded.reason);
    return decoded.tokens;
  };

  const set = async (provider: OAuthProvider, tokens: OAuthTokens): Promise<void> => {
    await client.set(tokenKey(provider), encodeOAuthTokens(tokens));
  };

  const refreshSingleFlight = async (provider: OAuthProvider, refresh: RefreshTokens) => {
    const lockKey = eph.oauthLock(provider);
    const started = Date.now();
    for (;;) {
      const lock = await tryAcquireLock(client, lockKey, lockLeaseMs);
      if (lock) {
        try {
          // Someone may have refreshed between our read and taking the lock.
          const current = await get(provider);
          if (isFresh(current, Date.now(), skewMs)) return current;
          const next = await refresh(current);
          await set(provider, next);
          return next;
        } finally {
          await lock.release();
        }
      }
      const remaining = waitTimeoutMs - (Date.now() - started);
      const released =
        remaining > 0 &&
        (await pollUntil(async () => (await client.exists(lockKey)) === 0, {
          timeoutMs: remaining,
          intervalMs: pollMs,
        }));
      if (!released) throw new LockWaitTimeoutError(lockKey, Date.now() - started);
      const after = await get(provider);
      if (isFresh(after, Date.now(), skewMs)) return after;
      // The holder failed or its token is already stale: take the lock ourselves.
    }
  };

  return {
    get,
    set,
    async clear(provider) {
      await client.del(tokenKey(provider));
    },
    async getValid(provider, refresh) {
      const current = await get(provider);
      if (isFresh(current, Date.now(), skewMs)) return current;
      const shared = inFlight.get(provider);
      if (shared) return shared;
      const p = refreshSingleFlight(provider, refresh).finally(() => inFlight.delete(provider));
      inFlight.set(provider, p);
      return p;
    },
  };
}
