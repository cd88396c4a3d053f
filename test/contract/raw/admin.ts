/**
 * Raw readers for admin data (Redis: GET + codecs, SMEMBERS, LRANGE; Postgres: the rows).
 */
import { count, desc, eq } from 'drizzle-orm';
import {
  fromAdminLogRow,
  fromAdminUserRow,
  toAdminLogRow,
  toLegacyTwoFactorRow,
} from '../../../src/backends/postgres/mappers/admin.js';
import { adminLegacyTwoFactor, adminLogs, adminUsers } from '../../../src/backends/postgres/schema.js';
import type { AdminLogEntry, AdminUser, LegacyTwoFactor } from '../../../src/domain/admin.js';
import { canonicalHash } from '../../../src/domain/canonical.js';
import {
  admin2faBackupCodesValue,
  adminLogValue,
  decodeAdminUser,
  encodeAdminUser,
} from '../../../src/legacy/codecs/admin.js';
import type { ContractContext, RawFactory } from '../harness.js';

export interface AdminRaw {
  /** The stored admin in canonical form, or null. */
  admin(id: string): Promise<AdminUser | null>;
  /** Whether the store lists the id (Redis `admin:users:index`; Postgres the row exists). */
  listed(id: string): Promise<boolean>;
  /** Bookkeeping agrees with the record (Redis: exact codec bytes; Postgres: `sync_hash` + `sync_written_at`). */
  bookkeepingOk(id: string): Promise<boolean>;
  /** The newest `n` stored log entries, newest first. */
  newestLogs(n: number): Promise<AdminLogEntry[]>;
  /** How many log entries the store holds. */
  logCount(): Promise<number>;
  /** Writes log entries (oldest first) as the store or the backfill left them, without trimming. */
  seedLogs(entries: AdminLogEntry[]): Promise<void>;
  /** Writes the legacy single-admin 2FA keys (a field left out stays absent). */
  seedLegacyTwoFactor(value: LegacyTwoFactor): Promise<void>;
}

export const adminRaw: RawFactory<AdminRaw> = {
  redis(ctx: ContractContext): AdminRaw {
    const { client, keys } = ctx.redis!;
    const read = async (id: string) => {
      const raw = await client.get(keys.adminUser(id));
      if (raw === null) return null;
      const r = decodeAdminUser(keys.adminUser(id), raw);
      if (!r.ok) throw new Error(`stored admin does not decode: ${r.error.problem}`);
      return { raw, value: r.value };
    };
    return {
      admin: async (id) => (await read(id))?.value ?? null,
      listed: async (id) => (await client.sIsMember(keys.adminUsersIndex(), id)) === 1,
      bookkeepingOk: async (id) => {
        const r = await read(id);
        return r !== null && encodeAdminUser(r.value) === r.raw;
      },
      newestLogs: async (n) =>
        (await client.lRange(keys.adminLogs(), 0, n - 1)).map((raw) => {
          const r = adminLogValue.decode(keys.adminLogs(), raw);
          if (!r.ok) throw new Error(`stored log entry does not decode: ${r.error.problem}`);
          return r.value;
        }),
      logCount: () => client.lLen(keys.adminLogs()),
      seedLogs: async (entries) => {
        // LPUSH of several members pushes them in turn, so the last (newest) ends up at the head.
        if (entries.length > 0)
          await client.lPush(
            keys.adminLogs(),
            entries.map((e) => adminLogValue.encode(e)),
          );
      },
      seedLegacyTwoFactor: async (value) => {
        if (value.secret !== undefined) await client.set(keys.admin2faSecret(), value.secret);
        if (value.backupCodes !== undefined) {
          await client.set(keys.admin2faBackupCodes(), admin2faBackupCodesValue.encode(value.backupCodes));
        }
      },
    };
  },
  postgres(ctx: ContractContext): AdminRaw {
    const db = ctx.pg!.db;
    const row = async (id: string) => (await db.select().from(adminUsers).where(eq(adminUsers.id, id)))[0];
    return {
      admin: async (id) => {
        const r = await row(id);
        return r ? fromAdminUserRow(r) : null;
      },
      listed: async (id) => (await row(id)) !== undefined,
      bookkeepingOk: async (id) => {
        const r = await row(id);
        return (
          r !== undefined && r.syncHash === canonicalHash(fromAdminUserRow(r)) && r.syncWrittenAt !== null
        );
      },
      newestLogs: async (n) =>
        (await db.select().from(adminLogs).orderBy(desc(adminLogs.id)).limit(n)).map(fromAdminLogRow),
      logCount: async () => Number((await db.select({ n: count() }).from(adminLogs))[0]?.n ?? 0),
      seedLogs: async (entries) => {
        // Oldest first, so the sequence gives the append order (as the backfill inserts them).
        if (entries.length > 0) await db.insert(adminLogs).values(entries.map((e) => toAdminLogRow(e)));
      },
      seedLegacyTwoFactor: async (value) => {
        await db.insert(adminLegacyTwoFactor).values(toLegacyTwoFactorRow(value));
      },
    };
  },
};
