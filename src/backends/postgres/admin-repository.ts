/**
 * Admin data in `admin_users`, `admin_logs` and `admin_legacy_two_factor`. The unique index on
 * `lower(email)` decides concurrent creates; updates lock the row and write the whole record with its
 * sync hash; the log keeps every entry (Redis trims to 1000), newest first by append order (`id`).
 */
import { randomUUID } from 'node:crypto';
import { asc, desc, eq, sql } from 'drizzle-orm';
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
import type { AdminRepository, AdminUser } from '../../domain/admin.js';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import type { PgDeps } from './index.js';
import {
  fromAdminLogRow,
  fromAdminUserRow,
  fromLegacyTwoFactorRow,
  toAdminLogRow,
  toAdminUserRow,
} from './mappers/admin.js';
import { adminLegacyTwoFactor, adminLogs, adminUsers } from './schema.js';
import { sqlState, type Tx } from './transaction.js';

/** The admin with its row locked until the caller's transaction ends; `null` when absent. */
async function lockAdminTx(tx: Tx, id: string): Promise<AdminUser | null> {
  const [row] = await tx.select().from(adminUsers).where(eq(adminUsers.id, id)).for('update');
  return row ? fromAdminUserRow(row) : null;
}

async function writeAdminTx(deps: PgDeps, tx: Tx, admin: AdminUser): Promise<void> {
  await tx
    .update(adminUsers)
    .set({ ...toAdminUserRow(admin), syncWrittenAt: deps.now() })
    .where(eq(adminUsers.id, admin.id));
}

export function createPostgresAdminRepository(deps: PgDeps): AdminRepository {
  const { db } = deps.pg;

  const update = async (id: string, change: (admin: AdminUser) => AdminUser): Promise<AdminUser> => {
    const adminId = checkId('id', id);
    return db.transaction(async (tx) => {
      const admin = await lockAdminTx(tx, adminId);
      if (!admin) throw new NotFoundError('admin user', adminId);
      const next = change(admin);
      await writeAdminTx(deps, tx, next);
      return next;
    });
  };

  return {
    async create(input) {
      const fields = checkNewAdmin(input);
      const admin: AdminUser = {
        id: randomUUID(),
        ...fields,
        createdAt: deps.now().toISOString(),
        active: true,
      };
      try {
        await db.insert(adminUsers).values({ ...toAdminUserRow(admin), syncWrittenAt: deps.now() });
      } catch (err) {
        // admin_users_email_lower_unique: the e-mail is compared case-insensitively, as the store did.
        if (sqlState(err) === '23505') {
          throw new ConflictError('admin user', fields.email, 'an admin with this e-mail exists');
        }
        throw err;
      }
      return admin;
    },

    async get(id) {
      const [row] = await db
        .select()
        .from(adminUsers)
        .where(eq(adminUsers.id, checkId('id', id)));
      return row ? fromAdminUserRow(row) : null;
    },

    async getByEmail(email) {
      const wanted = normalizeEmail(checkString('email', email, 1000));
      const [row] = await db.select().from(adminUsers).where(sql`lower(${adminUsers.email}) = ${wanted}`);
      return row ? fromAdminUserRow(row) : null;
    },

    async list() {
      const rows = await db
        .select()
        .from(adminUsers)
        .orderBy(asc(adminUsers.createdAt), asc(sql`${adminUsers.id} collate "C"`));
      return rows.map(fromAdminUserRow);
    },

    updateLastLogin: async (id) => update(id, (a) => ({ ...a, lastLoginAt: deps.now().toISOString() })),

    deactivate: async (id) => update(id, (a) => ({ ...a, active: false })),

    reactivate: async (id) => update(id, (a) => ({ ...a, active: true })),

    async changePasswordHash(id, passwordHash) {
      const hash = checkPasswordHash('passwordHash', passwordHash);
      return update(id, (a) => ({ ...a, passwordHash: hash }));
    },

    async useBackupCode(id, code) {
      const wanted = checkString('code', code, 100).trim().toUpperCase();
      const adminId = checkId('id', id);
      return db.transaction(async (tx) => {
        const admin = await lockAdminTx(tx, adminId);
        if (!admin) throw new NotFoundError('admin user', adminId);
        const at = admin.twoFactorBackupCodes.indexOf(wanted);
        if (wanted === '' || at < 0) return false;
        const codes = admin.twoFactorBackupCodes.filter((_, i) => i !== at);
        await writeAdminTx(deps, tx, { ...admin, twoFactorBackupCodes: codes });
        return true;
      });
    },

    async regenerateTwoFactor(id, secret, backupCodes) {
      const twoFactorSecret = checkTwoFactorSecret(secret);
      const twoFactorBackupCodes = checkBackupCodes(backupCodes);
      return update(id, (a) => ({ ...a, twoFactorSecret, twoFactorBackupCodes }));
    },

    async delete(id) {
      const adminId = checkId('id', id);
      const gone = await db
        .delete(adminUsers)
        .where(eq(adminUsers.id, adminId))
        .returning({ id: adminUsers.id });
      return gone.length > 0;
    },

    async appendLog(input) {
      const entry = checkAdminLogEntry(input, deps.now().toISOString());
      await db.insert(adminLogs).values(toAdminLogRow(entry));
      return entry;
    },

    async listLogs(opts = {}) {
      const limit = checkLimit(opts.limit, 100);
      const rows = await db.select().from(adminLogs).orderBy(desc(adminLogs.id)).limit(limit);
      return rows.map(fromAdminLogRow);
    },

    async getLegacyTwoFactor() {
      const [row] = await db.select().from(adminLegacyTwoFactor).where(eq(adminLegacyTwoFactor.id, 1));
      if (!row || (row.secret === null && row.backupCodes === null)) return null;
      return fromLegacyTwoFactorRow(row);
    },
  };
}
