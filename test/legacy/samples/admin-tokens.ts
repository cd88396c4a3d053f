/** Admin data, sessions, tokens and counters (§4.12, §4.13, §2b). */
import { CS_ID, HEX64, json, k, type LegacySample, T0, USER_ID } from './types.js';

const ADMIN_ID = 'e1d2c3b4-a596-4788-9a0b-1c2d3e4f5a6b';

export const adminSamples: LegacySample[] = [
  {
    name: 'super admin with every backup code used (empty array) and a last login',
    key: k.adminUser(ADMIN_ID),
    raw: json({
      id: ADMIN_ID,
      email: 'owner@desertcandleworks.com',
      passwordHash: '$2b$12$abcdefghijklmnopqrstuuJ9dY3Ck6bYwq8Xo0r7lQ2vM6d8S1e2.',
      twoFactorSecret: 'JBSWY3DPEHPK3PXP',
      twoFactorBackupCodes: [],
      createdAt: '2025-12-04T08:00:00.000Z',
      lastLoginAt: T0,
      active: true,
      role: 'super_admin',
    }),
    expect: { twoFactorBackupCodes: [] },
  },
  {
    name: 'deactivated admin that never logged in',
    key: k.adminUser('f1d2c3b4-a596-4788-9a0b-1c2d3e4f5a6b'),
    raw: json({
      id: 'f1d2c3b4-a596-4788-9a0b-1c2d3e4f5a6b',
      email: 'helper@desertcandleworks.com',
      passwordHash: '$2b$12$abcdefghijklmnopqrstuuJ9dY3Ck6bYwq8Xo0r7lQ2vM6d8S1e2.',
      twoFactorSecret: 'KRSXG5CTMVRXEZLU',
      twoFactorBackupCodes: ['A1B2C3D4', 'Z9Y8X7'],
      createdAt: T0,
      active: false,
      role: 'admin',
    }),
    absent: ['lastLoginAt'],
  },
  {
    name: 'JSON admin session (since 2025-12-04)',
    key: k.adminSession('0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e'),
    raw: json({ userId: ADMIN_ID, email: 'owner@desertcandleworks.com', role: 'super_admin', createdAt: T0 }),
    expect: { role: 'super_admin' },
  },
  {
    name: 'admin session value `1` (before 2025-12-04, §9)',
    key: k.adminSession('1b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e'),
    raw: '1',
    value: 1,
  },
  {
    name: 'legacy 2FA secret (plain base32)',
    key: k.admin2faSecret(),
    raw: 'JBSWY3DPEHPK3PXP',
    value: 'JBSWY3DPEHPK3PXP',
  },
  {
    name: 'legacy 2FA backup codes (JSON-array text, §1)',
    key: k.admin2faBackupCodes(),
    raw: json(['K7Q2M9XA', 'P3L8N1ZB', '4RT6YU2W']),
    value: ['K7Q2M9XA', 'P3L8N1ZB', '4RT6YU2W'],
  },
  {
    name: 'TikTok tokens (JSON text, epoch ms)',
    key: k.tiktokToken(),
    raw: json({
      accessToken: 'ROW_abc',
      refreshToken: 'ROW_def',
      expiresAt: 1765833600000,
      refreshExpiresAt: 1797369600000,
      scope: 'seller.product.basic',
    }),
    expect: { expiresAt: 1765833600000 },
  },
];

export const tokenSamples: LegacySample[] = [
  {
    name: 'user session',
    key: k.userSession(HEX64),
    raw: json({ userId: USER_ID, email: 'jane@example.com', createdAt: T0 }),
  },
  {
    name: 'password reset whose expiresAt is already past (lazy deletion, §8.22)',
    key: k.passwordReset(HEX64),
    raw: json({
      token: HEX64,
      userId: USER_ID,
      email: 'jane@example.com',
      expiresAt: '2025-12-01T01:00:00.000Z',
      createdAt: '2025-12-01T00:00:00.000Z',
    }),
    expect: { expiresAt: '2025-12-01T01:00:00.000Z' },
  },
  {
    name: 'password:reset:user pointer (plain hex)',
    key: k.passwordResetUser(USER_ID),
    raw: HEX64,
    value: HEX64,
  },
  {
    name: 'e-mail verification token',
    key: k.emailVerify(HEX64),
    raw: json({
      token: HEX64,
      userId: USER_ID,
      email: 'jane@example.com',
      expiresAt: '2025-12-19T21:40:05.123Z',
      createdAt: T0,
    }),
  },
  {
    name: 'invoice token of a deleted order (§8.6)',
    key: k.invoiceToken(HEX64),
    raw: json({
      token: HEX64,
      orderId: CS_ID,
      email: 'Guest@Example.com',
      expiresAt: '2026-01-17T21:40:05.123Z',
      createdAt: T0,
    }),
  },
  {
    name: 'mobile upload session, completed',
    key: k.mobileUpload(HEX64),
    raw: json({
      token: HEX64,
      createdAt: T0,
      expiresAt: '2025-12-18T21:45:05.123Z',
      uploadedImages: ['https://blob.vercel-storage.com/u1.jpg'],
      completed: true,
    }),
    expect: { completed: true },
  },
  { name: 'webhook marker', key: k.webhookEvent('evt_1QAbCdEf'), raw: 'true', value: true },
  { name: 'first failed login', key: k.rateLimitLogin('unknown'), raw: '1', value: 1 },
  {
    name: 'blocked login, x-forwarded-for list as the key',
    key: k.rateLimitLogin('203.0.113.9, 10.0.0.1'),
    raw: '5',
    value: 5,
  },
];

export const adminLogEntries: string[] = [
  json({
    timestamp: T0,
    action: 'product.update',
    adminEmail: 'admin',
    ip: '203.0.113.9',
    userAgent: 'Mozilla/5.0',
    details: { slug: 'titos-candle', changes: { stock: [3, 2] } },
    success: true,
  }),
  json({
    timestamp: '2025-12-18T21:39:00.000Z',
    action: 'login',
    ip: 'unknown',
    userAgent: 'curl/8.4.0',
    success: false,
  }),
  json({
    timestamp: '2025-12-17T22:00:00.100Z',
    action: 'square.payment.completed',
    adminEmail: 'square-pos',
    ip: '10.0.0.1',
    userAgent: 'Square Connect',
    details: { items: [{ productSlug: 'titos-candle', quantity: 1 }] },
    success: true,
  }),
];
