/**
 * Checkout on the legacy layout: ONE unit of work composes the steps of every domain it touches
 * (order + indexes, points, completion + earn, product stock, promotion), so the commit writes all
 * of them or nothing. A concurrent change to any record read (a product's stock, the user's balance,
 * the promotion counter, the order id) makes the whole unit re-run on fresh values.
 */
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
import { type RedisUnitOfWork, runUnitOfWork } from './atomic.js';
import type { RedisDeps } from './index.js';
import { completeOrderStep, createOrderStep, readOrderStep } from './order-repository.js';
import { redeemPointsStep } from './points-repository.js';
import { adjustProductStockStep, readProductStep } from './product-repository.js';
import { findPromotionStep, redeemPromotionStep } from './promotion-repository.js';
import { readUserStep } from './user-repository.js';

/** Places one order inside a caller's unit (see {@link CheckoutService.placeOrder}). */
export async function placeOrderStep(
  deps: RedisDeps,
  uow: RedisUnitOfWork,
  input: PlaceOrderInput,
): Promise<PlaceOrderResult> {
  const now = deps.now();
  const stored = await readOrderStep(deps, uow, input.orderId);
  if (stored) {
    if (!samePurchase(stored, replayCandidate(input, stored, now))) {
      throw new ConflictError('order', input.orderId, 'exists with different items or amounts');
    }
    return { order: stored, replayed: true };
  }
  if (input.userId !== undefined && !(await readUserStep(deps, uow, input.userId))) {
    throw new NotFoundError('user', input.userId);
  }
  const promotion =
    input.promotionId !== undefined || input.promotionCode !== undefined
      ? await findPromotionStep(deps, uow, input)
      : undefined;
  const moves = stockMoves(input.lines);
  for (const move of moves) {
    const product = (await readProductStep(deps, uow, move.slug)) ?? staticProduct(move.slug);
    const available =
      product && (move.variantId === undefined ? baseStock(product) : variantStock(product, move.variantId));
    precheckStock(move, available);
  }
  const names: string[] = [];
  for (const line of input.lines) {
    names.push(lineName(line, (await readProductStep(deps, uow, line.slug))?.name));
  }
  const { order } = await createOrderStep(deps, uow, checkoutOrder(input, names, promotion?.id, now));
  // The same order of steps (and so of failures) as the Postgres transaction: stock check, points,
  // completion, stock, promotion counter.
  if (input.pointsToRedeem && input.userId !== undefined) {
    await redeemPointsStep(deps, uow, {
      userId: input.userId,
      amount: input.pointsToRedeem,
      description: pointsDescription.redeem(input.orderId),
    });
  }
  const placed = input.complete === false ? order : await completeOrderStep(deps, uow, order.id);
  for (const move of moves) {
    await adjustProductStockStep(deps, uow, {
      slug: move.slug,
      variantId: move.variantId,
      delta: -move.quantity,
    });
  }
  if (promotion) await redeemPromotionStep(deps, uow, promotion.id);
  return { order: placed, replayed: false };
}

export function createRedisCheckoutService(deps: RedisDeps): CheckoutService {
  return {
    async placeOrder(input) {
      validatePlaceOrder(input);
      return runUnitOfWork(deps.client, `checkout ${input.orderId}`, (uow) =>
        placeOrderStep(deps, uow, input),
      );
    },
  };
}
