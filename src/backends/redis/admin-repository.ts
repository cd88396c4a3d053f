/**
 * Admin data on the legacy keys (legacy-redis-format.md §2a #32–#37, §4.12): `admin:user:{id}` records
 * with the set `admin:users:index`, the capped list `admin:logs` (LPUSH + LTRIM 0 999) and the legacy
 * single-admin 2FA keys, which are only read. E-mail lookups scan the index as the store did; every
 * read-modify-write of an admin record is one unit of work, so a backup code is used at most once.
 */
import { randomUUID } from 'node:crypto';
import {
  checkId,
  checkLimit,
  checkPasswordHash,
  checkString,
  normalizeEmail,
} from '../../domain/account-rules.js';
import {
  checkAdminLogEntry,
  checkBackupCodes,
  checkNewAdmin,
  checkTwoFactorSecret,
} from '../../domain/admin-rules.js';
import type { AdminLogEntry, AdminRepository, AdminUser, LegacyTwoFactor } from '../../domain/admin.js';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import {
  admin2faBackupCodesValue,
  admin2faSecretValue,
  adminLogValue,
  adminUserValue,
} from '../../legacy/codecs/admin.js';
import { runUnitOfWork } from './atomic.js';
import type { RedisDeps } from './index.js';
import { decodeRaw, readInUnit, readValue, readValues } from './record-io.js';

/** The store keeps the newest 1000 log entries (`LTRIM 0 999`). */
export const ADMIN_LOG_CAP = 1000;

/** Oldest first, ties by id in code-unit order (the order `list` promises on both backends). */
export function compareAdmins(a: AdminUser, b: AdminUser): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function createRedisAdminRepository(deps: RedisDeps): AdminRepository {
  const { client, keys } = deps;

  /** Every admin record reachable from the index (ids without a record are skipped). */
  const all = async (): Promise<AdminUser[]> => {
    const ids = await client.sMembers(keys.adminUsersIndex());
    const records = await readValues(
      client,
      adminUserValue,
      ids.map((id) => keys.adminUser(id)),
    );
    return records.filter((r): r is AdminUser => r !== null).sort(compareAdmins);
  };

  const update = async (
    id: string,
    what: string,
    change: (admin: AdminUser) => AdminUser,
  ): Promise<AdminUser> => {
    const adminId = checkId('id', id);
    return runUnitOfWork(client, `${what} ${adminId}`, async (uow) => {
      const key = keys.adminUser(adminId);
      const admin = await readInUnit(uow, adminUserValue, key);
      if (!admin) throw new NotFoundError('admin user', adminId);
      const next = change(admin);
      uow.set(key, adminUserValue.encode(next));
      return next;
    });
  };

  return {
    async create(input) {
      const fields = checkNewAdmin(input);
      return runUnitOfWork(client, `create admin ${fields.email}`, async (uow) => {
        // The store's duplicate check: scan every admin. The records read guard the commit, but an
        // admin added concurrently under a new key is not seen (see uniqueAdminEmailUnderConcurrency).
        const ids = await client.sMembers(keys.adminUsersIndex());
        const raws = await uow.getMany(ids.map((id) => keys.adminUser(id)));
        ids.forEach((id, i) => {
          const admin = decodeRaw(adminUserValue, keys.adminUser(id), raws[i] ?? null);
          if (admin && admin.email.toLowerCase() === fields.email) {
            throw new ConflictError('admin user', fields.email, 'an admin with this e-mail exists');
          }
        });
        const admin: AdminUser = {
          id: randomUUID(),
          ...fields,
          createdAt: deps.now().toISOString(),
          active: true,
        };
        uow.set(keys.adminUser(admin.id), adminUserValue.encode(admin));
        uow.push({ op: 'sadd', key: keys.adminUsersIndex(), member: admin.id });
        return admin;
      });
    },

    get: async (id) => readValue(client, adminUserValue, keys.adminUser(checkId('id', id))),

    async getByEmail(email) {
      const wanted = normalizeEmail(checkString('email', email, 1000));
      return (await all()).find((a) => a.email.toLowerCase() === wanted) ?? null;
    },

    list: all,

    updateLastLogin: async (id) =>
      update(id, 'record login of admin', (a) => ({ ...a, lastLoginAt: deps.now().toISOString() })),

    deactivate: async (id) => update(id, 'deactivate admin', (a) => ({ ...a, active: false })),

    reactivate: async (id) => update(id, 'reactivate admin', (a) => ({ ...a, active: true })),

    async changePasswordHash(id, passwordHash) {
      const hash = checkPasswordHash('passwordHash', passwordHash);
      return update(id, 'change password of admin', (a) => ({ ...a, passwordHash: hash }));
    },

    async useBackupCode(id, code) {
      const wanted = checkString('code', code, 100).trim().toUpperCase();
      const adminId = checkId('id', id);
      return runUnitOfWork(client, `use backup code of admin ${adminId}`, async (uow) => {
        const key = keys.adminUser(adminId);
        const admin = await readInUnit(uow, adminUserValue, key);
        if (!admin) throw new NotFoundError('admin user', adminId);
        const at = admin.twoFactorBackupCodes.indexOf(wanted);
        if (wanted === '' || at < 0) return false;
        const codes = admin.twoFactorBackupCodes.filter((_, i) => i !== at);
        uow.set(key, adminUserValue.encode({ ...admin, twoFactorBackupCodes: codes }));
        return true;
      });
    },

    async regenerateTwoFactor(id, secret, backupCodes) {
      const twoFactorSecret = checkTwoFactorSecret(secret);
      const twoFactorBackupCodes = checkBackupCodes(backupCodes);
      return update(id, 'regenerate 2FA of admin', (a) => ({ ...a, twoFactorSecret, twoFactorBackupCodes }));
    },

    async delete(id) {
      const adminId = checkId('id', id);
      return runUnitOfWork(client, `delete admin ${adminId}`, async (uow) => {
        const key = keys.adminUser(adminId);
        if ((await uow.get(key)) === null) return false;
        // The store's order: record, then index (§5).
        uow.del(key);
        uow.push({ op: 'srem', key: keys.adminUsersIndex(), member: adminId });
        return true;
      });
    },

    async appendLog(input) {
      const entry = checkAdminLogEntry(input, deps.now().toISOString());
      return runUnitOfWork(client, 'append admin log', async (uow) => {
        uow.push({ op: 'lpush', key: keys.adminLogs(), member: adminLogValue.encode(entry) });
        uow.push({ op: 'ltrim', key: keys.adminLogs(), start: 0, stop: ADMIN_LOG_CAP - 1 });
        return entry;
      });
    },

    async listLogs(opts = {}): Promise<AdminLogEntry[]> {
      const limit = checkLimit(opts.limit, 100);
      const key = keys.adminLogs();
      const members = await client.lRange(key, 0, limit - 1);
      return members.map((raw) => decodeRaw(adminLogValue, key, raw) as AdminLogEntry);
    },

    async getLegacyTwoFactor(): Promise<LegacyTwoFactor | null> {
      const [secretKey, codesKey] = [keys.admin2faSecret(), keys.admin2faBackupCodes()];
      const [secretRaw, codesRaw] = await client.mGet([secretKey, codesKey]);
      const secret = decodeRaw(admin2faSecretValue, secretKey, secretRaw ?? null);
      const backupCodes = decodeRaw(admin2faBackupCodesValue, codesKey, codesRaw ?? null);
      if (secret === null && backupCodes === null) return null;
      return { ...(secret === null ? {} : { secret }), ...(backupCodes === null ? {} : { backupCodes }) };
    },
  };
}
