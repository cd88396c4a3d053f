/**
 * The points balance and ledger on the legacy keys (legacy-redis-format.md §2a #4–#5, §4.3, §7.3):
 * `user.points` in the user JSON, one `points:transaction:{txId}` record per change and the list
 * `points:user:{userId}` (LPUSH, newest first). The store's `addPoints` did GET user → SET user → SET
 * transaction → LPUSH with no lock, so concurrent changes lost updates (§8.5). Here the same three
 * writes are one unit of work guarded on the user record: a concurrent change makes the commit retry
 * on the fresh balance, so the balance always equals the ledger this layer wrote.
 *
 * The step functions take the caller's unit, so checkout (redeem, earn) and refunds (deduct) commit
 * points together with orders, stock and promotions.
 */
import { randomUUID } from 'node:crypto';
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
import { pointsTransactionValue } from '../../legacy/codecs/points.js';
import { userValue } from '../../legacy/codecs/user.js';
import { type RedisUnitOfWork, runUnitOfWork } from './atomic.js';
import type { RedisDeps } from './index.js';
import { readValue, readValues } from './record-io.js';
import { readUserStep, writeUserStep } from './user-repository.js';

/** One balance change requested by a caller; `amount` is positive, the step applies the sign. */
export interface PointsStepInput {
  userId: string;
  amount: number;
  description: string;
  /** Earn only. */
  orderId?: string;
}

/** Awards points inside the caller's unit (`type: "earn"`; `amount` may be 0). */
export async function earnPointsStep(
  deps: RedisDeps,
  uow: RedisUnitOfWork,
  input: PointsStepInput,
): Promise<PointsChange> {
  const amount = checkPointsAmount('amount', input.amount, { allowZero: true });
  const orderId = input.orderId === undefined ? undefined : checkId('orderId', input.orderId);
  return applyPoints(deps, uow, input, { delta: amount, type: 'earn', orderId });
}

/** Spends points inside the caller's unit; `InsufficientPointsError` when the balance is too small. */
export async function redeemPointsStep(
  deps: RedisDeps,
  uow: RedisUnitOfWork,
  input: PointsStepInput,
): Promise<PointsChange> {
  const amount = checkPointsAmount('amount', input.amount, { allowZero: false });
  return applyPoints(deps, uow, input, { delta: -amount, type: 'redeem', mustCover: amount });
}

/** Refund deduction inside the caller's unit (`admin_adjustment`); may take the balance below zero (§7.7). */
export async function deductPointsStep(
  deps: RedisDeps,
  uow: RedisUnitOfWork,
  input: PointsStepInput,
): Promise<PointsChange> {
  const amount = checkPointsAmount('amount', input.amount, { allowZero: false });
  return applyPoints(deps, uow, input, { delta: -amount, type: 'admin_adjustment' });
}

interface Movement {
  delta: number;
  type: PointsTransactionType;
  orderId?: string | undefined;
  /** Redeem: the balance must be at least this. */
  mustCover?: number;
}

async function applyPoints(
  deps: RedisDeps,
  uow: RedisUnitOfWork,
  input: PointsStepInput,
  move: Movement,
): Promise<PointsChange> {
  // Everything is validated before the first read, so a bad call never reaches the store.
  const userId = checkId('userId', input.userId);
  const description = checkText('description', input.description);
  const user = await readUserStep(deps, uow, userId);
  if (!user) throw new NotFoundError('user', userId);
  if (move.mustCover !== undefined && user.points < move.mustCover) {
    throw new InsufficientPointsError(userId, move.mustCover, user.points);
  }
  const balance = checkBalance(userId, user.points + move.delta);
  const now = nextTimestamp(deps.now(), user.updatedAt);
  const transaction: PointsTransaction = {
    id: randomUUID(),
    userId,
    amount: move.delta,
    type: move.type,
    description,
    ...(move.orderId === undefined ? {} : { orderId: move.orderId }),
    createdAt: now,
  };
  // addPoints' order: user, transaction record, ledger index (§7.3); committed as one.
  writeUserStep(deps, uow, { ...user, points: balance, updatedAt: now });
  uow.set(deps.keys.pointsTransaction(transaction.id), pointsTransactionValue.encode(transaction));
  uow.push({ op: 'lpush', key: deps.keys.pointsUser(userId), member: transaction.id });
  return { transaction, balance };
}

export function createRedisPointsRepository(deps: RedisDeps): PointsRepository {
  const { client, keys } = deps;
  const run = (what: string, step: (uow: RedisUnitOfWork) => Promise<PointsChange>) =>
    runUnitOfWork(client, what, step);

  return {
    earn: async (userId, amount, description, orderId) =>
      run(`earn points for ${userId}`, (uow) =>
        earnPointsStep(deps, uow, { userId, amount, description, orderId }),
      ),

    redeem: async (userId, amount, description) =>
      run(`redeem points of ${userId}`, (uow) =>
        redeemPointsStep(deps, uow, { userId, amount, description }),
      ),

    deduct: async (userId, amount, description) =>
      run(`deduct points of ${userId}`, (uow) =>
        deductPointsStep(deps, uow, { userId, amount, description }),
      ),

    async history(userId, opts = {}): Promise<PointsTransaction[]> {
      const id = checkId('userId', userId);
      const limit = checkLimit(opts.limit, 50);
      const offset = checkOffset(opts.offset);
      const txIds = await client.lRange(keys.pointsUser(id), offset, offset + limit - 1);
      const records = await readValues(
        client,
        pointsTransactionValue,
        txIds.map((txId) => keys.pointsTransaction(txId)),
      );
      // An id whose record is missing (a crash inside the store's addPoints, §8.5) is skipped.
      return records.filter((r): r is PointsTransaction => r !== null);
    },

    async balance(userId): Promise<number | null> {
      const id = checkId('userId', userId);
      const user = await readValue(client, userValue, keys.user(id));
      return user ? user.points : null;
    },
  };
}
