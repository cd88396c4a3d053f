/**
 * Refunds on the legacy layout: `refund:{id}` (JSON through the codec), `refunds:index` and the
 * order's set `order:{orderId}:refunds` (never removed, §7.8). Completing a refund is ONE unit of
 * work with its stock and points effects, guarded on the refund record, so it applies exactly once.
 */
import { ConflictError, DomainError, NotFoundError } from '../../domain/errors.js';
import { requireId } from '../../domain/field-rules.js';
import { pointsDescription } from '../../domain/order-rules.js';
import type {
  NewRefund,
  Refund,
  RefundCompletion,
  RefundProcessing,
  RefundRepository,
  RestockOutcome,
} from '../../domain/refund.js';
import {
  buildRefund,
  checkStatusChange,
  compareRefunds,
  completedRefund,
  refundWithStatus,
  restockOrder,
  validateNewRefund,
} from '../../domain/refund-rules.js';
import { refundValue } from '../../legacy/codecs/refund.js';
import { type RedisUnitOfWork, runUnitOfWork } from './atomic.js';
import type { RedisDeps } from './index.js';
import { readOrderStep } from './order-repository.js';
import { deductPointsStep } from './points-repository.js';
import { adjustProductStockStep } from './product-repository.js';
import { readInUnit, readValue, readValues } from './record-io.js';
import { readUserStep } from './user-repository.js';

function readRefundStep(deps: RedisDeps, uow: RedisUnitOfWork, id: string): Promise<Refund | null> {
  return readInUnit(uow, refundValue, deps.keys.refund(id));
}

/**
 * Puts one refund item back into stock inside the unit: the variant when the item names one, else the
 * base stock (static slugs are copied in first). A product that does not exist, or an item the stock
 * rules refuse, is reported instead of thrown: the store logged and ignored these errors (§7.7).
 */
async function restockStep(
  deps: RedisDeps,
  uow: RedisUnitOfWork,
  item: Refund['items'][number],
): Promise<RestockOutcome> {
  const variantId = item.variantId ?? undefined;
  const outcome: RestockOutcome = {
    productSlug: item.productSlug,
    quantity: item.quantity,
    status: 'restored',
  };
  if (variantId !== undefined) outcome.variantId = variantId;
  try {
    await adjustProductStockStep(deps, uow, { slug: item.productSlug, variantId, delta: item.quantity });
    return outcome;
  } catch (err) {
    // The stock step validates and reads before it queues anything, so a refusal leaves the unit clean.
    if (!(err instanceof DomainError)) throw err;
    return { ...outcome, status: 'skipped', reason: err.message };
  }
}

/**
 * Takes the refund's `pointsToDeduct` from the order's current user inside the unit; 0 when the
 * order is gone, is a guest order, or its user no longer exists (the store's deductPoints failed).
 */
async function deductStep(deps: RedisDeps, uow: RedisUnitOfWork, refund: Refund): Promise<number> {
  if (!refund.pointsToDeduct || refund.pointsToDeduct < 0) return 0;
  const order = await readOrderStep(deps, uow, refund.orderId);
  if (!order?.userId || !(await readUserStep(deps, uow, order.userId))) return 0;
  await deductPointsStep(deps, uow, {
    userId: order.userId,
    amount: refund.pointsToDeduct,
    description: pointsDescription.refund(refund.orderId),
  });
  return refund.pointsToDeduct;
}

/** Completes a refund with its effects inside a caller's unit (see RefundRepository.completeRefund). */
export async function completeRefundStep(
  deps: RedisDeps,
  uow: RedisUnitOfWork,
  id: string,
  processing: RefundProcessing = {},
): Promise<RefundCompletion> {
  const refund = await readRefundStep(deps, uow, id);
  if (!refund) throw new NotFoundError('refund', id);
  const done = completedRefund(refund, processing, deps.now());
  if (!done) return { refund, applied: false, restock: [], pointsDeducted: 0 };
  uow.set(deps.keys.refund(id), refundValue.encode(done));
  // Points (user row) before stock (product rows): the lock order checkout uses.
  const pointsDeducted = await deductStep(deps, uow, done);
  const restock: RestockOutcome[] = [];
  if (done.restoreInventory) {
    for (const i of restockOrder(done.items)) restock[i] = await restockStep(deps, uow, done.items[i]!);
  }
  return { refund: done, applied: true, restock, pointsDeducted };
}

export function createRedisRefundRepository(deps: RedisDeps): RefundRepository {
  const { client, keys } = deps;

  const many = async (ids: string[]) =>
    (await readValues(client, refundValue, ids.map(keys.refund)))
      .filter((r): r is Refund => r !== null)
      .sort(compareRefunds);

  return {
    async create(input: NewRefund) {
      validateNewRefund(input);
      return runUnitOfWork(client, `create refund for ${input.orderId}`, async (uow) => {
        const order = await readOrderStep(deps, uow, input.orderId);
        if (!order) throw new NotFoundError('order', input.orderId);
        const refund = buildRefund(input, order, deps.now());
        if (await uow.get(keys.refund(refund.id)))
          throw new ConflictError('refund', refund.id, 'a refund with this id exists');
        uow.set(keys.refund(refund.id), refundValue.encode(refund));
        uow.push({ op: 'sadd', key: keys.refundsIndex(), member: refund.id });
        uow.push({ op: 'sadd', key: keys.orderRefunds(order.id), member: refund.id });
        return refund;
      });
    },

    async setStatus(id, status, processing = {}) {
      requireId('id', id);
      checkStatusChange(status, processing);
      return runUnitOfWork(client, `set status of refund ${id}`, async (uow) => {
        const refund = await readRefundStep(deps, uow, id);
        if (!refund) throw new NotFoundError('refund', id);
        const next = refundWithStatus(refund, status, processing);
        uow.set(keys.refund(id), refundValue.encode(next));
        return next;
      });
    },

    get: (id) => readValue(client, refundValue, keys.refund(id)),

    byOrder: async (orderId) => many(await client.sMembers(keys.orderRefunds(orderId))),

    list: async () => many(await client.sMembers(keys.refundsIndex())),

    async completeRefund(id, processing = {}) {
      requireId('id', id);
      return runUnitOfWork(client, `complete refund ${id}`, (uow) =>
        completeRefundStep(deps, uow, id, processing),
      );
    },
  };
}
