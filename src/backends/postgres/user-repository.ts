/**
 * Customer accounts in `users`. The unique index on `email` decides concurrent sign-ups; updates lock
 * the row (SELECT … FOR UPDATE) and write the whole record with its sync hash in one UPDATE. Deleting
 * a user keeps orders, ledger entries, tokens and refunds: their `user_id` keeps the legacy value and
 * the `user_ref` FK goes NULL (ON DELETE SET NULL), as the store kept dangling ids (§7.8).
 */
import { randomUUID } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import {
  checkEmail,
  checkId,
  checkLimit,
  checkName,
  checkPasswordHash,
  checkProfilePatch,
  checkString,
  nextTimestamp,
  normalizeEmail,
} from '../../domain/account-rules.js';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import type { NewUser, User, UserPage, UserRepository } from '../../domain/user.js';
import type { Db } from './client.js';
import type { PgDeps } from './index.js';
import { fromUserRow, toUserRow } from './mappers/user.js';
import { users } from './schema.js';
import type { Tx } from './transaction.js';

type Executor = Db | Tx;

/** The user with its row locked until the caller's transaction ends; `null` when absent. */
export async function lockUserTx(tx: Tx, userId: string): Promise<User | null> {
  const [row] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
  return row ? fromUserRow(row) : null;
}

/** Writes a whole user record (and its sync columns) in one UPDATE. */
export async function writeUserTx(deps: PgDeps, tx: Executor, user: User): Promise<void> {
  await tx
    .update(users)
    .set({ ...toUserRow(user), syncWrittenAt: deps.now() })
    .where(eq(users.id, user.id));
}

/**
 * Read-modify-write of one user inside the caller's transaction: locks the row, applies `change`,
 * sets `updatedAt` (see `nextTimestamp`) and writes it. `NotFoundError` when the user does not exist.
 */
export async function updateUserTx(
  deps: PgDeps,
  tx: Tx,
  userId: string,
  change: (user: User) => User,
): Promise<User> {
  const user = await lockUserTx(tx, userId);
  if (!user) throw new NotFoundError('user', userId);
  const next: User = { ...change(user), updatedAt: nextTimestamp(deps.now(), user.updatedAt) };
  await writeUserTx(deps, tx, next);
  return next;
}

export function createPostgresUserRepository(deps: PgDeps): UserRepository {
  const { db } = deps.pg;

  const byId = async (id: string) => {
    const [row] = await db.select().from(users).where(eq(users.id, id));
    return row ? fromUserRow(row) : null;
  };

  const update = async (id: string, change: (user: User) => User) => {
    const userId = checkId('id', id);
    return db.transaction((tx) => updateUserTx(deps, tx, userId, change));
  };

  return {
    async create(input: NewUser): Promise<User> {
      const email = checkEmail('email', input.email);
      const passwordHash = checkPasswordHash('passwordHash', input.passwordHash);
      const firstName = checkName('firstName', input.firstName);
      const lastName = checkName('lastName', input.lastName);
      const now = deps.now();
      const user: User = {
        id: randomUUID(),
        email,
        passwordHash,
        firstName,
        lastName,
        points: 0,
        emailVerified: false,
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
      };
      const inserted = await db
        .insert(users)
        .values({ ...toUserRow(user), syncWrittenAt: now })
        .onConflictDoNothing({ target: users.email })
        .returning({ id: users.id });
      if (inserted.length === 0)
        throw new ConflictError('user', email, 'the e-mail address is already registered');
      return user;
    },

    getById: async (id) => byId(checkId('id', id)),

    async getByEmail(email) {
      const normalised = normalizeEmail(checkString('email', email, 1000));
      if (normalised === '') return null;
      const [row] = await db.select().from(users).where(eq(users.email, normalised));
      return row ? fromUserRow(row) : null;
    },

    async updateProfile(id, patch) {
      const names = checkProfilePatch(patch);
      return update(id, (user) => ({ ...user, ...names }));
    },

    async updatePasswordHash(id, passwordHash) {
      const hash = checkPasswordHash('passwordHash', passwordHash);
      return update(id, (user) => ({ ...user, passwordHash: hash }));
    },

    verifyEmail: async (id) => update(id, (user) => ({ ...user, emailVerified: true })),

    async delete(id) {
      const userId = checkId('id', id);
      const gone = await db.delete(users).where(eq(users.id, userId)).returning({ id: users.id });
      return gone.length > 0;
    },

    async list(opts = {}): Promise<UserPage> {
      const limit = checkLimit(opts.limit, 100);
      const cursor = opts.cursor === undefined ? undefined : checkString('cursor', opts.cursor, 1000);
      // `COLLATE "C"` is code-unit order for these ids, the order the Redis backend sorts in.
      const rows = await db
        .select()
        .from(users)
        .where(cursor === undefined ? undefined : sql`${users.id} collate "C" > ${cursor}`)
        .orderBy(asc(sql`${users.id} collate "C"`))
        .limit(limit + 1);
      const page = rows.slice(0, limit).map(fromUserRow);
      return { users: page, nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
    },
  };
}
