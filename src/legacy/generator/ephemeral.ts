/**
 * Ephemeral keys (§2b): sessions, tokens, webhook markers, rate limits and mobile uploads. Every
 * one is created some time before `now` and gets the remaining lifetime as its TTL, so a live
 * token's `expiresAt` and its key's expiry agree.
 */
import type { GenContext } from './context.js';
import { blobUrl, docIp, stripeEventId, token64 } from './ids.js';
import type { BuiltOrder } from './orders.js';
import type { Rng } from './prng.js';
import { DAY, HOUR, iso, MINUTE } from './timeline.js';

const SESSION_LIFE = 30 * DAY;
const RESET_LIFE = HOUR;
const VERIFY_LIFE = DAY;
const INVOICE_LIFE = 30 * DAY;
const UPLOAD_LIFE = 5 * MINUTE;
const WEBHOOK_LIFE = 7 * DAY;
const RATE_LIMIT_LIFE = 15 * MINUTE;

/** A creation time within `life` before now (and not before `notBefore`), leaving ≥ 2 min to live. */
function liveSince(ctx: GenContext, rng: Rng, life: number, notBefore = 0): number {
  const from = Math.max(notBefore, ctx.nowMs - life + 2 * MINUTE);
  return rng.between(Math.min(from, ctx.nowMs - MINUTE), ctx.nowMs - MINUTE);
}

interface TokenOwner {
  id: string;
  email: string;
  createdMs: number;
}

/** Sessions and tokens of one user: a login session, a reset token, a verification e-mail. */
export function userTokens(
  ctx: GenContext,
  rng: Rng,
  u: TokenOwner,
  s: { deleted: boolean; verified: boolean; planted: boolean; forced: boolean },
): void {
  const { keys, out } = ctx;
  // `forced` (the scale-1 users) guarantees one live key of each kind at every scale.
  if (s.deleted || s.forced || rng.chance(0.35)) {
    const created = liveSince(ctx, rng, SESSION_LIFE, u.createdMs);
    const key = keys.userSession(token64(rng));
    out.json(
      'userSession',
      key,
      { userId: u.id, email: u.email, createdAt: iso(created) },
      ctx.ttlUntil(created + SESSION_LIFE),
    );
    if (s.deleted) ctx.edge('dangling-user-ref', key, 'live session of a deleted user');
  }
  if (s.forced || (!s.planted && rng.chance(0.03)))
    passwordReset(ctx, rng, u, liveSince(ctx, rng, RESET_LIFE));
  if (!s.deleted && !s.verified && (s.forced || rng.chance(0.3)))
    emailVerify(ctx, rng, u, liveSince(ctx, rng, VERIFY_LIFE));
}

/** `password:reset:{token}` plus the `password:reset:user:{uid}` pointer, both with the same TTL. */
export function passwordReset(
  ctx: GenContext,
  rng: Rng,
  u: TokenOwner,
  createdMs: number,
  ttl?: number,
): string {
  const token = token64(rng);
  const expiresAt = createdMs + RESET_LIFE;
  const seconds = ttl ?? ctx.ttlUntil(expiresAt);
  const key = ctx.keys.passwordReset(token);
  ctx.out.json(
    'passwordReset',
    key,
    { token, userId: u.id, email: u.email, expiresAt: iso(expiresAt), createdAt: iso(createdMs) },
    seconds,
  );
  ctx.out.set('passwordResetUser', ctx.keys.passwordResetUser(u.id), token, seconds);
  return key;
}

export function emailVerify(
  ctx: GenContext,
  rng: Rng,
  u: TokenOwner,
  createdMs: number,
  ttl?: number,
): string {
  const token = token64(rng);
  const expiresAt = createdMs + VERIFY_LIFE;
  const key = ctx.keys.emailVerify(token);
  ctx.out.json(
    'emailVerify',
    key,
    { token, userId: u.id, email: u.email, expiresAt: iso(expiresAt), createdAt: iso(createdMs) },
    ttl ?? ctx.ttlUntil(expiresAt),
  );
  return key;
}

