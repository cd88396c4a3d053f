/**
 * Checkout in ONE transaction composing every domain's `…Tx` step: the order row is inserted first
 * (claiming the id: a concurrent checkout of the same id waits on the primary key and then replays),
 * then the user's points, the completion and its earn, product stock (in slug order) and the
 * promotion counter; any failure rolls all of it back. Rows are locked in one order everywhere
 * (order → user → products → promotion; refunds: refund → user → products), so concurrent checkouts
 * and refunds queue instead of deadlocking, and the rows every checkout shares are held only at the end.
 */
import { and, eq } from 'drizzle-orm';
import type { CheckoutService, PlaceOrderInput, PlaceOrderResult } from '../../domain/checkout.js';
import {
  checkoutOrder,
  lineName,
  precheckStock,
  replayCandidate,
  stockMoves,
  validatePlaceOrder,
} from '../../domain/checkout-rules.js';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import { pointsDescription, samePurchase } from '../../domain/order-rules.js';
import { baseStock, variantStock } from '../../domain/product.js';
import { staticProduct } from '../../domain/static-catalogue.js';
import type { PgDeps } from './index.js';
import { completeOrderTx, createOrderTx, readOrderTx } from './order-repository.js';
import { redeemPointsTx } from './points-repository.js';
import { adjustProductStockTx } from './product-repository.js';
import { findPromotionTx, redeemPromotionTx } from './promotion-repository.js';
import { products, productVariants, users } from './schema.js';
import type { Tx } from './transaction.js';

/** Each line's product name (see lineName). */
async function lineNames(tx: Tx, input: PlaceOrderInput): Promise<string[]> {
  const names: string[] = [];
  for (const line of input.lines) {
    const [row] =
      line.productName === undefined
        ? await tx.select({ name: products.name }).from(products).where(eq(products.slug, line.slug))
        : [];
    names.push(lineName(line, row?.name));
  }
  return names;
}

/** Current stock of a move's product or variant without locking (null = neither stored nor static). */
async function availableStock(tx: Tx, move: { slug: string; variantId?: string }): Promise<number | null> {
  const [row] = await tx.select({ stock: products.stock }).from(products).where(eq(products.slug, move.slug));
  if (!row) {
    const fallback = staticProduct(move.slug);
    return (
      fallback &&
      (move.variantId === undefined ? baseStock(fallback) : variantStock(fallback, move.variantId))
    );
  }
  if (move.variantId === undefined) return row.stock ?? 0;
  const [variant] = await tx
    .select({ stock: productVariants.stock })
    .from(productVariants)
    .where(and(eq(productVariants.productSlug, move.slug), eq(productVariants.variantId, move.variantId)));
  return variant?.stock ?? 0;
}

/** Places one order inside a caller's transaction (see {@link CheckoutService.placeOrder}). */
export async function placeOrderTx(deps: PgDeps, tx: Tx, input: PlaceOrderInput): Promise<PlaceOrderResult> {
  const now = deps.now();
  const stored = await readOrderTx(tx, input.orderId, true);
  if (stored) {
    if (!samePurchase(stored, replayCandidate(input, stored, now))) {
      throw new ConflictError('order', input.orderId, 'exists with different items or amounts');
    }
    return { order: stored, replayed: true };
  }
  if (input.userId !== undefined) {
    const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.id, input.userId));
    if (!user) throw new NotFoundError('user', input.userId);
  }
  const promotion =
    input.promotionId !== undefined || input.promotionCode !== undefined
      ? await findPromotionTx(deps, tx, input)
      : undefined;
  const created = await createOrderTx(
    deps,
    tx,
    checkoutOrder(input, await lineNames(tx, input), promotion?.id, now),
  );
  // Another checkout of this id committed between the read above and the insert: this is a replay.
  if (!created.created) return { order: created.order, replayed: true };
  // A cheap unlocked stock check first, so a sold-out checkout fails before it locks or writes more.
  const moves = stockMoves(input.lines);
  for (const move of moves) precheckStock(move, await availableStock(tx, move));
  // Points and completion (user row), then the hot rows many checkouts share: product stock and
  // the promotion counter, locked last so each checkout holds them only briefly before its commit.
  if (input.pointsToRedeem && input.userId !== undefined) {
    await redeemPointsTx(deps, tx, {
      userId: input.userId,
      amount: input.pointsToRedeem,
      description: pointsDescription.redeem(input.orderId),
    });
  }
  const placed = input.complete === false ? created.order : await completeOrderTx(deps, tx, input.orderId);
  for (const move of moves) {
    await adjustProductStockTx(deps, tx, {
      slug: move.slug,
      variantId: move.variantId,
      delta: -move.quantity,
    });
  }
  if (promotion) await redeemPromotionTx(deps, tx, promotion.id);
  return { order: placed, replayed: false };
}

export function createPostgresCheckoutService(deps: PgDeps): CheckoutService {
  return {
    async placeOrder(input) {
      validatePlaceOrder(input);
      return deps.pg.db.transaction((tx) => placeOrderTx(deps, tx, input));
    },
  };
}
