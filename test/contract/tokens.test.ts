import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../../src/domain/errors.js';
import type { InvoiceAccessToken, UserToken } from '../../src/domain/tokens.js';
import { bcryptHash, newUser } from './fixtures/accounts.js';
import { rawFor, runContract } from './harness.js';
import { tokensRaw } from './raw/tokens.js';
import { usersRaw } from './raw/users.js';

const HOUR = 3600;
const digest = (token: string) => createHash('sha256').update(token).digest('hex');
const hexToken = () => randomBytes(32).toString('hex');
const canonical = <T extends { token: string }>(r: T): T => ({ ...r, token: digest(r.token) });
const expectKeptFor = (seconds: number, expected: number) => {
  expect(seconds).toBeGreaterThan(expected - 60);
  expect(seconds).toBeLessThanOrEqual(expected + 1);
};

runContract('tokens', (ctx) => {
  const tokens = () => ctx().layer.tokens;
  const users = () => ctx().layer.users;
  const raw = () => rawFor(ctx(), tokensRaw);
  const rawUsers = () => rawFor(ctx(), usersRaw);

  /** A token as the store left it after its `expiresAt` passed but before its key expired (§8.22). */
  const expiredUserToken = (userId: string, email: string): UserToken => ({
    token: hexToken(),
    userId,
    email,
    expiresAt: new Date(Date.now() - 60_000).toISOString(),
    createdAt: new Date(Date.now() - HOUR * 1000 - 60_000).toISOString(),
  });

  describe('password reset', () => {
    it('issues a 64-hex token for one hour, with the user e-mail, and records it as the latest', async () => {
      const u = await users().create(newUser());
      const before = Date.now();
      const t = await tokens().passwordReset.create(u.id);
      expect(t.token).toMatch(/^[0-9a-f]{64}$/);
      expect(t).toMatchObject({ userId: u.id, email: u.email });
      expect(Date.parse(t.createdAt)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(t.expiresAt) - Date.parse(t.createdAt)).toBe(HOUR * 1000);
      expect(await tokens().passwordReset.get(t.token)).toEqual(t);
      const stored = await raw().userToken('passwordReset', t.token);
      expect(stored?.record).toEqual(canonical(t));
      expect(stored?.bookkeepingOk).toBe(true);
      expectKeptFor(stored!.keptForSeconds, HOUR);
      expect(await raw().latestResetDigest(u.id)).toBe(digest(t.token));
    });

    it('a new token replaces the previous one', async () => {
      const u = await users().create(newUser());
      const first = await tokens().passwordReset.create(u.id);
      const second = await tokens().passwordReset.create(u.id);
      expect(await tokens().passwordReset.get(first.token)).toBeNull();
      expect(await raw().userToken('passwordReset', first.token)).toBeNull();
      expect(await tokens().passwordReset.get(second.token)).toEqual(second);
      expect(await raw().latestResetDigest(u.id)).toBe(digest(second.token));
      expect(await tokens().passwordReset.resetPassword(first.token, bcryptHash())).toBeNull();
    });

    it('only the newest reset token is valid, even while an older one is still stored', async () => {
      const u = await users().create(newUser());
      const at = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();
      const base = { userId: u.id, email: u.email };
      const older: UserToken = {
        ...base,
        token: hexToken(),
        createdAt: at(2000),
        expiresAt: at(2000 - HOUR * 1000),
      };
      const newer: UserToken = {
        ...base,
        token: hexToken(),
        createdAt: at(1000),
        expiresAt: at(1000 - HOUR * 1000),
      };
      await raw().seed('passwordReset', older);
      await raw().seed('passwordReset', newer);
      expect(await tokens().passwordReset.get(older.token)).toBeNull();
      expect(await tokens().passwordReset.get(newer.token)).toEqual(newer);
      expect(await tokens().passwordReset.resetPassword(older.token, bcryptHash())).toBeNull();
      expect(await raw().userToken('passwordReset', older.token)).toBeNull();
      expect(await rawUsers().user(u.id)).toEqual(u);
      const hash = bcryptHash();
      expect((await tokens().passwordReset.resetPassword(newer.token, hash))?.passwordHash).toBe(hash);
    });

    it('resets the password once: token gone, hash changed; a second use is null', async () => {
      const u = await users().create(newUser());
      const t = await tokens().passwordReset.create(u.id);
      const hash = bcryptHash(10);
      const changed = await tokens().passwordReset.resetPassword(t.token, hash);
      expect(changed).toEqual({ ...u, passwordHash: hash, updatedAt: changed?.updatedAt });
      expect(await rawUsers().user(u.id)).toEqual(changed);
      expect(await raw().userToken('passwordReset', t.token)).toBeNull();
      expect(await tokens().passwordReset.get(t.token)).toBeNull();
      expect(await tokens().passwordReset.resetPassword(t.token, bcryptHash())).toBeNull();
      expect((await users().getById(u.id))?.passwordHash).toBe(hash);
    });

    it('an expired token reads as absent and is removed when used, changing nothing', async () => {
      const u = await users().create(newUser());
      const old = expiredUserToken(u.id, u.email);
      await raw().seed('passwordReset', old);
      expect(await raw().userToken('passwordReset', old.token)).not.toBeNull();
      expect(await tokens().passwordReset.get(old.token)).toBeNull();
      expect(await tokens().passwordReset.resetPassword(old.token, bcryptHash())).toBeNull();
      expect(await raw().userToken('passwordReset', old.token)).toBeNull();
      expect(await rawUsers().user(u.id)).toEqual(u);
    });

    it('a token whose user was deleted is used up and gives null', async () => {
      const u = await users().create(newUser());
      const t = await tokens().passwordReset.create(u.id);
      await users().delete(u.id);
      expect(await tokens().passwordReset.resetPassword(t.token, bcryptHash())).toBeNull();
      expect(await raw().userToken('passwordReset', t.token)).toBeNull();
      expect(await rawUsers().user(u.id)).toBeNull();
    });

    it('bad input: unknown user, malformed id, non-bcrypt hash (token kept), malformed token', async () => {
      await expect(tokens().passwordReset.create(randomUUID())).rejects.toBeInstanceOf(NotFoundError);
      await expect(tokens().passwordReset.create('')).rejects.toBeInstanceOf(ValidationError);
      const u = await users().create(newUser());
      const t = await tokens().passwordReset.create(u.id);
      await expect(tokens().passwordReset.resetPassword(t.token, 'new password')).rejects.toBeInstanceOf(
        ValidationError,
      );
      expect(await tokens().passwordReset.get(t.token)).toEqual(t);
      expect(await rawUsers().user(u.id)).toEqual(u);
      expect(await tokens().passwordReset.get('not-a-token')).toBeNull();
      expect(await tokens().passwordReset.get(t.token.toUpperCase())).toBeNull();
      expect(await tokens().passwordReset.resetPassword('../../etc', bcryptHash())).toBeNull();
    });
  });

  describe('e-mail verification', () => {
    it('issues several 24-hour tokens; verifying one marks the user verified and uses only that one', async () => {
      const u = await users().create(newUser());
      const a = await tokens().emailVerification.create(u.id);
      const b = await tokens().emailVerification.create(u.id);
      expect(a.token).not.toBe(b.token);
      expect(Date.parse(a.expiresAt) - Date.parse(a.createdAt)).toBe(24 * HOUR * 1000);
      const stored = await raw().userToken('emailVerify', a.token);
      expect(stored?.record).toEqual(canonical(a));
      expect(stored?.bookkeepingOk).toBe(true);
      expectKeptFor(stored!.keptForSeconds, 24 * HOUR);

      const verified = await tokens().emailVerification.verify(a.token);
      expect(verified).toEqual({ ...u, emailVerified: true, updatedAt: verified?.updatedAt });
      expect(await rawUsers().user(u.id)).toEqual(verified);
      expect(await raw().userToken('emailVerify', a.token)).toBeNull();
      expect(await tokens().emailVerification.verify(a.token)).toBeNull();
      expect(await tokens().emailVerification.get(b.token)).toEqual(b);
    });

    it('an expired token does not verify and is removed', async () => {
      const u = await users().create(newUser());
      const old = expiredUserToken(u.id, u.email);
      await raw().seed('emailVerify', old);
      expect(await tokens().emailVerification.get(old.token)).toBeNull();
      expect(await tokens().emailVerification.verify(old.token)).toBeNull();
      expect(await raw().userToken('emailVerify', old.token)).toBeNull();
      expect((await rawUsers().user(u.id))?.emailVerified).toBe(false);
    });

    it('reads a legacy token with unknown keys', async () => {
      const u = await users().create(newUser());
      const legacy: UserToken = {
        token: hexToken(),
        userId: u.id,
        email: u.email,
        expiresAt: new Date(Date.now() + HOUR * 1000).toISOString(),
        createdAt: new Date().toISOString(),
        extra: { source: 'register' },
      };
      await raw().seed('emailVerify', legacy);
      expect(await tokens().emailVerification.get(legacy.token)).toEqual(legacy);
      await expect(tokens().emailVerification.create(randomUUID())).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe('invoice tokens', () => {
    it('issues a 30-day token for an order, keeping the order e-mail as given', async () => {
      const orderId = `cs_live_${randomUUID().replaceAll('-', '')}`;
      const t = await tokens().invoice.create(orderId, 'Guest.Buyer@Example.com');
      expect(t).toMatchObject({ orderId, email: 'Guest.Buyer@Example.com' });
      expect(Date.parse(t.expiresAt) - Date.parse(t.createdAt)).toBe(30 * 24 * HOUR * 1000);
      expect(await tokens().invoice.get(t.token)).toEqual(t);
      const stored = await raw().invoice(t.token);
      expect(stored?.record).toEqual(canonical(t));
      expect(stored?.bookkeepingOk).toBe(true);
      expectKeptFor(stored!.keptForSeconds, 30 * 24 * HOUR);
    });

    it('an expired invoice token is absent', async () => {
      const old: InvoiceAccessToken = {
        token: hexToken(),
        orderId: 'MS0123456789ABCDEF0123456789ABCDEF',
        email: 'manual-sale@admin.local',
        expiresAt: new Date(Date.now() - 1000).toISOString(),
        createdAt: new Date(Date.now() - 30 * 24 * HOUR * 1000).toISOString(),
      };
      await raw().seed('invoice', old);
      expect(await tokens().invoice.get(old.token)).toBeNull();
      expect(await tokens().invoice.get(hexToken())).toBeNull();
    });

    it.each([
      ['orderId', '', 'a@b.co'],
      ['orderId', 'order:with:colon', 'a@b.co'],
      ['orderId', 'x'.repeat(256), 'a@b.co'],
      ['email', 'cs_test_1', ''],
      ['email', 'cs_test_1', `${'e'.repeat(250)}@b.co`],
    ])('refuses a bad %s', async (field, orderId, email) => {
      const err = await tokens()
        .invoice.create(orderId, email)
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).field).toBe(field);
    });
  });
});