/** An invoice link for an order (guest invoice e-mail or the admin route). */
export function invoiceToken(
  ctx: GenContext,
  rng: Rng,
  o: { id: string; email: string; createdMs: number },
  createdMs?: number,
  ttl?: number,
): string {
  const created = createdMs ?? liveSince(ctx, rng, INVOICE_LIFE, o.createdMs);
  const token = token64(rng);
  const expiresAt = created + INVOICE_LIFE;
  const key = ctx.keys.invoiceToken(token);
  ctx.out.json(
    'invoiceToken',
    key,
    { token, orderId: o.id, email: o.email, expiresAt: iso(expiresAt), createdAt: iso(created) },
    ttl ?? ctx.ttlUntil(expiresAt),
  );
  return key;
}

/** A guest order's invoice e-mail, for about a quarter of them (or when `forced`). */
export function maybeInvoice(ctx: GenContext, rng: Rng, o: BuiltOrder, forced = false): void {
  if (forced || rng.chance(0.25)) invoiceToken(ctx, rng, o);
}

/** A phone upload session; `expiresAt` stays at creation + 5 min while the TTL is refreshed. */
export function mobileUpload(ctx: GenContext, rng: Rng, createdMs: number, ttl: number): string {
  const token = token64(rng);
  const key = ctx.keys.mobileUpload(token);
  const images = Array.from({ length: rng.int(0, 3) }, (_, i) => blobUrl(rng, 'uploads', `photo-${i}`));
  ctx.out.json(
    'mobileUpload',
    key,
    {
      token,
      createdAt: iso(createdMs),
      expiresAt: iso(createdMs + UPLOAD_LIFE),
      uploadedImages: images,
      completed: images.length > 0 && rng.chance(0.5),
    },
    ttl,
  );
  return key;
}

/** Client `i`'s address (unique per i, from the shared 100.64.0.0/10 block), sometimes behind a proxy. */
function uniqueIp(rng: Rng, i: number): string {
  const ip = `100.${64 + ((i >> 16) & 63)}.${(i >> 8) & 255}.${i & 255}`;
  return rng.chance(0.3) ? `${ip}, 10.0.${rng.int(0, 9)}.${rng.int(1, 254)}` : ip;
}

/** Webhook markers, login rate limits and phone uploads that are not tied to other records. */
export function ephemeralSection(ctx: GenContext): void {
  const { keys, out, counts } = ctx;
  for (let i = 0; i < counts.webhookEvents; i++) {
    const rng = ctx.rng('webhook', i);
    const created = liveSince(ctx, rng, WEBHOOK_LIFE);
    out.set(
      'webhookEvent',
      keys.webhookEvent(stripeEventId(rng)),
      'true',
      ctx.ttlUntil(created + WEBHOOK_LIFE),
    );
  }
  for (let i = 0; i < counts.rateLimits; i++) {
    const rng = ctx.rng('rate-limit', i);
    // The raw x-forwarded-for header, x-real-ip, or `unknown` (§2b #47).
    const ip =
      i === 0
        ? `${docIp(rng)}, ${docIp(rng)}`
        : i === 1
          ? 'unknown'
          : i === 2
            ? `2001:db8::${rng.hex(4)}`
            : uniqueIp(rng, i);
    const created = liveSince(ctx, rng, RATE_LIMIT_LIFE);
    out.set(
      'rateLimitLogin',
      keys.rateLimitLogin(ip),
      String(rng.int(1, 7)),
      ctx.ttlUntil(created + RATE_LIMIT_LIFE),
    );
  }
  for (let i = 0; i < counts.mobileUploads; i++) {
    const rng = ctx.rng('mobile-upload', i);
    const created = liveSince(ctx, rng, UPLOAD_LIFE);
    mobileUpload(ctx, rng, created, ctx.ttlUntil(created + UPLOAD_LIFE));
  }
}
