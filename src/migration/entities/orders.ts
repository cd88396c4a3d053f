/**
 * Orders and their lines (legacy-redis-format.md §4.2): `order:{id}` indexed by `orders:index` (only
 * since 2025-12-03, so SCAN finds the older ones) and by the user / guest lists. A copy to Redis keeps
 * the store's createOrder memberships (orders:index, then the user list when there is a userId, else
 * the guest list of `email.toLowerCase()`), without pushing an id a list already holds; a delete is the
 * store's deleteOrder (§7.8). `order:{id}:refunds` sets are left alone, as the store does.
 */
import type { RedisUnitOfWork } from '../../backends/redis/atomic.js';
import { fromOrderRow, toOrderRows } from '../../backends/postgres/mappers/order.js';
import {
  type OrderItemRow,
  type OrderRow,
  orderItems,
  orders,
} from '../../backends/postgres/schema/orders.js';
import { pointsTransactions } from '../../backends/postgres/schema/points.js';
import { refunds } from '../../backends/postgres/schema/refunds.js';
import { invoiceAccessTokens } from '../../backends/postgres/schema/tokens.js';
import { users } from '../../backends/postgres/schema/users.js';
import type { Order } from '../../domain/order.js';
import type { LegacyKeys } from '../../legacy/keys.js';
import { existingIds, linkRefs } from './pg-io.js';
import { listHas } from './redis-ids.js';
import { encodeFamily, readCurrent, redisUnit } from './redis-io.js';
import { recordEntity } from './record-entity.js';
import type { SyncContext } from './types.js';

/** The list an order is pushed onto by createOrder. */
function ownerList(keys: LegacyKeys, order: Order): string {
  return order.userId !== undefined
    ? keys.ordersUser(order.userId)
    : keys.ordersGuest(order.email.toLowerCase());
}

async function writeOrderRedis(ctx: SyncContext, id: string, record: Order | null) {
  const { keys } = ctx;
  return redisUnit(ctx, `copy order ${id}`, async (uow: RedisUnitOfWork) => {
    const key = keys.order(id);
    const current = await readCurrent(uow, 'order', key);
    const existed = (await uow.get(key)) !== null;
    if (current && (record === null || ownerList(keys, current) !== ownerList(keys, record))) {
      uow.push({ op: 'lrem', key: ownerList(keys, current), member: id });
    }
    if (record === null) {
      uow.push({ op: 'srem', key: keys.ordersIndex(), member: id });
      uow.del(key);
      return existed ? 'deleted' : 'absent';
    }
    uow.set(key, encodeFamily('order', record));
    uow.push({ op: 'sadd', key: keys.ordersIndex(), member: id });
    const list = ownerList(keys, record);
    if (!(await listHas(ctx, list, id))) uow.push({ op: 'lpush', key: list, member: id });
    return 'written';
  });
}

export const ordersEntity = recordEntity({
  name: 'orders',
  domain: 'orders',
  family: 'order',
  recordKey: (keys, id) => keys.order(id),
  indexes: [{ kind: 'set', key: (ctx) => ctx.keys.ordersIndex() }],
  table: orders,
  idColumn: orders.id,
  child: { table: orderItems, parentColumn: orderItems.orderId, parentField: 'orderId' },
  toRows: async (db, record) => {
    const userExists = (await existingIds(db, users, users.id, [record.userId])).size > 0;
    const rows = toOrderRows(record, { userExists });
    return { row: rows.order, children: rows.items };
  },
  fromRows: (row, items) => fromOrderRow(row as OrderRow, items as OrderItemRow[]),
  async afterInsert(db, id) {
    await linkRefs(db, pointsTransactions, pointsTransactions.orderId, pointsTransactions.orderRef, id);
    await linkRefs(db, refunds, refunds.orderId, refunds.orderRef, id);
    await linkRefs(db, invoiceAccessTokens, invoiceAccessTokens.orderId, invoiceAccessTokens.orderRef, id);
  },
  writeRedis: writeOrderRedis,
});
