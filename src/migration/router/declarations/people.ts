/**
 * Declarations of the account domains: users, points, tokens, admin and webhook claims. Keys name
 * sync-layer entities (src/migration/entities); tokens are keyed by their digest, as Postgres keeps them.
 */
import { tokenDigest } from '../../../backends/postgres/mappers/tokens.js';
import type { DataLayer } from '../../../domain/data-layer.js';
import { LEGACY_TWO_FACTOR_ID } from '../../entities/singletons.js';
import { type DeclTree, ledger, primaryOnly, read, rec, recs, type TouchedKey, write } from '../declare.js';

const user = (id: string | null | undefined) => rec('users', id);
const token = (entity: string, raw: string | null | undefined): TouchedKey[] =>
  raw ? [{ entity, id: tokenDigest(raw), token: raw }] : [];

export const usersDecls: DeclTree<DataLayer['users']> = {
  create: write({ keys: (_a, u) => user(u.id) }),
  getById: read({ keys: ([id]) => user(id), resultKeys: (u) => user(u?.id) }),
  getByEmail: read({ resultKeys: (u) => user(u?.id) }),
  updateProfile: write({ preKeys: ([id]) => user(id), keys: ([id]) => user(id) }),
  updatePasswordHash: write({ preKeys: ([id]) => user(id), keys: ([id]) => user(id) }),
  verifyEmail: write({ preKeys: ([id]) => user(id), keys: ([id]) => user(id) }),
  delete: write({ preKeys: ([id]) => user(id), keys: ([id]) => user(id) }),
  list: read({
    resultKeys: (page) =>
      recs(
        'users',
        page.users.map((u) => u.id),
      ),
  }),
};

// The balance lives in the user record (legacy §4.1), so every points change touches users too.
const pointsChange = write<DataLayer['points']['earn']>({
  touches: ['users'],
  preKeys: ([userId]) => user(userId),
  keys: ([userId], change) => [...user(userId), ...rec('points_transactions', change.transaction.id)],
});

export const pointsDecls: DeclTree<DataLayer['points']> = {
  earn: pointsChange,
  redeem: pointsChange as DeclTree<DataLayer['points']>['redeem'],
  deduct: pointsChange as DeclTree<DataLayer['points']>['deduct'],
  // The ledger collection: a write that appended to it (a checkout's points) names it, not the entries.
  history: read({
    keys: ([userId]) => ledger(userId),
    resultKeys: (txs) =>
      recs(
        'points_transactions',
        txs.map((t) => t.id),
      ),
  }),
  balance: read({ touches: ['users'], keys: ([userId]) => user(userId), notFound: (b) => b === null }),
};

const RESET = 'password_reset_tokens';
const VERIFY = 'email_verification_tokens';
const INVOICE = 'invoice_access_tokens';

export const tokensDecls: DeclTree<DataLayer['tokens']> = {
  passwordReset: {
    // The user's previous token is invalidated too: it is looked up first, so the shadow loses it.
    create: write({
      before: ([userId], ctx) => ctx.lookups.resetTokensOf(ctx.store, userId),
      keys: (_a, t) => token(RESET, t.token),
    }),
    get: read({ keys: ([t]) => token(RESET, t) }),
    resetPassword: write({
      touches: ['users'],
      preKeys: ([t]) => token(RESET, t),
      keys: ([t], u) => [...token(RESET, t), ...user(u?.id)],
    }),
  },
  emailVerification: {
    create: write({ keys: (_a, t) => token(VERIFY, t.token) }),
    get: read({ keys: ([t]) => token(VERIFY, t) }),
    verify: write({
      touches: ['users'],
      preKeys: ([t]) => token(VERIFY, t),
      keys: ([t], u) => [...token(VERIFY, t), ...user(u?.id)],
    }),
  },
  invoice: {
    create: write({ keys: (_a, t) => token(INVOICE, t.token) }),
    get: read({ keys: ([t]) => token(INVOICE, t) }),
  },
};

const admin = (id: string | null | undefined) => rec('admin_users', id);
const ADMIN_LOG: TouchedKey[] = [{ collection: 'adminLogs', id: 'admin:logs' }];
const adminWrite = write<(id: string) => Promise<unknown>>({
  preKeys: ([id]) => admin(id),
  keys: ([id]) => admin(id),
});

export const adminDecls: DeclTree<DataLayer['admin']> = {
  create: write({ keys: (_a, a) => admin(a.id) }),
  get: read({ keys: ([id]) => admin(id), resultKeys: (a) => admin(a?.id) }),
  getByEmail: read({ resultKeys: (a) => admin(a?.id) }),
  list: read({
    resultKeys: (all) =>
      recs(
        'admin_users',
        all.map((a) => a.id),
      ),
  }),
  updateLastLogin: adminWrite as DeclTree<DataLayer['admin']>['updateLastLogin'],
  deactivate: adminWrite as DeclTree<DataLayer['admin']>['deactivate'],
  reactivate: adminWrite as DeclTree<DataLayer['admin']>['reactivate'],
  changePasswordHash: adminWrite as DeclTree<DataLayer['admin']>['changePasswordHash'],
  useBackupCode: adminWrite as DeclTree<DataLayer['admin']>['useBackupCode'],
  regenerateTwoFactor: adminWrite as DeclTree<DataLayer['admin']>['regenerateTwoFactor'],
  delete: adminWrite as DeclTree<DataLayer['admin']>['delete'],
  // Log entries have no id: the newest entries of the two stores are compared and the missing ones appended.
  appendLog: write({ keys: () => ADMIN_LOG }),
  listLogs: read({ keys: () => ADMIN_LOG }),
  getLegacyTwoFactor: read({ keys: () => rec('admin_legacy_two_factor', LEGACY_TWO_FACTOR_ID) }),
};

// A claim's lease and fence live in one store; splitting them over two would let two workers run.
export const webhookEventsDecls: DeclTree<DataLayer['webhookEvents']> = {
  claim: primaryOnly,
  markDone: primaryOnly,
  release: primaryOnly,
  isProcessed: primaryOnly,
};
