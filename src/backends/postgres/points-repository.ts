/**
 * The points balance (`users.points`) and ledger (`points_transactions`). Each change is one
 * transaction: the user row is locked, then ONE statement writes the new balance with its sync hash
 * (a conditional UPDATE, `… AND points >= n` for a redemption, so even a bug above cannot overdraw)
 * and inserts the ledger rows. Ledger `createdAt` strictly increases per user (`nextTimestamp`), so newest-first is
 * the order the entries were written in, as the Redis list is.
 *
 * The `…Tx` step functions take the caller's transaction, so checkout (redeem, earn) and refunds
 * (deduct) change points in the same transaction as orders, stock and promotions.
 */
import { randomUUID } from 'node:crypto';
import { desc, eq, sql } from 'drizzle-orm';
import type { PgInsertValue } from 'drizzle-orm/pg-core';
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
import { orders, pointsTransactions, type UserRow, users } from './schema.js';
import { insertRows, rowsOf, selectRows, type Tx, type WritePart, writeAll } from './transaction.js';
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
  const plan = planPointsWrites(deps, user, await latestLedgerAt(tx, userId), [
    {
      delta: move.delta,
      type: move.type,
      description,
      mustCover: move.mustCover,
      ...(move.orderId === undefined ? {} : { orderId: move.orderId }),
    },
  ]);
  await writeAll(tx, plan.writes);
  return { transaction: plan.transactions[0]!, balance: plan.balance };
}

/**
 * The user's row, locked for a balance change until the transaction ends (FOR NO KEY UPDATE: rows
 * that reference the user, such as a new order or ledger entry, can still be inserted alongside).
 */
export function lockPointsRow(tx: Tx, userId: string): Promise<UserRow[]> {
  return selectRows(tx, users, sql`where "id" = ${userId} for no key update`);
}

/**
 * The newest ledger `createdAt` of a user, undefined without entries. Run it after the row lock (a
 * later statement), so it sees every committed entry.
 */
export async function latestLedgerAt(tx: Tx, userId: string): Promise<Date | undefined> {
  const [row] = rowsOf(
    await tx.execute(
      sql`select max("created_at") as "at" from ${pointsTransactions} where "user_id" = ${userId}`,
    ),
  );
  const at = row?.at;
  return at === null || at === undefined
    ? undefined
    : (pointsTransactions.createdAt.mapFromDriverValue(at) as Date);
}

/** One balance change of a {@link planPointsWrites}, with its sign applied. */
export interface PlannedPointsMove {
  delta: number;
  type: PointsTransactionType;
  description: string;
  orderId?: string;
  /** Redeem: the balance must cover this much at this step (InsufficientPointsError otherwise). */
  mustCover?: number | undefined;
  /**
   * The order named by `orderId` is inserted by the same combined write (checkout): reference it
   * directly, since a sub-select in that statement could not see it yet.
   */
  orderInSameWrite?: boolean;
}

/**
 * Applies `moves` in order to a user whose row the caller has locked, and returns the new balance,
 * the ledger entries and the writes: ONE UPDATE of the user (new balance, `updatedAt`, sync hash),
 * guarded on the balance read, and ONE INSERT of every ledger row. Each entry's `createdAt` is later
 * than the user's `updatedAt` and the previous entry (`nextTimestamp`), so newest-first is write order.
 * @throws InsufficientPointsError a redemption the balance at its step does not cover (nothing written).
 * @throws ValidationError an amount or description out of range, or a balance that would leave `integer`.
 */
export function planPointsWrites(
  deps: PgDeps,
  user: User,
  latestAt: Date | string | null | undefined,
  moves: readonly PlannedPointsMove[],
): { balance: number; transactions: PointsTransaction[]; writes: WritePart[] } {
  let balance = user.points;
  let updatedAt = user.updatedAt;
  let latest = latestAt ? new Date(latestAt).toISOString() : undefined;
  // The lowest stored balance every redemption above still accepts: the UPDATE's last-line guard.
  let floor: number | undefined;
  const transactions: PointsTransaction[] = [];
  const rows: PgInsertValue<typeof pointsTransactions>[] = [];
  for (const move of moves) {
    checkPointsAmount('amount', Math.abs(move.delta), { allowZero: move.type === 'earn' });
    const description = checkText('description', move.description);
    if (move.mustCover !== undefined) {
      if (balance < move.mustCover) throw new InsufficientPointsError(user.id, move.mustCover, balance);
      floor = Math.max(floor ?? Number.NEGATIVE_INFINITY, user.points + move.mustCover - balance);
    }
    balance = checkBalance(user.id, balance + move.delta);
    const createdAt = nextTimestamp(deps.now(), updatedAt, latest);
    updatedAt = createdAt;
    latest = createdAt;
    const transaction: PointsTransaction = {
      id: randomUUID(),
      userId: user.id,
      amount: move.delta,
      type: move.type,
      description,
      ...(move.orderId === undefined ? {} : { orderId: move.orderId }),
      createdAt,
    };
    transactions.push(transaction);
    rows.push({
      ...toPointsTransactionRow(transaction, { userExists: true }),
      // Set only when the order exists (ledger entries outlive deleted orders, §8.6).
      orderRef:
        move.orderId === undefined
          ? null
          : move.orderInSameWrite
            ? move.orderId
            : sql`(select ${orders.id} from ${orders} where ${orders.id} = ${move.orderId})`,
      syncWrittenAt: deps.now(),
    });
  }
  if (rows.length === 0) return { balance, transactions, writes: [] };
  // Only the balance, `updatedAt` and the sync columns change; the hash covers the whole record.
  const { syncHash } = toUserRow({ ...user, points: balance, updatedAt });
  const floorGuard = floor === undefined ? sql`` : sql` and "points" >= ${floor}`;
  const writes: WritePart[] = [
    {
      what: `points balance of user ${user.id}`,
      query: sql`update ${users} set "points" = ${balance}, "updated_at" = ${updatedAt}::timestamptz,
          "sync_hash" = ${syncHash}, "sync_written_at" = ${deps.now().toISOString()}::timestamptz
        where "id" = ${user.id} and "points" = ${user.points}${floorGuard} returning "id"`,
      rows: 1,
    },
    {
      what: `points ledger of user ${user.id}`,
      query: insertRows(pointsTransactions, rows, pointsTransactions.id),
      rows: rows.length,
    },
  ];
  return { balance, transactions, writes };
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
