/** Token helpers shared by both backends: format, issuing times and liveness (legacy §2b, §4.13). */
import { randomBytes } from 'node:crypto';

/** A new token: 32 random bytes as hex, as the store's `crypto.randomBytes(32).toString("hex")`. */
export function newToken(): string {
  return randomBytes(32).toString('hex');
}

/** `createdAt`/`expiresAt` of a token issued at `now` for `ttlSeconds` (the store's TTLs, §2b). */
export function tokenTimes(now: Date, ttlSeconds: number): { createdAt: string; expiresAt: string } {
  return {
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + ttlSeconds * 1000).toISOString(),
  };
}

/** A token whose `expiresAt` has come is absent, whether or not the store has dropped it yet (§8.22). */
export function isLiveToken(token: { expiresAt: string }, now: Date): boolean {
  return Date.parse(token.expiresAt) > now.getTime();
}

const TOKEN = /^[0-9a-f]{64}$/;

/** Tokens are 32 random bytes as lower-case hex; anything else cannot exist and is not looked up. */
export function isTokenFormat(token: unknown): token is string {
  return typeof token === 'string' && TOKEN.test(token);
}
