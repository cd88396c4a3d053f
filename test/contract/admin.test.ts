import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AdminLogEntry, AdminUser, NewAdminUser } from '../../src/domain/admin.js';
import { ConflictError, NotFoundError, ValidationError } from '../../src/domain/errors.js';
import { bcryptHash, uniq } from './fixtures/accounts.js';
import { rawFor, runContract } from './harness.js';
import { adminRaw } from './raw/admin.js';

const CODES = [
  'A1B2C3D4',
  'E5F6G7H8',
  'J9K0L1M2',
  'N3P4Q5R6',
  'S7T8U9V0',
  'W1X2Y3Z4',
  'AB12CD34',
  'EF56GH78',
  'IJ90KL12',
  'MN34OP56',
];

function newAdmin(over: Partial<NewAdminUser> = {}): NewAdminUser {
  return {
    email: `ops.${uniq()}@desertcandleworks.com`,
    passwordHash: bcryptHash(),
    twoFactorSecret: 'JBSWY3DPEHPK3PXP',
    twoFactorBackupCodes: [...CODES],
    role: 'admin',
    ...over,
  };
}

runContract('admin', (ctx) => {
  const repo = () => ctx().layer.admin;
  const raw = () => rawFor(ctx(), adminRaw);

  describe('admin users', () => {
    it('creates an active admin with a lower-cased e-mail and stores exactly what it returns', async () => {
      const tag = uniq();
      const before = Date.now();
      const a = await repo().create(
        newAdmin({ email: `Owner.${tag}@DesertCandleWorks.com`, role: 'super_admin' }),
      );
      expect(a.email).toBe(`owner.${tag}@desertcandleworks.com`);
      expect(a).toMatchObject({ active: true, role: 'super_admin', twoFactorBackupCodes: CODES });
      expect(a).not.toHaveProperty('lastLoginAt');
      expect(Date.parse(a.createdAt)).toBeGreaterThanOrEqual(before - 1000);
      expect(await raw().admin(a.id)).toEqual(a);
      expect(await raw().listed(a.id)).toBe(true);
      expect(await raw().bookkeepingOk(a.id)).toBe(true);
      expect(await repo().get(a.id)).toEqual(a);
      expect(await repo().getByEmail(`OWNER.${tag}@desertcandleworks.COM`)).toEqual(a);
      expect(await repo().get(randomUUID())).toBeNull();
      expect(await repo().getByEmail(`nobody.${tag}@example.com`)).toBeNull();
    });

    it('lists oldest first', async () => {
      const made: AdminUser[] = [];
      for (let i = 0; i < 3; i++) made.push(await repo().create(newAdmin()));
      const list = await repo().list();
      const mine = list.filter((a) => made.some((m) => m.id === a.id));
      // Creation order, except that admins created in one millisecond are ordered by id.
      const order = (a: AdminUser) => `${a.createdAt}|${a.id}`;
      expect(mine).toEqual([...made].sort((a, b) => (order(a) < order(b) ? -1 : 1)));
      const keys = list.map(order);
      expect([...keys].sort()).toEqual(keys);
    });

    it('refuses a second admin with the same e-mail in another case, writing nothing', async () => {
      const a = await repo().create(newAdmin());
      const before = (await repo().list()).length;
      await expect(repo().create(newAdmin({ email: a.email.toUpperCase() }))).rejects.toBeInstanceOf(
        ConflictError,
      );
      expect(await repo().list()).toHaveLength(before);
    });

    it.each([
      ['role', { role: 'owner' as NewAdminUser['role'] }],
      ['email', { email: 'not-an-email' }],
      ['passwordHash', { passwordHash: 'correct horse battery staple' }],
      ['twoFactorSecret', { twoFactorSecret: 'lowercase-not-base32' }],
      ['twoFactorBackupCodes[1]', { twoFactorBackupCodes: ['ABC', 'toolong123'] }],
      ['twoFactorBackupCodes', { twoFactorBackupCodes: Array.from({ length: 21 }, () => 'ABC') }],
    ])('refuses a bad %s and writes nothing', async (field, over) => {
      const input = newAdmin(over);
      const before = (await repo().list()).length;
      const err = await repo()
        .create(input)
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).field).toBe(field);
      expect(await repo().list()).toHaveLength(before);
    });

    it('records logins, deactivates, reactivates, changes the password and regenerates 2FA', async () => {
      const a = await repo().create(newAdmin());
      const logged = await repo().updateLastLogin(a.id);
      expect(Date.parse(logged.lastLoginAt ?? '')).toBeGreaterThanOrEqual(Date.parse(a.createdAt));
      const off = await repo().deactivate(a.id);
      expect(off).toEqual({ ...logged, active: false });
      expect(await raw().admin(a.id)).toEqual(off);
      expect(await repo().reactivate(a.id)).toEqual(logged);
      const hash = bcryptHash();
      expect(await repo().changePasswordHash(a.id, hash)).toEqual({ ...logged, passwordHash: hash });
      const regen = await repo().regenerateTwoFactor(a.id, 'KRSXG5CTMVRXEZLU', ['ZZ99']);
      expect(regen).toEqual({
        ...logged,
        passwordHash: hash,
        twoFactorSecret: 'KRSXG5CTMVRXEZLU',
        twoFactorBackupCodes: ['ZZ99'],
      });
      expect(await raw().admin(a.id)).toEqual(regen);
      expect(await raw().bookkeepingOk(a.id)).toBe(true);
      await expect(repo().regenerateTwoFactor(a.id, 'short', [])).rejects.toBeInstanceOf(ValidationError);
      await expect(repo().changePasswordHash(a.id, 'x')).rejects.toBeInstanceOf(ValidationError);
      expect(await raw().admin(a.id)).toEqual(regen);
    });

    it('updates of a missing admin are NotFoundError', async () => {
      const id = randomUUID();
      await expect(repo().updateLastLogin(id)).rejects.toBeInstanceOf(NotFoundError);
      await expect(repo().deactivate(id)).rejects.toBeInstanceOf(NotFoundError);
      await expect(repo().useBackupCode(id, 'A1B2C3D4')).rejects.toBeInstanceOf(NotFoundError);
      expect(await raw().admin(id)).toBeNull();
    });

    it('uses a backup code once, matching it case-insensitively', async () => {
      const a = await repo().create(newAdmin());
      expect(await repo().useBackupCode(a.id, ' e5f6g7h8 ')).toBe(true);
      expect(await repo().useBackupCode(a.id, 'E5F6G7H8')).toBe(false);
      expect(await repo().useBackupCode(a.id, 'NOPE')).toBe(false);
      expect(await repo().useBackupCode(a.id, '')).toBe(false);
      const stored = await raw().admin(a.id);
      expect(stored?.twoFactorBackupCodes).toEqual(CODES.filter((c) => c !== 'E5F6G7H8'));
    });

    it('deletes an admin and its index entry', async () => {
      const a = await repo().create(newAdmin());
      expect(await repo().delete(a.id)).toBe(true);
      expect(await repo().get(a.id)).toBeNull();
      expect(await raw().admin(a.id)).toBeNull();
      expect(await raw().listed(a.id)).toBe(false);
      expect(await repo().getByEmail(a.email)).toBeNull();
      expect(await repo().delete(a.id)).toBe(false);
    });
  });

  describe('admin logs', () => {
    it('appends entries and lists them newest first', async () => {
      const first = await repo().appendLog({
        action: 'login',
        adminEmail: 'admin',
        ip: '203.0.113.7, 10.0.0.1',
        userAgent: 'Mozilla/5.0',
        success: true,
      });
      const second = await repo().appendLog({
        action: 'product.update',
        ip: 'unknown',
        userAgent: '',
        details: { slug: 'titos-candle', changes: { price: [24.99, 26.99] } },
        success: false,
        timestamp: '2025-12-18T21:40:05.123Z',
      });
      expect(first.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(second).not.toHaveProperty('adminEmail');
      expect(await repo().listLogs({ limit: 2 })).toEqual([second, first]);
      expect(await raw().newestLogs(2)).toEqual([second, first]);
    });

    it('refuses a bad entry and writes nothing', async () => {
      const count = await raw().logCount();
      const good = { action: 'login', ip: '1.2.3.4', userAgent: 'ua', success: true };
      for (const bad of [
        { ...good, action: '' },
        { ...good, success: 'yes' as unknown as boolean },
        { ...good, details: ['not', 'an', 'object'] as unknown as Record<string, unknown> },
        { ...good, timestamp: '2025-12-18' },
        { ...good, userAgent: 'u'.repeat(1001) },
      ]) {
        await expect(repo().appendLog(bad)).rejects.toBeInstanceOf(ValidationError);
      }
      expect(await raw().logCount()).toBe(count);
      await expect(repo().listLogs({ limit: 0 })).rejects.toBeInstanceOf(ValidationError);
    });

    it('keeps the newest 1000 on a store that trims (capability adminLogsKept), listing never exceeds it', async () => {
      const before = await raw().logCount();
      const seeded = Array.from({ length: 998 }, (_, i) => ({
        timestamp: new Date(Date.UTC(2025, 11, 10) + i * 1000).toISOString(),
        action: `product.stock`,
        adminEmail: 'admin',
        ip: '10.0.0.1',
        userAgent: 'seed',
        details: { n: i },
        success: true,
      }));
      await raw().seedLogs(seeded);
      const appended: AdminLogEntry[] = [];
      for (let i = 0; i < 5; i++) {
        appended.push(
          await repo().appendLog({ action: `bulk.${i}`, ip: '1.1.1.1', userAgent: 'test', success: true }),
        );
      }
      const total = before + seeded.length + appended.length;
      const kept = ctx().capabilities.adminLogsKept;
      expect(total).toBeGreaterThan(1000);
      expect(await raw().logCount()).toBe(kept === null ? total : Math.min(kept, total));
      const listed = await repo().listLogs({ limit: 1000 });
      expect(listed).toHaveLength(1000);
      expect(listed.slice(0, 5)).toEqual([...appended].reverse());
      expect(listed.slice(5)).toEqual([...seeded].reverse().slice(0, 995));
    });
  });

  describe('legacy single-admin 2FA', () => {
    it('is null while absent and reads both keys once written', async () => {
      expect(await repo().getLegacyTwoFactor()).toBeNull();
      await raw().seedLegacyTwoFactor({ secret: 'JBSWY3DPEHPK3PXP', backupCodes: ['AAAA1111', 'BBBB2222'] });
      expect(await repo().getLegacyTwoFactor()).toEqual({
        secret: 'JBSWY3DPEHPK3PXP',
        backupCodes: ['AAAA1111', 'BBBB2222'],
      });
    });
  });
});
