/**
 * Raw readers and seeders for the records orders, checkout and refunds touch in other domains: users
 * (balance) and the points ledger. Redis: GET/LRANGE + the legacy codecs; Postgres: the rows.
 */
import { desc, eq } from 'drizzle-orm';
import { fromPointsTransactionRow } from '../../../src/backends/postgres/mappers/points.js';
import { fromUserRow, toUserRow } from '../../../src/backends/postgres/mappers/user.js';
import { pointsTransactions, users } from '../../../src/backends/postgres/schema.js';
import type { PointsTransaction } from '../../../src/domain/points.js';
import type { User } from '../../../src/domain/user.js';
import { decodePointsTransaction } from '../../../src/legacy/codecs/points.js';
import { decodeUser, encodeUser } from '../../../src/legacy/codecs/user.js';
import type { ContractContext, RawFactory } from '../harness.js';

export interface PeopleRaw {
  user(id: string): Promise<User | null>;
  /** The user's ledger entries, newest first. */
  ledger(userId: string): Promise<PointsTransaction[]>;
  /** Writes a user the way the store's createUser leaves it (record, e-mail pointer, index). */
  seedUser(user: User): Promise<void>;
}

function must<T>(r: { ok: true; value: T } | { ok: false; error: { problem: string } }): T {
  if (!r.ok) throw new Error(`stored value does not decode: ${r.error.problem}`);
  return r.value;
}

export const peopleRaw: RawFactory<PeopleRaw> = {
  redis(ctx: ContractContext): PeopleRaw {
    const { client, keys } = ctx.redis!;
    return {
      user: async (id) => {
        const raw = await client.get(keys.user(id));
        return raw === null ? null : must(decodeUser(keys.user(id), raw));
      },
      ledger: async (userId) => {
        const ids = await client.lRange(keys.pointsUser(userId), 0, -1);
        const raws = ids.length === 0 ? [] : await client.mGet(ids.map(keys.pointsTransaction));
        return raws.flatMap((raw, i) =>
          raw === null ? [] : [must(decodePointsTransaction(keys.pointsTransaction(ids[i]!), raw))],
        );
      },
      seedUser: async (user) => {
        await client.set(keys.user(user.id), encodeUser(user));
        await client.set(keys.userEmail(user.email), user.id);
        await client.sAdd(keys.usersIndex(), user.id);
      },
    };
  },
  postgres(ctx: ContractContext): PeopleRaw {
    const db = ctx.pg!.db;
    return {
      user: async (id) => {
        const [row] = await db.select().from(users).where(eq(users.id, id));
        return row ? fromUserRow(row) : null;
      },
      ledger: async (userId) =>
        (
          await db
            .select()
            .from(pointsTransactions)
            .where(eq(pointsTransactions.userId, userId))
            .orderBy(desc(pointsTransactions.createdAt))
        ).map(fromPointsTransactionRow),
      seedUser: async (user) => {
        await db.insert(users).values(toUserRow(user));
      },
    };
  },
};

/** A user record as the store writes it, with `points` points. */
export function legacyUser(points = 0): User {
  const id = crypto.randomUUID();
  return {
    id,
    email: `u${id.slice(0, 8)}@example.com`,
    passwordHash: `$2b$12$${'a'.repeat(53)}`,
    firstName: 'Ada',
    lastName: 'Lovelace',
    points,
    emailVerified: false,
    createdAt: '2025-12-01T10:00:00.000Z',
    updatedAt: '2025-12-01T10:00:00.000Z',
  };
}
