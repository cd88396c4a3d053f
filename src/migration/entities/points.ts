/**
 * The points ledger (legacy-redis-format.md §4.3): `points:transaction:{id}` records indexed by the
 * per-user lists `points:user:{userId}` (LPUSH, newest first). Records are never deleted by the store;
 * a copy pushes the id onto its user's list unless it is there already.
 */
import { fromPointsTransactionRow, toPointsTransactionRow } from '../../backends/postgres/mappers/points.js';
import { orders } from '../../backends/postgres/schema/orders.js';
import { type PointsTransactionRow, pointsTransactions } from '../../backends/postgres/schema/points.js';
import { users } from '../../backends/postgres/schema/users.js';
import { existingIds } from './pg-io.js';
import { listHas } from './redis-ids.js';
import { encodeFamily, readCurrent, redisUnit } from './redis-io.js';
import { recordEntity } from './record-entity.js';

export const pointsEntity = recordEntity({
  name: 'points_transactions',
  domain: 'points',
  family: 'pointsTransaction',
  recordKey: (keys, id) => keys.pointsTransaction(id),
  indexes: [{ kind: 'lists', family: 'pointsUser' }],
  table: pointsTransactions,
  idColumn: pointsTransactions.id,
  toRows: async (db, record) => {
    const userExists = (await existingIds(db, users, users.id, [record.userId])).size > 0;
    const orderExists = (await existingIds(db, orders, orders.id, [record.orderId])).size > 0;
    return { row: toPointsTransactionRow(record, { userExists, orderExists }) };
  },
  fromRows: (row) => fromPointsTransactionRow(row as PointsTransactionRow),

  writeRedis(ctx, id, record) {
    const { keys } = ctx;
    return redisUnit(ctx, `copy points transaction ${id}`, async (uow) => {
      const key = keys.pointsTransaction(id);
      const current = await readCurrent(uow, 'pointsTransaction', key);
      const existed = (await uow.get(key)) !== null;
      if (current && current.userId !== record?.userId) {
        uow.push({ op: 'lrem', key: keys.pointsUser(current.userId), member: id });
      }
      if (record === null) {
        uow.del(key);
        return existed ? 'deleted' : 'absent';
      }
      uow.set(key, encodeFamily('pointsTransaction', record));
      const list = keys.pointsUser(record.userId);
      if (!(await listHas(ctx, list, id))) uow.push({ op: 'lpush', key: list, member: id });
      return 'written';
    });
  },
});
