/** `points_transactions` rows ⇄ {@link PointsTransaction} (legacy-redis-format.md §4.3). */
import { canonicalHash } from '../../../domain/canonical.js';
import type { PointsTransaction } from '../../../domain/points.js';
import type { NewPointsTransactionRow, PointsTransactionRow } from '../schema/points.js';
import { extraColumn, NullTracker, RecordBuilder, toDate, toIso } from './common.js';

/** Which referenced rows are known to exist (their `*_ref` FK columns are set only then). */
export interface PointsRefs {
  userExists?: boolean;
  orderExists?: boolean;
}

/** The `points_transactions` insert row; `sync_written_at` is left to the caller. */
export function toPointsTransactionRow(
  record: PointsTransaction,
  refs: PointsRefs = {},
): NewPointsTransactionRow {
  const n = new NullTracker();
  return {
    id: record.id,
    userId: record.userId,
    userRef: refs.userExists ? record.userId : null,
    amount: record.amount,
    type: record.type,
    description: record.description,
    orderId: n.col('orderId', record.orderId),
    orderRef: refs.orderExists && record.orderId !== undefined ? record.orderId : null,
    createdAt: toDate(record.createdAt),
    extra: extraColumn(record.extra),
    legacyNulls: n.nulls,
    syncHash: canonicalHash(record),
  };
}

/** The ledger entry exactly as the codec decodes its legacy JSON. */
export function fromPointsTransactionRow(row: PointsTransactionRow): PointsTransaction {
  return new RecordBuilder(row.legacyNulls)
    .req('id', row.id)
    .req('userId', row.userId)
    .req('amount', row.amount)
    .req('type', row.type)
    .req('description', row.description)
    .opt('orderId', row.orderId)
    .req('createdAt', toIso(row.createdAt))
    .extra(row.extra)
    .build<PointsTransaction>();
}
