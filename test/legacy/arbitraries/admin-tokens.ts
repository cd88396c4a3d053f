/** Arbitraries for admin data and the ephemeral/security values (§4.12, §4.13, §2b). */
import fc from 'fast-check';
import type { AdminLogEntry, AdminSessionValue, AdminUser } from '../../../src/domain/admin.js';
import type {
  InvoiceAccessToken,
  MobileUploadSession,
  TikTokShopTokens,
  UserSession,
  UserToken,
} from '../../../src/domain/tokens.js';
import { adminLogCodec, adminSessionCodec, adminUserCodec } from '../../../src/legacy/codecs/admin.js';
import {
  invoiceTokenCodec,
  mobileUploadCodec,
  tiktokTokenCodec,
  userSessionCodec,
  userTokenCodec,
} from '../../../src/legacy/codecs/tokens.js';
import {
  email,
  hex64,
  isoTimestamp,
  jsonData,
  orderId,
  rawCaseEmail,
  recordWith,
  text,
  uuid,
  withExtra,
} from './primitives.js';

export const backupCodes = fc.array(fc.stringMatching(/^[0-9A-Z]{1,8}$/), { maxLength: 10 });
export const base32Secret = fc.stringMatching(/^[A-Z2-7]{16}$/);

export const adminUser: fc.Arbitrary<AdminUser> = withExtra(
  recordWith<AdminUser>(
    {
      id: uuid,
      email,
      passwordHash: fc.stringMatching(/^\$2b\$12\$[./A-Za-z0-9]{53}$/),
      twoFactorSecret: base32Secret,
      twoFactorBackupCodes: backupCodes,
      createdAt: isoTimestamp,
      lastLoginAt: isoTimestamp,
      active: fc.boolean(),
      role: fc.constantFrom('super_admin', 'admin'),
    },
    ['id', 'email', 'passwordHash', 'twoFactorSecret', 'twoFactorBackupCodes', 'createdAt', 'active', 'role'],
  ),
  adminUserCodec,
);

export const adminLogEntry: fc.Arbitrary<AdminLogEntry> = withExtra(
  recordWith<AdminLogEntry>(
    {
      timestamp: isoTimestamp,
      action: fc.oneof(fc.constantFrom('login', 'product.update', 'square.payment.completed'), text),
      adminEmail: fc.oneof(fc.constantFrom('admin', 'square-pos'), email),
      ip: fc.oneof(fc.ipV4(), fc.constant('unknown'), fc.constant('203.0.113.9, 10.0.0.1')),
      userAgent: text,
      details: fc.dictionary(text, jsonData, { maxKeys: 3, noNullPrototype: true }),
      success: fc.boolean(),
    },
    ['timestamp', 'action', 'ip', 'userAgent', 'success'],
  ),
  adminLogCodec,
);

/** JSON sessions and the pre-2025-12-04 literal `1`. */
export const adminSession: fc.Arbitrary<AdminSessionValue> = fc.oneof(
  fc.constant(1 as const),
  withExtra(
    fc.record({
      userId: uuid,
      email,
      role: fc.constantFrom('super_admin', 'admin'),
      createdAt: isoTimestamp,
    }),
    adminSessionCodec,
  ),
);

export const userSession: fc.Arbitrary<UserSession> = withExtra(
  fc.record({ userId: uuid, email, createdAt: isoTimestamp }),
  userSessionCodec,
);

/** Password-reset and e-mail-verification tokens share one shape. */
export const userToken: fc.Arbitrary<UserToken> = withExtra(
  fc.record({ token: hex64, userId: uuid, email, expiresAt: isoTimestamp, createdAt: isoTimestamp }),
  userTokenCodec,
);

export const invoiceToken: fc.Arbitrary<InvoiceAccessToken> = withExtra(
  fc.record({ token: hex64, orderId, email: rawCaseEmail, expiresAt: isoTimestamp, createdAt: isoTimestamp }),
  invoiceTokenCodec,
);

export const mobileUpload: fc.Arbitrary<MobileUploadSession> = withExtra(
  fc.record({
    token: hex64,
    createdAt: isoTimestamp,
    expiresAt: isoTimestamp,
    uploadedImages: fc.array(fc.webUrl(), { maxLength: 3 }),
    completed: fc.boolean(),
  }),
  mobileUploadCodec,
);

export const tiktokToken: fc.Arbitrary<TikTokShopTokens> = withExtra(
  fc.record({
    accessToken: text,
    refreshToken: text,
    expiresAt: fc.integer({ min: 1_700_000_000_000, max: 1_900_000_000_000 }),
    refreshExpiresAt: fc.integer({ min: 1_700_000_000_000, max: 1_900_000_000_000 }),
    scope: text,
  }),
  tiktokTokenCodec,
);
