import type { Extra, IsoTimestamp } from './common.js';
import type { User } from './user.js';

/*
 * Ephemeral and security values (§2b, §4.13). Each lives under a key with a TTL; `expiresAt` may be in
 * the past while the key still exists (§8.22).
 */

/** `user:session:{token}`; token = 64 hex characters (the key suffix). */
export interface UserSession {
  userId: string;
  /** The normalised e-mail from the user record. */
  email: string;
  createdAt: IsoTimestamp;
  extra?: Extra;
}

/** `password:reset:{token}` (+1 h) and `email:verify:{token}` (+24 h). */
export interface UserToken {
  /** 64 hex characters; equals the key suffix. */
  token: string;
  userId: string;
  email: string;
  expiresAt: IsoTimestamp;
  createdAt: IsoTimestamp;
  extra?: Extra;
}

export type PasswordResetToken = UserToken;
export type EmailVerificationToken = UserToken;

/** Value of `password:reset:user:{userId}`: the user's latest reset token (plain string). */
export type PasswordResetPointer = string;

/** `invoice:token:{token}` (+30 d). */
export interface InvoiceAccessToken {
  token: string;
  orderId: string;
  /** The order e-mail (raw case). */
  email: string;
  expiresAt: IsoTimestamp;
  createdAt: IsoTimestamp;
  extra?: Extra;
}

/** `mobile:upload:{token}` (TTL 300 s, refreshed on update; `expiresAt` is not moved). */
export interface MobileUploadSession {
  token: string;
  createdAt: IsoTimestamp;
  expiresAt: IsoTimestamp;
  /** Blob URLs. */
  uploadedImages: string[];
  completed: boolean;
  extra?: Extra;
}

/** `tiktok:shop:token` (JSON text written as a string). */
export interface TikTokShopTokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch **milliseconds**. */
  expiresAt: number;
  /** Epoch **milliseconds**. */
  refreshExpiresAt: number;
  scope: string;
  extra?: Extra;
}

/** `webhook:event:{stripeEventId}` holds the literal `true`; only its existence (and TTL) matters. */
export type WebhookEventMarker = true;

/** `rate_limit:login:{ip}`: failed-attempt counter (blocks at ≥ 5). */
export type LoginAttemptCount = number;

/*
 * Token repositories. Tokens are 64 lower-case hex characters (32 random bytes); a string of any other
 * shape is never looked up and reads as absent. An expired token (`expiresAt` ≤ now) is treated as
 * absent by every read, whether or not the store has removed it yet. Redis keeps the legacy keys with
 * their TTLs (reset 1 h, verify 24 h, invoice 30 d); Postgres keeps only the SHA-256 digest of the token.
 */

/** Password-reset tokens (`password:reset:{token}`, +1 h). A user has at most one valid token. */
export interface PasswordResetTokenRepository {
  /**
   * Issues a new token for the user (e-mail taken from the user record) and invalidates the user's
   * previous one. `NotFoundError` when the user does not exist; `ValidationError` for a malformed id.
   */
  create(userId: string): Promise<PasswordResetToken>;
  /** The token if it exists and has not expired, else `null`. No side effects. */
  get(token: string): Promise<PasswordResetToken | null>;
  /**
   * Uses the token once: removes it and sets the user's password hash in the same atomic step, and
   * returns the updated user. `null` when the token is unknown, already used or expired (an expired
   * token is removed too), or when its user no longer exists (the token is removed). `ValidationError`
   * for a hash that is not bcrypt (nothing is consumed).
   */
  resetPassword(token: string, passwordHash: string): Promise<User | null>;
}

/** E-mail verification tokens (`email:verify:{token}`, +24 h). A user may hold several. */
export interface EmailVerificationTokenRepository {
  /** Issues a token for the user (`NotFoundError` when absent). Earlier tokens stay valid. */
  create(userId: string): Promise<EmailVerificationToken>;
  /** The token if it exists and has not expired, else `null`. No side effects. */
  get(token: string): Promise<EmailVerificationToken | null>;
  /**
   * Uses the token once: removes it and marks its user verified in the same atomic step (the store's
   * `verifyEmailWithToken`), returning the updated user. `null` when the token is unknown, already
   * used or expired (then removed), or its user no longer exists (then removed).
   */
  verify(token: string): Promise<User | null>;
}

/** Invoice access tokens (`invoice:token:{token}`, +30 d): a guest's link to one order's invoice. */
export interface InvoiceTokenRepository {
  /**
   * Issues a token for an order and the order's e-mail (kept in its raw case). The order is not
   * required to exist (tokens outlive deleted orders, legacy §7.8). `ValidationError` for an empty,
   * oversized or `:`-containing order id or an empty/oversized e-mail.
   */
  create(orderId: string, email: string): Promise<InvoiceAccessToken>;
  /** The token if it exists and has not expired, else `null`. No side effects. */
  get(token: string): Promise<InvoiceAccessToken | null>;
}

/** The three token families. */
export interface TokenRepository {
  passwordReset: PasswordResetTokenRepository;
  emailVerification: EmailVerificationTokenRepository;
  invoice: InvoiceTokenRepository;
}
