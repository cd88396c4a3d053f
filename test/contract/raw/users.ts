/**
 * Raw readers for users: what each store actually holds, read without the repositories (Redis: GET +
 * the legacy codec, SMEMBERS; Postgres: the rows). `seed` writes a legacy record the way the store (or
 * the backfill) left it, for tests of legacy edge cases.
 */
import { eq } from 'drizzle-orm';
import { fromUserRow, toUserRow } from '../../../src/backends/postgres/mappers/user.js';
import { users } from '../../../src/backends/postgres/schema.js';
import { canonicalHash } from '../../../src/domain/canonical.js';
import type { User } from '../../../src/domain/user.js';
import { decodeUser, encodeUser } from '../../../src/legacy/codecs/user.js';
import type { ContractContext, RawFactory } from '../harness.js';

export interface UsersRaw {
  /** The stored record in canonical form, or null. */
  user(id: string): Promise<User | null>;
  /** Which user id the store maps this exact (normalised) e-mail to: Redis `user:email:{email}`, Postgres the row with that `email`. */
  emailOwner(email: string): Promise<string | null>;
  /** Whether the store lists the id (Redis `users:index`; Postgres the row exists). */
  listed(id: string): Promise<boolean>;
  /**
   * The store's bookkeeping agrees with the record: Redis, the JSON is exactly what the legacy codec
   * writes; Postgres, `sync_hash` is the record's canonical hash and `sync_written_at` is set.
   */
  bookkeepingOk(id: string): Promise<boolean>;
  /** Writes a legacy record (with its e-mail pointer and index entry) as the store or the backfill left it. */
  seed(user: User): Promise<void>;
}

export const usersRaw: RawFactory<UsersRaw> = {
  redis(ctx: ContractContext): UsersRaw {
    const { client, keys } = ctx.redis!;
    const read = async (id: string) => {
      const raw = await client.get(keys.user(id));
      if (raw === null) return null;
      const r = decodeUser(keys.user(id), raw);
      if (!r.ok) throw new Error(`stored user does not decode: ${r.error.problem}`);
      return { raw, value: r.value };
    };
    return {
      user: async (id) => (await read(id))?.value ?? null,
      emailOwner: (email) => client.get(keys.userEmail(email)),
      listed: async (id) => (await client.sIsMember(keys.usersIndex(), id)) === 1,
      bookkeepingOk: async (id) => {
        const r = await read(id);
        return r !== null && encodeUser(r.value) === r.raw;
      },
      seed: async (user) => {
        await client.set(keys.user(user.id), encodeUser(user));
        await client.set(keys.userEmail(user.email), user.id);
        await client.sAdd(keys.usersIndex(), user.id);
      },
    };
  },
  postgres(ctx: ContractContext): UsersRaw {
    const db = ctx.pg!.db;
    const row = async (id: string) => (await db.select().from(users).where(eq(users.id, id)))[0];
    return {
      user: async (id) => {
        const r = await row(id);
        return r ? fromUserRow(r) : null;
      },
      emailOwner: async (email) =>
        (await db.select({ id: users.id }).from(users).where(eq(users.email, email)))[0]?.id ?? null,
      listed: async (id) => (await row(id)) !== undefined,
      bookkeepingOk: async (id) => {
        const r = await row(id);
        return r !== undefined && r.syncHash === canonicalHash(fromUserRow(r)) && r.syncWrittenAt !== null;
      },
      seed: async (user) => {
        // As the backfill writes it: no live-write marker.
        await db.insert(users).values(toUserRow(user));
      },
    };
  },
};
