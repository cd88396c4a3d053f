/**
 * Ephemeral and security values (§2b, §4.13): sessions, tokens, the TikTok OAuth tokens, webhook
 * markers and login rate limits.
 */
import type {
  InvoiceAccessToken,
  MobileUploadSession,
  TikTokShopTokens,
  UserSession,
  UserToken,
} from '../../domain/tokens.js';
import { objectCodec, req } from './object.js';
import { arrayOf, bool, int, isoTimestamp, str } from './primitives.js';
import { integerText, jsonValue, literalText, plainText } from './value.js';

export const userSessionCodec = objectCodec<UserSession>(
  { userId: req(str), email: req(str), createdAt: req(isoTimestamp) },
  { extra: true },
);
export const userSessionValue = jsonValue(userSessionCodec);
export const decodeUserSession = userSessionValue.decode;
export const encodeUserSession = userSessionValue.encode;

export const userTokenCodec = objectCodec<UserToken>(
  {
    token: req(str),
    userId: req(str),
    email: req(str),
    expiresAt: req(isoTimestamp),
    createdAt: req(isoTimestamp),
  },
  { extra: true },
);

/** `password:reset:{token}`. */
export const passwordResetValue = jsonValue(userTokenCodec);
export const decodePasswordReset = passwordResetValue.decode;
export const encodePasswordReset = passwordResetValue.encode;

/** `password:reset:user:{userId}`: the latest token, plain text. */
export const passwordResetUserValue = plainText;
export const decodePasswordResetUser = passwordResetUserValue.decode;
export const encodePasswordResetUser = passwordResetUserValue.encode;

/** `email:verify:{token}`. */
export const emailVerifyValue = jsonValue(userTokenCodec);
export const decodeEmailVerify = emailVerifyValue.decode;
export const encodeEmailVerify = emailVerifyValue.encode;

export const invoiceTokenCodec = objectCodec<InvoiceAccessToken>(
  {
    token: req(str),
    orderId: req(str),
    email: req(str),
    expiresAt: req(isoTimestamp),
    createdAt: req(isoTimestamp),
  },
  { extra: true },
);
export const invoiceTokenValue = jsonValue(invoiceTokenCodec);
export const decodeInvoiceToken = invoiceTokenValue.decode;
export const encodeInvoiceToken = invoiceTokenValue.encode;

export const mobileUploadCodec = objectCodec<MobileUploadSession>(
  {
    token: req(str),
    createdAt: req(isoTimestamp),
    expiresAt: req(isoTimestamp),
    uploadedImages: req(arrayOf(str)),
    completed: req(bool),
  },
  { extra: true },
);
export const mobileUploadValue = jsonValue(mobileUploadCodec);
export const decodeMobileUpload = mobileUploadValue.decode;
export const encodeMobileUpload = mobileUploadValue.encode;

/** `tiktok:shop:token`: JSON text written as a string (§1); same bytes as an object. */
export const tiktokTokenCodec = objectCodec<TikTokShopTokens>(
  {
    accessToken: req(str),
    refreshToken: req(str),
    expiresAt: req(int),
    refreshExpiresAt: req(int),
    scope: req(str),
  },
  { extra: true },
);
export const tiktokTokenValue = jsonValue(tiktokTokenCodec);
export const decodeTiktokToken = tiktokTokenValue.decode;
export const encodeTiktokToken = tiktokTokenValue.encode;

/** `webhook:event:{id}`: the literal `true`. */
export const webhookEventValue = literalText('true', true);
export const decodeWebhookEvent = webhookEventValue.decode;
export const encodeWebhookEvent = webhookEventValue.encode;

/** `rate_limit:login:{ip}`: integer text. */
export const rateLimitLoginValue = integerText;
export const decodeRateLimitLogin = rateLimitLoginValue.decode;
export const encodeRateLimitLogin = rateLimitLoginValue.encode;
