/**
 * Customer accounts on the legacy keys (legacy-redis-format.md §2a #1–#3, §4.1, §7.8): the JSON record
 * `user:{id}`, the plain-text pointer `user:email:{email}` and the set `users:index`. Every write is
 * one unit of work, so the record and its pointer/index change together (the store wrote them with
 * separate requests and could leave orphans, §8.1–§8.2).
 */
import { randomUUID } from 'node:crypto';
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
import type { NewUser, User, UserPage, UserProfilePatch, UserRepository } from '../../domain/user.js';
import { userEmailValue, userValue } from '../../legacy/codecs/user.js';
import { type RedisUnitOfWork, runUnitOfWork } from './atomic.js';
import type { RedisDeps } from './index.js';
import { decodeRaw, readInUnit, readValue, readValues } from './record-io.js';

/** Reads a user inside a unit (the read guards the commit); `null` when absent. */
export function readUserStep(deps: RedisDeps, uow: RedisUnitOfWork, userId: string): Promise<User | null> {
  return readInUnit(uow, userValue, deps.keys.user(userId));
}

/** Queues the write of a whole user record (the store's read-modify-write, §7.3). */
export function writeUserStep(deps: RedisDeps, uow: RedisUnitOfWork, user: User): void {
  uow.set(deps.keys.user(user.id), userValue.encode(user));
}

/**
 * Read-modify-write of one user inside a unit: `change` gets the current record and returns the new
 * one (its `updatedAt` is set to `now`, see `nextTimestamp`). `NotFoundError` when the user does not exist.
 */
export async function updateUserStep(
  deps: RedisDeps,
  uow: RedisUnitOfWork,
  userId: string,
  change: (user: User) => User,
): Promise<User> {
  const user = await readUserStep(deps, uow, userId);
  if (!user) throw new NotFoundError('user', userId);
  const next: User = { ...change(user), updatedAt: nextTimestamp(deps.now(), user.updatedAt) };
  writeUserStep(deps, uow, next);
  return next;
}

export function createRedisUserRepository(deps: RedisDeps): UserRepository {
  const { client, keys } = deps;

  const update = async (id: string, what: string, change: (user: User) => User): Promise<User> => {
    const userId = checkId('id', id);
    return runUnitOfWork(client, `${what} ${userId}`, (uow) => updateUserStep(deps, uow, userId, change));
  };

  return {
    async create(input: NewUser): Promise<User> {
      const email = checkEmail('email', input.email);
      const passwordHash = checkPasswordHash('passwordHash', input.passwordHash);
      const firstName = checkName('firstName', input.firstName);
      const lastName = checkName('lastName', input.lastName);
      return runUnitOfWork(client, `create user ${email}`, async (uow) => {
        const emailKey = keys.userEmail(email);
        const ownerId = decodeRaw(userEmailValue, emailKey, await uow.get(emailKey));
        // A pointer whose user is gone (a crash inside the store's deleteUser) does not hold the e-mail.
        if (ownerId !== null && (await readUserStep(deps, uow, ownerId))) {
          throw new ConflictError('user', email, 'the e-mail address is already registered');
        }
        const now = deps.now().toISOString();
        const user: User = {
          id: randomUUID(),
          email,
          passwordHash,
          firstName,
          lastName,
          points: 0,
          emailVerified: false,
          createdAt: now,
          updatedAt: now,
        };
        // The store's createUser order: record, e-mail pointer, index (§5).
        writeUserStep(deps, uow, user);
        uow.set(emailKey, userEmailValue.encode(user.id));
        uow.push({ op: 'sadd', key: keys.usersIndex(), member: user.id });
        return user;
      });
    },

    async getById(id: string): Promise<User | null> {
      return readValue(client, userValue, keys.user(checkId('id', id)));
    },

    async getByEmail(email: string): Promise<User | null> {
      const normalised = normalizeEmail(checkString('email', email, 1000));
      if (normalised === '') return null;
      const ownerId = await readValue(client, userEmailValue, keys.userEmail(normalised));
      return ownerId === null || ownerId.includes(':')
        ? null
        : readValue(client, userValue, keys.user(ownerId));
    },

    async updateProfile(id: string, patch: UserProfilePatch): Promise<User> {
      const names = checkProfilePatch(patch);
      return update(id, 'update profile of user', (user) => ({ ...user, ...names }));
    },

    async updatePasswordHash(id: string, passwordHash: string): Promise<User> {
      const hash = checkPasswordHash('passwordHash', passwordHash);
      return update(id, 'update password of user', (user) => ({ ...user, passwordHash: hash }));
    },

    async verifyEmail(id: string): Promise<User> {
      return update(id, 'verify e-mail of user', (user) => ({ ...user, emailVerified: true }));
    },

    async delete(id: string): Promise<boolean> {
      const userId = checkId('id', id);
      return runUnitOfWork(client, `delete user ${userId}`, async (uow) => {
        const user = await readUserStep(deps, uow, userId);
        if (!user) return false;
        // The store's deleteUser (§7.8): e-mail pointer, index, record. Everything else is kept. The
        // pointer is only removed while it still names this user, so another account never loses it.
        const emailKey = keys.userEmail(user.email);
        if ((await uow.get(emailKey)) === userId) uow.del(emailKey);
        uow.push({ op: 'srem', key: keys.usersIndex(), member: userId });
        uow.del(keys.user(userId));
        return true;
      });
    },

    async list(opts = {}): Promise<UserPage> {
      const limit = checkLimit(opts.limit, 100);
      const cursor = opts.cursor === undefined ? undefined : checkString('cursor', opts.cursor, 1000);
      // Code-unit order, the same as Postgres `COLLATE "C"`; ids without a record are skipped.
      const ids = (await client.sMembers(keys.usersIndex()))
        .filter((id) => cursor === undefined || id > cursor)
        .sort();
      const users: User[] = [];
      for (let i = 0; i < ids.length && users.length <= limit; ) {
        const batch = ids.slice(i, i + limit + 1 - users.length);
        i += batch.length;
        for (const user of await readValues(
          client,
          userValue,
          batch.map((id) => keys.user(id)),
        )) {
          if (user) users.push(user);
        }
      }
      const page = users.slice(0, limit);
      return { users: page, nextCursor: users.length > limit ? (page.at(-1)?.id ?? null) : null };
    },
  };
}
