/**
 * Checkout in ONE transaction of few round trips:
 * 1. one pipelined batch of reads that lock, in the one order every checkout uses: the user's row
 *    (points), the products in slug order (after copying static-only ones in), then their variant
 *    rows (read after the lock, so current) and the promotion;
 * 2. every domain rule checked on what was read (stock, points, promotion), nothing written yet;
 * 3. ONE statement that writes everything: the order (already completed, with its items), the points
 *    balance and ledger (redeem + earn), the variant and base stock, the promotion counter.
 * The user row comes first because the order and ledger inserts take a share lock on it (their
 * foreign key): taking it later, as an upgrade, is what let two checkouts of one user deadlock.
 * Refunds lock refund → user → products, so the two still queue in one order.
 *
 * Idempotency: the order insert has no ON CONFLICT. An id that exists (or is being inserted by a
 * concurrent call, which it waits for) fails the write with a unique violation; the transaction then
 * rolls back and the call is answered from the stored order. A call refused by a rule (sold out,
 * points spent) also looks for a stored order first, so a replayed webhook is answered as a replay.
 */
import type { CheckoutService, PlaceOrderInput, PlaceOrderResult } from '../../domain/checkout.js';
import {
  checkoutOrder,
  lineName,
  replayCandidate,
  stockMoves,
  validatePlaceOrder,
} from '../../domain/checkout-rules.js';
import { ConflictError, DomainError, NotFoundError } from '../../domain/errors.js';
import type { Order } from '../../domain/order.js';
import { completedOrder, pointsDescription, samePurchase } from '../../domain/order-rules.js';
import type { PgDeps } from './index.js';
import { fromUserRow } from './mappers/user.js';
import { insertOrderWrites, readOrderTx } from './order-repository.js';
import {
  latestLedgerAt,
  lockPointsRow,
  type PlannedPointsMove,
  planPointsWrites,
} from './points-repository.js';
import { copyStaticProducts, lockProducts, planStockTakes, variantsOf } from './product-repository.js';
import { lockPromotion, planPromotionRedeem } from './promotion-repository.js';
import {
  pipelined,
  retryTransient,
  sqlState,
  type Tx,
  violatedConstraint,
  type WritePart,
  writeAll,
} from './transaction.js';

/** A query slot a checkout does not need (guest, no promotion): settles at once with no rows. */
const none = Promise.resolve([] as never[]);

/**
 * Places one order in its own transaction (see {@link CheckoutService.placeOrder}). Not for a caller's
 * transaction: an existing order id fails its write with a unique violation, which aborts the transaction.
 */
async function placeOrderTx(deps: PgDeps, tx: Tx, input: PlaceOrderInput): Promise<PlaceOrderResult> {
  const now = deps.now();
  const { userId } = input;
  const moves = stockMoves(input.lines);
  const slugs = [...new Set(moves.map((m) => m.slug))];
  const promotionRef = input.promotionId !== undefined || input.promotionCode !== undefined;
  // Started in this order, so sent and run in this order: locks, then the reads that follow them.
  const [userRows, latestAt, , productRows, variantRows, promotionRows] = await pipelined(
    userId === undefined ? none : lockPointsRow(tx, userId),
    userId === undefined ? undefined : latestLedgerAt(tx, userId),
    copyStaticProducts(deps, tx, slugs),
    lockProducts(tx, slugs),
    variantsOf(tx, slugs),
    promotionRef ? lockPromotion(tx, input) : none,
  );

  // The rules, in the order the Redis backend applies them: user, promotion, stock, points, promotion limits.
  const userRow = userRows[0];
  if (userId !== undefined && !userRow) throw new NotFoundError('user', userId);
  const promotionRow = promotionRows[0];
  if (promotionRef && !promotionRow) {
    throw new NotFoundError('promotion', input.promotionId ?? input.promotionCode ?? '');
  }
  const stock = planStockTakes(deps, productRows, variantRows, moves);
  const names = input.lines.map((line) => lineName(line, stock.products.get(line.slug)?.name));
  const pending = checkoutOrder(input, names, promotionRow?.id, now);
  const inserted = insertOrderWrites(
    deps,
    input.complete === false ? pending : completedOrder(pending, now),
    userRow !== undefined,
  );
  const { order } = inserted;
  const writes: WritePart[] = [...inserted.writes];
  if (userRow) {
    const pointsMoves: PlannedPointsMove[] = [];
    if (input.pointsToRedeem) {
      pointsMoves.push({
        delta: -input.pointsToRedeem,
        type: 'redeem',
        description: pointsDescription.redeem(order.id),
        mustCover: input.pointsToRedeem,
      });
    }
    // Completion awards the order's points in the same unit (an earn entry even for 0 points).
    if (order.status === 'completed' && order.pointsEarned >= 0) {
      pointsMoves.push({
        delta: order.pointsEarned,
        type: 'earn',
        description: pointsDescription.earn(order.id),
        orderId: order.id,
        orderInSameWrite: true,
      });
    }
    writes.push(...planPointsWrites(deps, fromUserRow(userRow), latestAt, pointsMoves).writes);
  }
  writes.push(...stock.writes);
  if (promotionRow) writes.push(planPromotionRedeem(deps, tx, promotionRow).write);
  await writeAll(tx, writes);
  return { order, replayed: false };
}

/** The answer to a call whose order id is already stored: a replay, or a conflict when it differs. */
function replayOf(input: PlaceOrderInput, stored: Order, now: Date): PlaceOrderResult {
  if (!samePurchase(stored, replayCandidate(input, stored, now))) {
    throw new ConflictError('order', input.orderId, 'exists with different items or amounts');
  }
  return { order: stored, replayed: true };
}

export function createPostgresCheckoutService(deps: PgDeps): CheckoutService {
  const { db } = deps.pg;
  return {
    async placeOrder(input) {
      validatePlaceOrder(input);
      // Locks are taken in one order, so deadlocks should not happen; a deadlock or serialization
      // failure with another writer (the whole transaction rolled back) is still retried.
      return retryTransient(async () => {
        try {
          return await db.transaction((tx) => placeOrderTx(deps, tx, input));
        } catch (err) {
          const duplicate = sqlState(err) === '23505' && violatedConstraint(err) === 'orders_pkey';
          if (!duplicate && !(err instanceof DomainError)) throw err;
          const stored = await readOrderTx(db, input.orderId);
          if (stored) return replayOf(input, stored, deps.now());
          // The id vanished after its insert collided (deleted meanwhile): place the order again.
          if (duplicate) return db.transaction((tx) => placeOrderTx(deps, tx, input));
          throw err;
        }
      });
    },
  };
}
