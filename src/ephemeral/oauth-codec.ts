/**
 * Pure encode/decode of stored OAuth tokens. The legacy `tiktok:shop:token` value is the JSON text of
 * `{accessToken, refreshToken, expiresAt, refreshExpiresAt, scope}` with epoch-millisecond numbers
 * (legacy-redis-format.md §4.13); the app stringified it before `kv.set`, so the raw bytes are that
 * JSON object. USPS tokens (client-credentials grant) have no refresh token.
 */

export interface OAuthTokens {
  accessToken: string;
  refreshToken?: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  /** Epoch milliseconds. */
  refreshExpiresAt?: number;
  scope?: string;
}

export type DecodedTokens = { ok: true; tokens: OAuthTokens } | { ok: false; reason: string };

const isEpochMs = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

export function decodeOAuthTokens(raw: string): DecodedTokens {
  let value: unknown;
  try {
    value = JSON.parse(raw);
    // A value written through a client that stringifies strings again would be JSON text in JSON.
    if (typeof value === 'string') value = JSON.parse(value);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'not a JSON object' };
  }
  const o = value as Record<string, unknown>;
  if (typeof o.accessToken !== 'string' || o.accessToken === '') {
    return { ok: false, reason: 'accessToken missing' };
  }
  if (!isEpochMs(o.expiresAt)) return { ok: false, reason: 'expiresAt is not epoch milliseconds' };
  const tokens: OAuthTokens = { accessToken: o.accessToken, expiresAt: o.expiresAt };
  if (o.refreshToken !== undefined) {
    if (typeof o.refreshToken !== 'string') return { ok: false, reason: 'refreshToken is not a string' };
    tokens.refreshToken = o.refreshToken;
  }
  if (o.refreshExpiresAt !== undefined) {
    if (!isEpochMs(o.refreshExpiresAt)) {
      return { ok: false, reason: 'refreshExpiresAt is not epoch milliseconds' };
    }
    tokens.refreshExpiresAt = o.refreshExpiresAt;
  }
  if (o.scope !== undefined) {
    if (typeof o.scope !== 'string') return { ok: false, reason: 'scope is not a string' };
    tokens.scope = o.scope;
  }
  return { ok: true, tokens };
}

/** The legacy field order; absent optional fields are omitted, as `JSON.stringify` drops `undefined`. */
export function encodeOAuthTokens(t: OAuthTokens): string {
  return JSON.stringify({
    accessToken: t.accessToken,
    refreshToken: t.refreshToken,
    expiresAt: t.expiresAt,
    refreshExpiresAt: t.refreshExpiresAt,
    scope: t.scope,
  });
}

/** True when the access token is still usable `skewMs` from now. */
export function isFresh(t: OAuthTokens | null, now: number, skewMs: number): t is OAuthTokens {
  return t !== null && t.expiresAt - skewMs > now;
}
