/** The points ledger (`points:transaction:{id}`, legacy-redis-format.md §4.3). */
import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { legacyColumns, syncColumns, tstz } from './columns.js';
import { pointsTransactionType } from './enums.js';
import { orders } from './orders.js';
import { users } from './users.js';

export const pointsTransactions = pgTable(
  'points_transactions',
  {
    id: text('id').primaryKey(),
    /** The legacy userId, kept when the user was deleted (decisions.md §6). No FK. */
    userId: text('user_id').notNull(),
    userRef: text('user_ref').references(() => users.id, { onDelete: 'set null' }),
    /** Positive earns, negative redeems/deducts, 0 possible. */
    amount: integer('amount').notNull(),
    type: pointsTransactionType('type').notNull(),
    description: text('description').notNull(),
    /** Earn transactions only; kept when the order was deleted (the real data has such rows, §8.6). */
    orderId: text('order_id'),
    orderRef: text('order_ref').references(() => orders.id, { onDelete: 'set null' }),
    createdAt: tstz('created_at').notNull().defaultNow(),
    ...legacyColumns(),
    ...syncColumns(),
  },
  (t) => [
    index('points_transactions_user_id_idx').on(t.userId, t.createdAt.desc()),
    index('points_transactions_user_ref_idx').on(t.userRef),
    index('points_transactions_order_id_idx').on(t.orderId).where(sql`${t.orderId} IS NOT NULL`),
    index('points_transactions_order_ref_idx').on(t.orderRef),
  ],
);

export type PointsTransactionRow = typeof pointsTransactions.$inferSelect;
export type NewPointsTransactionRow = typeof pointsTransactions.$inferInsert;
