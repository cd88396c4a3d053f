/**
 * The points balance (`users.points`) and ledger (`points_transactions`). Each change is one
 * transaction: the user row is locked, the new balance written with its sync hash by one conditional
 * UPDATE (`… AND points >= n` for a redemption, so even a bug above cannot overdraw), and the ledger
 * row inserted. Ledger `createdAt` strictly increases per user (`nextTimestamp`), so newest-first is
 * the order the entries were written in, as the Redis list is.
 *
 * The `…Tx` step functions take the caller's transaction, so checkout (redeem, earn) and refunds
 * (deduct) change points in the same transaction as orders, stock and promotions.
 */
import { randomUUID } from 'node:crypto';
import { and, desc, eq, gte, max, sql } from 'drizzle-orm';
import {
  checkBalance,
  checkId,
  checkLimit,
  checkOffset,
  checkPointsAmount,
  checkText,
  nextTimestamp,
} from '../../domain/account-rules.js';
import { InsufficientPointsError, NotFoundError } from '../../domain/errors.js';
import type {
  PointsChange,
  PointsRepository,
  PointsTransaction,
  PointsTransactionType,
} from '../../domain/points.js';
import type { User } from '../../domain/user.js';
import type { PgDeps } from './index.js';
import { fromPointsTransactionRow, toPointsTransactionRow } from './mappers/points.js';
import { toUserRow } from './mappers/user.js';
import { orders, pointsTransactions, users } from './schema.js';
import type { Tx } from './transaction.js';
import { lockUserTx } from './user-repository.js';

/** One balance change requested by a caller; `amount` is positive, the step applies the sign. */
export interface PointsTxInput {
  userId: string;
  amount: number;
  description: string;
  /** Earn only. */
  orderId?: string;
}

/** Awards points inside the caller's transaction (`type: "earn"`; `amount` may be 0). */
export async function earnPointsTx(deps: PgDeps, tx: Tx, input: PointsTxInput): Promise<PointsChange> {
  const amount = checkPointsAmount('amount', input.amount, { allowZero: true });
  const orderId = input.orderId === undefined ? undefined : checkId('orderId', input.orderId);
  return applyPoints(deps, tx, input, { delta: amount, type: 'earn', orderId });
}

/** Spends points inside the caller's transaction; `InsufficientPointsError` when the balance is too small. */
export async function redeemPointsTx(deps: PgDeps, tx: Tx, input: PointsTxInput): Promise<PointsChange> {
  const amount = checkPointsAmount('amount', input.amount, { allowZero: false });
  return applyPoints(deps, tx, input, { delta: -amount, type: 'redeem', mustCover: amount });
}

/** Refund deduction inside the caller's transaction (`admin_adjustment`); may go below zero (§7.7). */
export async function deductPointsTx(deps: PgDeps, tx: Tx, input: PointsTxInput): Promise<PointsChange> {
  const amount = checkPointsAmount('amount', input.amount, { allowZero: false });
  return applyPoints(deps, tx, input, { delta: -amount, type: 'admin_adjustment' });
}

interface Movement {
  delta: number;
  type: PointsTransactionType;
  orderId?: string | undefined;
  mustCover?: number;
}

async function applyPoints(
  deps: PgDeps,
  tx: Tx,
  input: PointsTxInput,
  move: Movement,
): Promise<PointsChange> {
  const userId = checkId('userId', input.userId);
  const description = checkText('description', input.description);
  const user = await lockUserTx(tx, userId);
  if (!user) throw new NotFoundError('user', userId);
  if (move.mustCover !== undefined && user.points < move.mustCover) {
    throw new InsufficientPointsError(userId, move.mustCover, user.points);
  }
  const balance = checkBalance(userId, user.points + move.delta);
  const [latest] = await tx
    .select({ at: max(pointsTransactions.createdAt) })
    .from(pointsTransactions)
    .where(eq(pointsTransactions.userId, userId));
  const latestAt = latest?.at ? new Date(latest.at).toISOString() : undefined;
  const now = nextTimestamp(deps.now(), user.updatedAt, latestAt);
  const transaction: PointsTransaction = {
    id: randomUUID(),
    userId,
    amount: move.delta,
    type: move.type,
    description,
    ...(move.orderId === undefined ? {} : { orderId: move.orderId }),
    createdAt: now,
  };
  const next: User = { ...user, points: balance, updatedAt: now };
  const guard =
    move.mustCover === undefined
      ? eq(users.points, user.points)
      : and(eq(users.points, user.points), gte(users.points, move.mustCover));
  const written = await tx
    .update(users)
    .set({ ...toUserRow(next), syncWrittenAt: deps.now() })
    .where(and(eq(users.id, userId), guard))
    .returning({ points: users.points });
  if (written.length !== 1) {
    // Unreachable while the row lock holds; the conditional UPDATE is the last line of defence.
    if (move.mustCover !== undefined) throw new InsufficientPointsError(userId, move.mustCover, user.points);
    throw new Error(`user ${userId} changed while its row was locked`);
  }
  await tx.insert(pointsTransactions).values({
    ...toPointsTransactionRow(transaction, { userExists: true }),
    // Set only when the order exists (ledger entries outlive deleted orders, §8.6).
    orderRef:
      transaction.orderId === undefined
        ? null
        : sql`(select ${orders.id} from ${orders} where ${orders.id} = ${transaction.orderId})`,
    syncWrittenAt: deps.now(),
  });
  return { transaction, balance };
}

export function createPostgresPointsRepository(deps: PgDeps): PointsRepository {
  const { db } = deps.pg;
  const run = (step: (tx: Tx) => Promise<PointsChange>) => db.transaction(step);

  return {
    earn: async (userId, amount, description, orderId) =>
      run((tx) => earnPointsTx(deps, tx, { userId, amount, description, orderId })),

    redeem: async (userId, amount, description) =>
      run((tx) => redeemPointsTx(deps, tx, { userId, amount, description })),

    deduct: async (userId, amount, description) =>
      run((tx) => deductPointsTx(deps, tx, { userId, amount, description })),

    async history(userId, opts = {}) {
      const id = checkId('userId', userId);
      const limit = checkLimit(opts.limit, 50);
      const offset = checkOffset(opts.offset);
      const rows = await db
        .select()
        .from(pointsTransactions)
        .where(eq(pointsTransactions.userId, id))
        .orderBy(desc(pointsTransactions.createdAt), desc(sql`${pointsTransactions.id} collate "C"`))
        .limit(limit)
        .offset(offset);
      return rows.map(fromPointsTransactionRow);
    },

    async balance(userId) {
      const id = checkId('userId', userId);
      const [row] = await db.select({ points: users.points }).from(users).where(eq(users.id, id));
      return row ? row.points : null;
    },
  };
}
