/**
 * Refunds and their lines (legacy-redis-format.md §4.7): `refund:{id}` in `refunds:index` and in the
 * order's set `order:{orderId}:refunds`. The store never deletes refunds; a delete here removes the
 * record and both memberships.
 */
import { fromRefundRow, toRefundRows } from '../../backends/postgres/mappers/refund.js';
import { orders } from '../../backends/postgres/schema/orders.js';
import {
  type RefundItemRow,
  type RefundRow,
  refundItems,
  refunds,
} from '../../backends/postgres/schema/refunds.js';
import { users } from '../../backends/postgres/schema/users.js';
import { existingIds } from './pg-io.js';
import { encodeFamily, readCurrent, redisUnit } from './redis-io.js';
import { recordEntity } from './record-entity.js';

export const refundsEntity = recordEntity({
  name: 'refunds',
  domain: 'refunds',
  family: 'refund',
  recordKey: (keys, id) => keys.refund(id),
  indexes: [{ kind: 'set', key: (ctx) => ctx.keys.refundsIndex() }],
  table: refunds,
  idColumn: refunds.id,
  child: { table: refundItems, parentColumn: refundItems.refundId, parentField: 'refundId' },
  toRows: async (db, record) => {
    const orderExists = (await existingIds(db, orders, orders.id, [record.orderId])).size > 0;
    const userExists = (await existingIds(db, users, users.id, [record.userId])).size > 0;
    const rows = toRefundRows(record, { orderExists, userExists });
    return { row: rows.refund, children: rows.items };
  },
  fromRows: (row, items) => fromRefundRow(row as RefundRow, items as RefundItemRow[]),

  writeRedis(ctx, id, record) {
    const { keys } = ctx;
    return redisUnit(ctx, `copy refund ${id}`, async (uow) => {
      const key = keys.refund(id);
      const current = await readCurrent(uow, 'refund', key);
      const existed = (await uow.get(key)) !== null;
      if (current && current.orderId !== record?.orderId) {
        uow.push({ op: 'srem', key: keys.orderRefunds(current.orderId), member: id });
      }
      if (record === null) {
        uow.push({ op: 'srem', key: keys.refundsIndex(), member: id });
        uow.del(key);
        return existed ? 'deleted' : 'absent';
      }
      uow.set(key, encodeFamily('refund', record));
      uow.push({ op: 'sadd', key: keys.refundsIndex(), member: id });
      uow.push({ op: 'sadd', key: keys.orderRefunds(record.orderId), member: id });
      return 'written';
    });
  },
});
