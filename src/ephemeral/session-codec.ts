/**
 * Pure encode/decode of the legacy session values (legacy-redis-format.md §2b #39/#40, §4.13) and the
 * admin TTL rule. A value that does not decode means "no valid session": authentication must fail
 * closed, so decoders return null instead of guessing.
 */
import { randomBytes, randomUUID } from 'node:crypto';

/** `user:session:{token}` value. */
export interface UserSession {
  userId: string;
  /** The normalised e-mail of the user record. */
  email: string;
  /** ISO timestamp with milliseconds. */
  createdAt: string;
}

export type AdminRole = 'super_admin' | 'admin';

/** `admin:session:{uuid}` value written since 12304fe (2025-12-04). */
export interface AdminSession {
  kind: 'admin';
  userId: string;
  email: string;
  role: AdminRole;
  createdAt: string;
}

/** The literal `1` written before 12304fe: a valid admin session whose user is unknown. */
export interface LegacyAdminSession {
  kind: 'legacy-marker';
}

export type AdminSessionRecord = AdminSession | LegacyAdminSession;

export const ADMIN_SESSION_TTL = { default: 604_800, min: 60, max: 2_592_000 } as const;

/** User session tokens are 32 random bytes as hex (64 characters). */
export const USER_SESSION_TOKEN = /^[0-9a-f]{64}$/;
/** Admin session ids are UUIDs (v4 when created by the store). */
export const ADMIN_SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function newUserSessionToken(): string {
  return randomBytes(32).toString('hex');
}

export function newAdminSessionId(): string {
  return randomUUID();
}

/**
 * `ADMIN_SESSION_TTL_SECONDS` as the store reads it: absent or not a number gives the default
 * (604800 s); any number is floored and clamped to [60, 2592000].
 */
export function adminSessionTtlSeconds(raw: string | number | undefined): number {
  const n = typeof raw === 'number' ? raw : raw === undefined || raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isFinite(n)) return ADMIN_SESSION_TTL.default;
  return Math.min(ADMIN_SESSION_TTL.max, Math.max(ADMIN_SESSION_TTL.min, Math.floor(n)));
}

function parseObject(raw: string): Record<string, unknown> | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null; // not JSON: not a session this store or the legacy store wrote
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

export function decodeUserSession(raw: string): UserSession | null {
  const o = parseObject(raw);
  if (!o || !isText(o.userId) || !isText(o.email) || !isText(o.createdAt)) return null;
  return { userId: o.userId, email: o.email, createdAt: o.createdAt };
}

/** Byte-for-byte what the store writes: `JSON.stringify({userId, email, createdAt})`. */
export function encodeUserSession(s: UserSession): string {
  return JSON.stringify({ userId: s.userId, email: s.email, createdAt: s.createdAt });
}

export function decodeAdminSession(raw: string): AdminSessionRecord | null {
  if (raw === '1') return { kind: 'legacy-marker' };
  const o = parseObject(raw);
  if (!o || !isText(o.userId) || !isText(o.email) || !isText(o.createdAt)) return null;
  if (o.role !== 'super_admin' && o.role !== 'admin') return null;
  return { kind: 'admin', userId: o.userId, email: o.email, role: o.role, createdAt: o.createdAt };
}

/** Byte-for-byte what the store writes: `JSON.stringify({userId, email, role, createdAt})`. */
export function encodeAdminSession(s: AdminSession): string {
  return JSON.stringify({ userId: s.userId, email: s.email, role: s.role, createdAt: s.createdAt });
}
