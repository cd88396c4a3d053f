/**
 * Customer accounts (legacy-redis-format.md §4.1): `user:{id}` + the plain-text pointer
 * `user:email:{email}` + `users:index`. The Redis write keeps the pointer and the index the way the
 * store's createUser / deleteUser do (§5, §7.8).
 */
import { fromUserRow, toUserRow } from '../../backends/postgres/mappers/user.js';
import { orders } from '../../backends/postgres/schema/orders.js';
import { pointsTransactions } from '../../backends/postgres/schema/points.js';
import { refunds } from '../../backends/postgres/schema/refunds.js';
import { emailVerificationTokens, passwordResetTokens } from '../../backends/postgres/schema/tokens.js';
import { type UserRow, users } from '../../backends/postgres/schema/users.js';
import { userEmailValue } from '../../legacy/codecs/user.js';
import { linkRefs } from './pg-io.js';
import { encodeFamily, readCurrent, redisUnit } from './redis-io.js';
import { recordEntity } from './record-entity.js';

export const usersEntity = recordEntity({
  name: 'users',
  domain: 'users',
  family: 'user',
  recordKey: (keys, id) => keys.user(id),
  indexes: [{ kind: 'set', key: (ctx) => ctx.keys.usersIndex() }],
  table: users,
  idColumn: users.id,
  toRows: async (_db, record) => ({ row: toUserRow(record) }),
  fromRows: (row) => fromUserRow(row as UserRow),

  // Rows written before their user existed keep the legacy id but no FK link (decisions.md §6).
  async afterInsert(db, id) {
    await linkRefs(db, orders, orders.userId, orders.userRef, id);
    await linkRefs(db, pointsTransactions, pointsTransactions.userId, pointsTransactions.userRef, id);
    await linkRefs(db, refunds, refunds.userId, refunds.userRef, id);
    await linkRefs(db, passwordResetTokens, passwordResetTokens.userId, passwordResetTokens.userRef, id);
    await linkRefs(
      db,
      emailVerificationTokens,
      emailVerificationTokens.userId,
      emailVerificationTokens.userRef,
      id,
    );
  },

  writeRedis(ctx, id, record) {
    const { keys } = ctx;
    return redisUnit(ctx, `copy user ${id}`, async (uow) => {
      const current = await readCurrent(uow, 'user', keys.user(id));
      // The pointer of an e-mail is only removed while it still names this user.
      const dropPointer = async (email: string) => {
        if ((await uow.get(keys.userEmail(email))) === id) uow.del(keys.userEmail(email));
      };
      if (record === null) {
        const existed = (await uow.get(keys.user(id))) !== null;
        if (current) await dropPointer(current.email);
        uow.push({ op: 'srem', key: keys.usersIndex(), member: id });
        uow.del(keys.user(id));
        return existed ? 'deleted' : 'absent';
      }
      if (current && current.email !== record.email) await dropPointer(current.email);
      uow.set(keys.user(id), encodeFamily('user', record));
      uow.set(keys.userEmail(record.email), userEmailValue.encode(id));
      uow.push({ op: 'sadd', key: keys.usersIndex(), member: id });
      return 'written';
    });
  },
});
