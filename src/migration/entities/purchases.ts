/**
 * Business expenses (legacy-redis-format.md §4.5): `purchase:{id}` with three index sets:
 * `purchases:index`, `purchases:vendor:{vendorName.toLowerCase()}` and `purchases:date:{YYYY-MM}`. A
 * copy moves the vendor/date memberships like updatePurchase; a delete removes all three like
 * deletePurchase.
 */
import { fromPurchaseRow, toPurchaseRows } from '../../backends/postgres/mappers/purchase.js';
import {
  type PurchaseItemRow,
  type PurchaseRow,
  purchaseItems,
  purchases,
} from '../../backends/postgres/schema/purchases.js';
import type { Purchase } from '../../domain/purchase.js';
import type { LegacyKeys } from '../../legacy/keys.js';
import { encodeFamily, readCurrent, redisUnit } from './redis-io.js';
import { recordEntity } from './record-entity.js';

/** The three sets a purchase belongs to. */
function purchaseSets(keys: LegacyKeys, p: Purchase): string[] {
  return [
    keys.purchasesIndex(),
    keys.purchasesVendor(p.vendorName.toLowerCase()),
    keys.purchasesDate(p.purchaseDate.slice(0, 7)),
  ];
}

export const purchasesEntity = recordEntity({
  name: 'purchases',
  domain: 'purchases',
  family: 'purchase',
  recordKey: (keys, id) => keys.purchase(id),
  indexes: [{ kind: 'set', key: (ctx) => ctx.keys.purchasesIndex() }],
  table: purchases,
  idColumn: purchases.id,
  child: { table: purchaseItems, parentColumn: purchaseItems.purchaseId, parentField: 'purchaseId' },
  toRows: async (_db, record) => {
    const rows = toPurchaseRows(record);
    return { row: rows.purchase, children: rows.items };
  },
  fromRows: (row, items) => fromPurchaseRow(row as PurchaseRow, items as PurchaseItemRow[]),

  writeRedis(ctx, id, record) {
    const { keys } = ctx;
    return redisUnit(ctx, `copy purchase ${id}`, async (uow) => {
      const key = keys.purchase(id);
      const current = await readCurrent(uow, 'purchase', key);
      const existed = (await uow.get(key)) !== null;
      const next = record === null ? [] : purchaseSets(keys, record);
      for (const set of current ? purchaseSets(keys, current) : [keys.purchasesIndex()]) {
        if (!next.includes(set)) uow.push({ op: 'srem', key: set, member: id });
      }
      if (record === null) {
        uow.del(key);
        return existed ? 'deleted' : 'absent';
      }
      uow.set(key, encodeFamily('purchase', record));
      for (const set of next) uow.push({ op: 'sadd', key: set, member: id });
      return 'written';
    });
  },
});
