/**
 * Atomic sliding-window rate limiter. Each bucket is a sorted set of the accepted attempts of the
 * last window, scored by Redis server time; one Lua script trims, counts and admits, so parallel
 * attempts can never slip past the limit (the legacy `SET 1 EX 900` + `INCR` pair could, and its
 * window was fixed from the first attempt). Refused attempts are not recorded, so hammering a locked
 * bucket does not extend the lockout.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { RedisClient } from '../backends/redis/client.js';
import { ephemeralKeys } from './keys.js';
import { defineScript, replyArray, replyNumber, runScript } from './script.js';

export type RateLimitAction = 'login' | 'registration' | 'passwordReset' | 'checkout';

export interface RateLimitPolicy {
  /** Attempts accepted per window. */
  limit: number;
  windowMs: number;
  /** Whether `recordSuccess` clears the bucket (the legacy store did after login and register). */
  resetOnSuccess: boolean;
}

/**
 * Login keeps the legacy numbers (5 per 15 min, cleared by a successful login); registration had the
 * same shared counter and reset. Password reset and checkout had no limiter; these are new policy.
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<RateLimitAction, RateLimitPolicy>> = {
  login: { limit: 5, windowMs: 900_000, resetOnSuccess: true },
  registration: { limit: 5, windowMs: 900_000, resetOnSuccess: true },
  passwordReset: { limit: 5, windowMs: 3_600_000, resetOnSuccess: false },
  checkout: { limit: 20, windowMs: 600_000, resetOnSuccess: false },
};

export interface RateLimitDecision {
  allowed: boolean;
  /** Attempts still accepted in the current window after this one. */
  remaining: number;
  /** 0 when allowed; otherwise how long until the next attempt can be accepted. */
  retryAfterMs: number;
}

/** Limits attempts per (action, subject). Subjects are hashed, so any text (an IP subject, an e-mail) is safe. */
export interface RateLimiter {
  /** Records an attempt if the bucket has room; says whether it was accepted. */
  attempt(action: RateLimitAction, subject: string): Promise<RateLimitDecision>;
  /** Clears the bucket. */
  reset(action: RateLimitAction, subject: string): Promise<void>;
  /** Call after the guarded operation succeeded: clears the bucket when the policy says so. */
  recordSuccess(action: RateLimitAction, subject: string): Promise<void>;
}

// KEYS: bucket. ARGV: limit, window ms, member. Returns {allowed 0|1, remaining, retryAfterMs}.
const ATTEMPT = defineScript(
  'rate-limit-attempt',
  `local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return {1, limit - count - 1, 0}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local retry = window
if oldest[2] then retry = tonumber(oldest[2]) + window - now end
if retry < 1 then retry = 1 end
return {0, 0, retry}`,
);

export interface RateLimiterOptions {
  prefix?: string;
  /** Per-action overrides of `DEFAULT_RATE_LIMITS`. */
  policies?: Partial<Record<RateLimitAction, Partial<RateLimitPolicy>>>;
}

/** Hex digest of a subject; what appears in the key instead of the subject itself. */
export function subjectDigest(subject: string): string {
  return createHash('sha256').update(subject).digest('hex').slice(0, 32);
}

export function rateLimiter(client: RedisClient, opts: RateLimiterOptions = {}): RateLimiter {
  const keys = ephemeralKeys(opts.prefix);
  const policy = (action: RateLimitAction): RateLimitPolicy => ({
    ...DEFAULT_RATE_LIMITS[action],
    ...opts.policies?.[action],
  });
  const key = (action: RateLimitAction, subject: string) => keys.rateLimit(action, subjectDigest(subject));

  return {
    async attempt(action, subject) {
      const p = policy(action);
      const reply = replyArray(
        ATTEMPT,
        await runScript(
          client,
          ATTEMPT,
          [key(action, subject)],
          [p.limit, Math.max(1, Math.round(p.windowMs)), randomUUID()],
        ),
      );
      const [allowed, remaining, retryAfterMs] = reply.map((r) => replyNumber(ATTEMPT, r));
      return { allowed: allowed === 1, remaining: remaining ?? 0, retryAfterMs: retryAfterMs ?? 0 };
    },
    async reset(action, subject) {
      await client.del(key(action, subject));
    },
    async recordSuccess(action, subject) {
      if (policy(action).resetOnSuccess) await client.del(key(action, subject));
    },
  };
}
