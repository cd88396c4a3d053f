/**
 * Admin login (password + TOTP or a backup code) and refunds through the API, over both backends:
 * a refund restores the stock and takes back the order's points exactly once.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { bcryptHash } from '../../src/api/bcrypt.js';
import { base32Decode, totpAt, verifyTotp } from '../../src/api/totp.js';
import type { DataLayer } from '../../src/domain/data-layer.js';
import { usePostgres, useRedis } from '../support/harness.js';
import { ApiClient, apiDeps, dataLayerFor, type StoreKind } from './support/api-fixture.js';

const pg = usePostgres();
const redis = useRedis();
const short = () => randomUUID().replaceAll('-', '').slice(0, 10);
let ipSeq = 0;
const nextIp = () => `203.0.113.${++ipSeq}`;

/** RFC 6238 appendix B (SHA-1), truncated to the 6 digits authenticator apps show. */
describe('TOTP', () => {
  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // base32 of "12345678901234567890"
  it.each([
    [59, '287082'],
    [1111111109, '081804'],
    [1234567890, '005924'],
    [2000000000, '279037'],
    [20000000000, '353130'],
  ])('at %i s the code is %s', (seconds, code) => {
    expect(totpAt(base32Decode(secret)!, Math.floor(seconds / 30))).toBe(code);
    expect(verifyTotp(secret, code, new Date(seconds * 1000))).toBe(true);
  });

  it('accepts one step of clock skew and no more', () => {
    const at = new Date(1111111109 * 1000);
    expect(verifyTotp(secret, '081804', new Date(at.getTime() + 30_000))).toBe(true);
    expect(verifyTotp(secret, '081804', new Date(at.getTime() + 90_000))).toBe(false);
    expect(verifyTotp('not base32!', '081804', at)).toBe(false);
  });
});

describe.each<StoreKind>(['redis', 'postgres'])('admin refunds on %s', (kind) => {
  let data: DataLayer;
  let api: ReturnType<typeof apiDeps>;
  const secret = 'JBSWY3DPEHPK3PXP';
  let adminEmail: string;

  beforeAll(async () => {
    const prefix = `${redis.prefix}${kind}:`;
    data = dataLayerFor(kind, pg, redis, prefix);
    api = apiDeps(data, redis, prefix);
    adminEmail = `owner.${short()}@desertcandleworks.com`;
    await data.admin.create({
      email: adminEmail,
      passwordHash: await bcryptHash('a long admin passphrase', 4),
      twoFactorSecret: secret,
      twoFactorBackupCodes: ['BACKUP12'],
      role: 'super_admin',
    });
  });

  const code = () => totpAt(base32Decode(secret)!, Math.floor(Date.now() / 30_000));

  async function loggedInAdmin(): Promise<ApiClient> {
    const c = new ApiClient(api.app, nextIp());
    const res = await c.call('POST', '/api/admin/login', {
      email: adminEmail,
      password: 'a long admin passphrase',
      code: code(),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return c;
  }

  it('needs the password and a valid code; a backup code works once', async () => {
    const c = new ApiClient(api.app, nextIp());
    const login = (password: string, code: string) =>
      c.call('POST', '/api/admin/login', { email: adminEmail, password, code });
    expect((await login('wrong passphrase!!', code())).status).toBe(401);
    expect((await login('a long admin passphrase', '000000')).status).toBe(401);
    expect((await login('a long admin passphrase', 'backup12')).status).toBe(200);
    expect(
      (
        await new ApiClient(api.app, nextIp()).call('POST', '/api/admin/login', {
          email: adminEmail,
          password: 'a long admin passphrase',
          code: 'BACKUP12',
        })
      ).status,
    ).toBe(401);
    const logs = await data.admin.listLogs({ limit: 10 });
    expect(
      logs.some(
        (l) =>
          l.action === 'login' && l.success && l.adminEmail === adminEmail && /^203\.0\.113\./.test(l.ip),
      ),
    ).toBe(true);
  });

  it('refunds a completed order (stock back, points taken) and refuses an unknown order or reason', async () => {
    const product = await data.products.upsert({
      slug: `candle-${short()}`,
      name: 'Desert Sage',
      priceCents: 3000,
      sku: 'DCW-0202',
      stock: 4,
    });
    const customer = new ApiClient(api.app, nextIp());
    const reg = await customer.call('POST', '/api/auth/register', {
      email: `buyer.${short()}@example.com`,
      password: 'buyer password',
      firstName: 'B',
      lastName: 'Uyer',
    });
    expect(reg.status).toBe(201);
    const placed = await customer.call('POST', '/api/checkout', {
      lines: [{ slug: product.slug, quantity: 2 }],
    });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body.order.status).toBe('completed');
    const earned = placed.body.order.pointsEarned as number;
    expect(earned).toBeGreaterThan(0);
    expect((await data.products.get(product.slug))?.stock).toBe(2);

    const refundBody = {
      orderId: placed.body.order.id,
      reason: 'damaged_product',
      reasonNote: 'cracked jar',
    };
    expect((await customer.call('POST', '/api/admin/refunds', refundBody)).status).toBe(401);

    const admin = await loggedInAdmin();
    const res = await admin.call('POST', '/api/admin/refunds', refundBody);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.refund).toMatchObject({
      orderId: placed.body.order.id,
      status: 'completed',
      amountCents: 6000,
    });
    expect(res.body.pointsDeducted).toBe(earned);
    expect((await data.products.get(product.slug))?.stock).toBe(4);
    expect((await customer.call('GET', '/api/me')).body.user.points).toBe(0);

    const missing = await admin.call('POST', '/api/admin/refunds', {
      orderId: 'cs_test_nope',
      reason: 'other',
    });
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toContain('cs_test_nope');
    const badReason = await admin.call('POST', '/api/admin/refunds', {
      orderId: placed.body.order.id,
      reason: 'because',
    });
    expect(badReason.status).toBe(400);
  });
});
