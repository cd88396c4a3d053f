/**
 * Keys of the NEW ephemeral structures (seed plan §6) that have no legacy equivalent. Where a legacy
 * key exists (`user:session:*`, `admin:session:*`, `webhook:event:*`, `tiktok:shop:token`) the
 * modules use `src/legacy/keys.ts` instead, so the live store and this project share those keys.
 *
 * Everything here lives under `{prefix}eph:`, a namespace that none of the 47 legacy patterns match,
 * so a legacy migrator classifies these keys as "unknown" and never mistakes them for records.
 * Segments that come from callers are encoded so a `:` or a glob character in them cannot forge
 * another key; values that come from untrusted input (rate-limit subjects) are hashed by their module.
 */

/** Makes a caller-supplied value safe to use as one key segment (no `:`, no glob characters). */
export function keySegment(value: string): string {
  // encodeURIComponent already escapes `:`, `?`, `[`, `]` and `\`; `*` is the one glob character it keeps.
  return encodeURIComponent(value).replace(/\*/g, '%2A');
}

export type EphemeralKeys = ReturnType<typeof ephemeralKeys>;

/** Key builders for one base prefix (the same prefix given to `legacyKeys`). */
export function ephemeralKeys(prefix = '') {
  const k = (s: string) => `${prefix}eph:${s}`;
  return {
    prefix,
    /** Set of the live user-session tokens of one user (for revoke-all). */
    userSessionIndex: (userId: string) => k(`sessions:user:${keySegment(userId)}`),
    /** Set of the live admin-session ids of one admin user. */
    adminSessionIndex: (userId: string) => k(`sessions:admin:${keySegment(userId)}`),
    /** Sorted set (sliding-window log) of one limiter bucket; `subjectDigest` is a hex hash. */
    rateLimit: (action: string, subjectDigest: string) => k(`rl:${keySegment(action)}:${subjectDigest}`),
    /** OAuth tokens of a provider that has no legacy key (USPS). */
    oauthToken: (provider: string) => k(`oauth:${keySegment(provider)}:token`),
    /** Single-flight refresh lock of a provider's tokens. */
    oauthLock: (provider: string) => k(`oauth:${keySegment(provider)}:lock`),
    /** Sorted set of the holds on one SKU, members `{holdId}:{qty}`, scored by expiry (epoch ms). */
    holdSku: (skuId: string) => k(`hold:sku:${skuId}`),
    /** Counter bumped whenever a hold of this SKU is turned into a sale (see inventory-holds.ts). */
    holdSkuSeq: (skuId: string) => k(`hold:seq:${skuId}`),
    /** Hash describing one hold. */
    hold: (holdId: string) => k(`hold:id:${keySegment(holdId)}`),
    /** Set of the hold ids of one cart. */
    holdCart: (cartId: string) => k(`hold:cart:${keySegment(cartId)}`),
    /** Version counter of one cache tag. */
    cacheVersion: (tag: string) => k(`cache:ver:${keySegment(tag)}`),
    /** One cached value; `digest` hashes the logical key and the tag versions it was loaded under. */
    cacheEntry: (digest: string) => k(`cache:e:${digest}`),
    /** Stampede lock of one cache entry. */
    cacheLock: (digest: string) => k(`cache:lock:${digest}`),
  };
}
