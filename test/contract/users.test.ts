import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from '../../src/domain/errors.js';
import type { NewUser, User } from '../../src/domain/user.js';
import { bcryptHash, legacyUser, newUser, uniq } from './fixtures/accounts.js';
import { rawFor, runContract } from './harness.js';
import { pointsRaw } from './raw/points.js';
import { usersRaw } from './raw/users.js';

runContract('users', (ctx) => {
  const repo = () => ctx().layer.users;
  const raw = () => rawFor(ctx(), usersRaw);

  describe('create and read', () => {
    it('normalises the e-mail, fills the defaults and stores exactly what it returns', async () => {
      const before = Date.now();
      const tag = uniq();
      const u = await repo().create(newUser({ email: `  Jane.${tag}@Example.COM ` }));
      expect(u.email).toBe(`jane.${tag}@example.com`);
      expect(u.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(u).toMatchObject({ points: 0, emailVerified: false, firstName: 'Jane', lastName: 'Doe' });
      expect(Date.parse(u.createdAt)).toBeGreaterThanOrEqual(before - 1000);
      expect(u.updatedAt).toBe(u.createdAt);
      expect(await raw().user(u.id)).toEqual(u);
      expect(await raw().emailOwner(u.email)).toBe(u.id);
      expect(await raw().listed(u.id)).toBe(true);
      expect(await raw().bookkeepingOk(u.id)).toBe(true);
      expect(await repo().getById(u.id)).toEqual(u);
      expect(await repo().getByEmail(`JANE.${tag}@example.com  `)).toEqual(u);
    });

    it('not found is null', async () => {
      expect(await repo().getById(randomUUID())).toBeNull();
      expect(await repo().getByEmail(`nobody.${uniq()}@example.com`)).toBeNull();
      expect(await repo().getByEmail('')).toBeNull();
    });

    it('refuses a second account for the same e-mail, whatever its case, and writes nothing', async () => {
      const first = await repo().create(newUser());
      const second = newUser({ email: ` ${first.email.toUpperCase()}`, firstName: 'Other' });
      await expect(repo().create(second)).rejects.toBeInstanceOf(ConflictError);
      expect(await raw().emailOwner(first.email)).toBe(first.id);
      expect(await repo().getByEmail(first.email)).toEqual(first);
      const page = await repo().list({ limit: 1000 });
      expect(page.users.filter((u) => u.email === first.email)).toHaveLength(1);
    });

    it('reads legacy records as they are (negative balance, unknown keys)', async () => {
      const legacy = legacyUser();
      await raw().seed(legacy);
      expect(await repo().getById(legacy.id)).toEqual(legacy);
      expect(await repo().getByEmail(legacy.email)).toEqual(legacy);
    });
  });

  describe('bad input', () => {
    const badEmails = [
      'no-at-sign.example.com',
      'two@@example.com',
      'semi;colon@example.com',
      '.dot-first@example.com',
      'dot-last.@example.com',
      'double..dot@example.com',
      'user@example',
      `${'x'.repeat(65)}@example.com`,
      `a@${'b'.repeat(250)}.com`,
      '',
    ];
    it.each(badEmails)('refuses the e-mail %j and writes nothing', async (email) => {
      const err = await repo()
        .create(newUser({ email }))
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).field).toBe('email');
      const normalised = email.toLowerCase().trim();
      if (normalised !== '') expect(await raw().emailOwner(normalised)).toBeNull();
    });

    it.each([
      ['passwordHash', { passwordHash: 'hunter2' }],
      ['passwordHash', { passwordHash: `$2b$12$${'a'.repeat(52)}` }],
      ['firstName', { firstName: '   ' }],
      ['lastName', { lastName: 'x'.repeat(101) }],
      ['firstName', { firstName: 42 as unknown as string }],
    ])('refuses a bad %s and writes nothing', async (field, over) => {
      const input = newUser(over as Partial<NewUser>);
      const err = await repo()
        .create(input)
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).field).toBe(field);
      expect(await raw().emailOwner(input.email)).toBeNull();
      expect(await repo().getByEmail(input.email)).toBeNull();
    });

    it('refuses malformed ids', async () => {
      await expect(repo().getById('')).rejects.toBeInstanceOf(ValidationError);
      await expect(repo().getById('user:email:x')).rejects.toBeInstanceOf(ValidationError);
      await expect(repo().list({ limit: 0 })).rejects.toBeInstanceOf(ValidationError);
      await expect(repo().list({ limit: 1001 })).rejects.toBeInstanceOf(ValidationError);
    });
  });

  describe('updates', () => {
    it('updates the profile, keeping other fields and unknown legacy keys', async () => {
      const legacy = legacyUser();
      await raw().seed(legacy);
      const u = await repo().updateProfile(legacy.id, { firstName: 'New' });
      expect(u).toEqual({ ...legacy, firstName: 'New', updatedAt: u.updatedAt });
      expect(Date.parse(u.updatedAt)).toBeGreaterThan(Date.parse(legacy.updatedAt));
      expect(await raw().user(legacy.id)).toEqual(u);
      expect(await raw().bookkeepingOk(legacy.id)).toBe(true);
      const both = await repo().updateProfile(legacy.id, { firstName: 'A', lastName: 'B' });
      expect(both).toMatchObject({ firstName: 'A', lastName: 'B', extra: { marketingOptIn: true } });
    });

    it('replaces the password hash and verifies the e-mail', async () => {
      const u = await repo().create(newUser());
      const hash = bcryptHash(10);
      const changed = await repo().updatePasswordHash(u.id, hash);
      expect(changed).toEqual({ ...u, passwordHash: hash, updatedAt: changed.updatedAt });
      const verified = await repo().verifyEmail(u.id);
      expect(verified).toEqual({ ...changed, emailVerified: true, updatedAt: verified.updatedAt });
      expect(await raw().user(u.id)).toEqual(verified);
      expect(await raw().bookkeepingOk(u.id)).toBe(true);
    });

    it('refuses bad updates and updates of missing users, writing nothing', async () => {
      const u = await repo().create(newUser());
      await expect(repo().updateProfile(u.id, {})).rejects.toBeInstanceOf(ValidationError);
      await expect(repo().updateProfile(u.id, { lastName: '' })).rejects.toBeInstanceOf(ValidationError);
      await expect(repo().updatePasswordHash(u.id, 'plain-text')).rejects.toBeInstanceOf(ValidationError);
      expect(await raw().user(u.id)).toEqual(u);
      const missing = randomUUID();
      await expect(repo().updateProfile(missing, { firstName: 'X' })).rejects.toBeInstanceOf(NotFoundError);
      await expect(repo().updatePasswordHash(missing, bcryptHash())).rejects.toBeInstanceOf(NotFoundError);
      await expect(repo().verifyEmail(missing)).rejects.toBeInstanceOf(NotFoundError);
      expect(await raw().user(missing)).toBeNull();
    });
  });

  describe('delete', () => {
    it('removes the account and frees its e-mail but keeps its ledger with the dangling userId', async () => {
      const u = await repo().create(newUser());
      const earned = await ctx().layer.points.earn(
        u.id,
        25,
        'Purchase #cs_live_',
        'cs_live_deleted_user_order',
      );
      expect(await repo().delete(u.id)).toBe(true);
      expect(await repo().getById(u.id)).toBeNull();
      expect(await repo().getByEmail(u.email)).toBeNull();
      expect(await raw().user(u.id)).toBeNull();
      expect(await raw().emailOwner(u.email)).toBeNull();
      expect(await raw().listed(u.id)).toBe(false);
      // The ledger survives (§7.8) and still names the deleted user.
      const points = rawFor(ctx(), pointsRaw);
      expect(await points.transaction(earned.transaction.id)).toEqual(earned.transaction);
      expect(await points.userRefResolves(earned.transaction.id)).toBe(false);
      expect(await ctx().layer.points.history(u.id)).toEqual([earned.transaction]);
      // The e-mail can register again, as a new account.
      const again = await repo().create(newUser({ email: u.email }));
      expect(again.id).not.toBe(u.id);
      expect(again.points).toBe(0);
      expect(await repo().delete(u.id)).toBe(false);
    });

    it('delete of a missing user is false', async () => {
      expect(await repo().delete(randomUUID())).toBe(false);
    });
  });

  describe('list', () => {
    it('pages through every user in id order without gaps or repeats', async () => {
      const created = await Promise.all([1, 2, 3, 4, 5].map(() => repo().create(newUser())));
      const seen: User[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 1000; pages++) {
        const page = await repo().list({ limit: 2, ...(cursor === undefined ? {} : { cursor }) });
        expect(page.users.length).toBeLessThanOrEqual(2);
        seen.push(...page.users);
        if (page.nextCursor === null) break;
        expect(page.nextCursor).toBe(page.users.at(-1)?.id);
        cursor = page.nextCursor;
      }
      const ids = seen.map((u) => u.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual(ids);
      for (const u of created) expect(seen).toContainEqual(u);
      const all = await repo().list({ limit: 1000 });
      expect(all.users.map((u) => u.id)).toEqual(ids);
      expect(all.nextCursor).toBeNull();
    });

    it('a cursor past the last id gives an empty last page', async () => {
      expect(await repo().list({ cursor: '~' })).toEqual({ users: [], nextCursor: null });
    });
  });
});
