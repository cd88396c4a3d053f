/**
 * Dashboard authentication: one admin token (DASHBOARD_TOKEN). The login form's token is compared in
 * constant time (SHA-256 digests of equal length through `timingSafeEqual`); a good login gets a
 * signed, expiring cookie (HMAC of the expiry keyed by the token), so rotating the token logs
 * everybody out and nothing is kept in memory. Failed logins are throttled per client address.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const DASHBOARD_COOKIE = 'dcw_dashboard';
/** Cookie lifetime: one working day. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** Constant-time token check: both sides hashed first, so lengths never differ. */
export function tokenMatches(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** A fresh token for when DASHBOARD_TOKEN is unset (printed once by the CLI). */
export function generateToken(): string {
  return randomBytes(24).toString('base64url');
}

function signature(token: string, expiresAt: number): string {
  return createHmac('sha256', token).update(`dashboard-session:${expiresAt}`).digest('base64url');
}

export function issueSessionCookie(token: string, now: number): { value: string; maxAgeSeconds: number } {
  const expiresAt = now + SESSION_TTL_MS;
  return { value: `${expiresAt}.${signature(token, expiresAt)}`, maxAgeSeconds: SESSION_TTL_MS / 1000 };
}

export function sessionCookieValid(value: string | undefined, token: string, now: number): boolean {
  if (!value) return false;
  const m = /^(\d{13})\.([A-Za-z0-9_-]{43})$/.exec(value);
  if (!m) return false;
  const expiresAt = Number(m[1]);
  if (expiresAt <= now) return false;
  const expected = Buffer.from(signature(token, expiresAt));
  const given = Buffer.from(m[2]!);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Failed logins per client: 10 per 5 minutes, then refused until the window passes. */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  constructor(
    private readonly limit = 10,
    private readonly windowMs = 300_000,
  ) {}

  /** Milliseconds until the client may try again (0 = now). */
  retryAfter(client: string, now: number): number {
    const recent = (this.failures.get(client) ?? []).filter((t) => t > now - this.windowMs);
    this.failures.set(client, recent);
    return recent.length >= this.limit ? recent[0]! + this.windowMs - now : 0;
  }

  fail(client: string, now: number): void {
    const list = this.failures.get(client) ?? [];
    list.push(now);
    this.failures.set(client, list);
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value!);
  }

  succeed(client: string): void {
    this.failures.delete(client);
  }
}
