/**
 * Concurrency of users, tokens and admin data on real servers, over several connections: one e-mail
 * gets one account, a token or backup code works once, and concurrent writers of one user record never
 * lose each other's changes (the store's profile/points read-modify-writes did, §7.3).
 */
import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../src/domain/errors.js';
import { bcryptHash, newUser, uniq } from './fixtures/accounts.js';
import { outcomes, together, useLayers } from './fixtures/concurrency.js';
import { rawFor, runContract, selectedTargets } from './harness.js';
import { adminRaw } from './raw/admin.js';
import { pointsRaw } from './raw/points.js';
import { usersRaw } from './raw/users.js';

const targets = selectedTargets().filter((t) => t === 'redis' || t === 'postgres');
const CODES = [
  'AAAA0001',
  'AAAA0002',
  'AAAA0003',
  'AAAA0004',
  'AAAA0005',
  'AAAA0006',
  'AAAA0007',
  'AAAA0008',
];

runContract(
  'accounts races',
  (ctx) => {
    const layers = useLayers(ctx);
    const admin = () =>
      ctx().layer.admin.create({
        email: `ops.${uniq()}@desertcandleworks.com`,
        passwordHash: bcryptHash(),
        twoFactorSecret: 'JBSWY3DPEHPK3PXP',
        twoFactorBackupCodes: [...CODES],
        role: 'admin',
      });

    describe('users', () => {
      it('20 concurrent sign-ups with one e-mail create exactly one account', async () => {
        const email = `race.${uniq()}@example.com`;
        const settled = await together(layers(), 20, (l, i) =>
          l.users.create(newUser({ email: i % 2 ? email.toUpperCase() : email, firstName: `N${i}` })),
        );
        const { ok, errors } = outcomes(settled);
        expect(ok).toHaveLength(1);
        for (const e of errors) expect(e).toBeInstanceOf(ConflictError);
        const raw = rawFor(ctx(), usersRaw);
        expect(await raw.emailOwner(email)).toBe(ok[0]?.id);
        expect(await raw.user(ok[0]!.id)).toEqual(ok[0]);
      });

      it('profile edits, password changes and points changes on one user lose nothing', async () => {
        const u = await ctx().layer.users.create(newUser());
        const hash = bcryptHash(10);
        await together<unknown>(layers(), 60, (l, i) =>
          i % 3 === 0
            ? l.points.earn(u.id, 5, 'Purchase #cs_live_')
            : i % 3 === 1
              ? l.users.updateProfile(u.id, { lastName: 'Final' })
              : l.users.updatePasswordHash(u.id, hash),
        ).then((s) => expect(outcomes(s).errors).toEqual([]));
        const stored = await rawFor(ctx(), usersRaw).user(u.id);
        expect(stored).toMatchObject({ points: 100, lastName: 'Final', passwordHash: hash });
        const ledger = await rawFor(ctx(), pointsRaw).ledger(u.id);
        expect(ledger).toHaveLength(20);
      });
    });

    describe('tokens', () => {
      it('a reset token used 10 times at once resets the password exactly once', async () => {
        const u = await ctx().layer.users.create(newUser());
        const t = await ctx().layer.tokens.passwordReset.create(u.id);
        const hashes = Array.from({ length: 10 }, () => bcryptHash());
        const { ok, errors } = outcomes(
          await together(layers(), 10, (l, i) => l.tokens.passwordReset.resetPassword(t.token, hashes[i]!)),
        );
        expect(errors).toEqual([]);
        const winners = ok.filter((x) => x !== null);
        expect(winners).toHaveLength(1);
        expect((await ctx().layer.users.getById(u.id))?.passwordHash).toBe(winners[0]?.passwordHash);
      });

      it('a verification token used 10 times at once verifies exactly once', async () => {
        const u = await ctx().layer.users.create(newUser());
        const t = await ctx().layer.tokens.emailVerification.create(u.id);
        const { ok } = outcomes(
          await together(layers(), 10, (l) => l.tokens.emailVerification.verify(t.token)),
        );
        expect(ok.filter((x) => x !== null)).toHaveLength(1);
        expect((await ctx().layer.users.getById(u.id))?.emailVerified).toBe(true);
      });
    });

    describe('admin', () => {
      it('one backup code tried 10 times at once is accepted once; different codes all succeed', async () => {
        const a = await admin();
        const same = outcomes(await together(layers(), 10, (l) => l.admin.useBackupCode(a.id, CODES[0]!)));
        expect(same.ok.filter(Boolean)).toHaveLength(1);
        const rest = CODES.slice(1);
        const each = outcomes(
          await together(layers(), rest.length, (l, i) => l.admin.useBackupCode(a.id, rest[i]!)),
        );
        expect(each.ok).toEqual(rest.map(() => true));
        expect((await rawFor(ctx(), adminRaw).admin(a.id))?.twoFactorBackupCodes).toEqual([]);
      });

      it('concurrent admin creates with one e-mail: exactly one where the store guarantees it (capability)', async () => {
        const email = `race.${uniq()}@desertcandleworks.com`;
        const settled = await together(layers(), 10, (l) =>
          l.admin.create({
            email,
            passwordHash: bcryptHash(),
            twoFactorSecret: 'JBSWY3DPEHPK3PXP',
            twoFactorBackupCodes: [],
            role: 'admin',
          }),
        );
        const { ok, errors } = outcomes(settled);
        for (const e of errors) expect(e).toBeInstanceOf(ConflictError);
        if (ctx().capabilities.uniqueAdminEmailUnderConcurrency) expect(ok).toHaveLength(1);
        else expect(ok.length).toBeGreaterThanOrEqual(1);
        const afterwards = await ctx()
          .layer.admin.create({
            email,
            passwordHash: bcryptHash(),
            twoFactorSecret: 'JBSWY3DPEHPK3PXP',
            twoFactorBackupCodes: [],
            role: 'admin',
          })
          .catch((e: unknown) => e);
        expect(afterwards).toBeInstanceOf(ConflictError);
      });
    });
  },
  targets,
);
