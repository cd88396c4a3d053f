/**
 * Orders on the legacy layout: `order:{id}` (JSON through the codec), `orders:index`, and the lists
 * `orders:user:{userId}` / `orders:guest:{emailLower}` (LPUSH, newest first, duplicates possible, §5).
 * Every change is one guarded unit of work: record and index entries are written together, and
 * completion awards its points exactly once. The step functions take a caller's unit so checkout can
 * commit an order together with stock, points and promotion changes.
 */
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import { requireId } from '../../domain/field-rules.js';
import type { GuestLinkResult, Order, OrderPageRequest, OrderRepository } from '../../domain/order.js';
import {
  applyShippingUpdate,
  compareNewestFirst,
  completedOrder,
  guestListEmail,
  isLinkableGuestOrder,
  linkEmail,
  linkedOrder,
  pageOf,
  pointsDescription,
  readPageRequest,
  samePurchase,
  uniqueIds,
  validateOrder,
  validateShippingUpdate,
} from '../../domain/order-rules.js';
import { orderValue } from '../../legacy/codecs/order.js';
import { type RedisUnitOfWork, runUnitOfWork } from './atomic.js';
import type { RedisDeps } from './index.js';
import { earnPointsStep } from './points-repository.js';
import { readInUnit, readValue, readValues } from './record-io.js';
import { readUserStep } from './user-repository.js';

/** Reads an order inside a unit (the read guards the commit); null when absent. */
export function readOrderStep(deps: RedisDeps, uow: RedisUnitOfWork, id: string): Promise<Order | null> {
  return readInUnit(uow, orderValue, deps.keys.order(id));
}

/** The list an order is indexed in, chosen by its current userId (as createOrder and deleteOrder do). */
function ownerList(deps: RedisDeps, order: Order): string {
  return order.userId !== undefined
    ? deps.keys.ordersUser(order.userId)
    : deps.keys.ordersGuest(guestListEmail(order.email));
}

/**
 * Writes a new order with its index entries inside a caller's unit, or, when the id exists with the
 * same purchase content, returns the stored order and queues nothing (`created: false`).
 * @throws ValidationError bad input. @throws ConflictError the id exists with other content.
 */
export async function createOrderStep(
  deps: RedisDeps,
  uow: RedisUnitOfWork,
  order: Order,
): Promise<{ order: Order; created: boolean }> {
  validateOrder(order);
  const existing = await readOrderStep(deps, uow, order.id);
  if (existing) {
    if (!samePurchase(existing, order)) {
      throw new ConflictError('order', order.id, 'exists with different items or amounts');
    }
    return { order: existing, created: false };
  }
  const stored = orderValue.decode(deps.keys.order(order.id), orderValue.encode(order));
  if (!stored.ok)
    throw new Error(`order ${order.id} does not survive its own codec: ${stored.error.problem}`);
  uow.set(deps.keys.order(order.id), orderValue.encode(order));
  uow.push({ op: 'sadd', key: deps.keys.ordersIndex(), member: order.id });
  uow.push({ op: 'lpush', key: ownerList(deps, order), member: order.id });
  return { order: stored.value, created: true };
}

/**
 * Awards an order's points to its user inside a caller's unit: one `earn` with the order id. Nothing
 * for guests or for a user id that names no user (the store's addPoints failed there, §7.2).
 */
async function awardStep(
  deps: RedisDeps,
  uow: RedisUnitOfWork,
  order: Order,
  description: string,
): Promise<number> {
  if (order.userId === undefined || order.pointsEarned < 0) return 0;
  if (!(await readUserStep(deps, uow, order.userId))) return 0;
  await earnPointsStep(deps, uow, {
    userId: order.userId,
    amount: order.pointsEarned,
    description,
    orderId: order.id,
  });
  return order.pointsEarned;
}

/**
 * Completes a pending order and awards its points inside a caller's unit; an order already completed
 * is returned unchanged (the guarded read makes a concurrent second completion retry and see it).
 * @throws NotFoundError no such order.
 */
export async function completeOrderStep(deps: RedisDeps, uow: RedisUnitOfWork, id: string): Promise<Order> {
  const order = await readOrderStep(deps, uow, id);
  if (!order) throw new NotFoundError('order', id);
  if (order.status === 'completed') return order;
  const done = completedOrder(order, deps.now());
  uow.set(deps.keys.order(id), orderValue.encode(done));
  await awardStep(deps, uow, done, pointsDescription.earn(id));
  return done;
}

export function createRedisOrderRepository(deps: RedisDeps): OrderRepository {
  const { client, keys } = deps;

  /** Reads the orders behind a list of ids (MGET in batches), each once, skipping dangling ids. */
  async function ordersOf(ids: readonly string[]): Promise<Order[]> {
    const unique = uniqueIds(ids);
    const found = await readValues(client, orderValue, unique.map(keys.order));
    return found.filter((o): o is Order => o !== null).sort(compareNewestFirst);
  }

  /**
   * Every order id any index names: `orders:index` plus every user and guest list, which also hold
   * the orders written before the index existed (2025-12-03 19:45, §8.2).
   */
  async function indexedIds(): Promise<string[]> {
    const ids = await client.sMembers(keys.ordersIndex());
    for (const family of ['ordersUser', 'ordersGuest'] as const) {
      for await (const batch of client.scanIterator({ MATCH: keys.scanPattern(family), COUNT: 1000 })) {
        for (const listKey of batch) ids.push(...(await client.lRange(listKey, 0, -1)));
      }
    }
    return ids;
  }

  return {
    create: async (order) =>
      (await runUnitOfWork(client, `create order ${order?.id}`, (uow) => createOrderStep(deps, uow, order)))
        .order,

    get: (id) => readValue(client, orderValue, keys.order(id)),

    async byUser(userId: string, page?: OrderPageRequest) {
      const { limit, after } = readPageRequest(page);
      const ids = await client.lRange(keys.ordersUser(userId), 0, -1);
      const mine = (await ordersOf(ids)).filter((o) => o.userId === userId);
      return pageOf(mine, limit, after);
    },

    async guestByEmail(email) {
      const listEmail = guestListEmail(email);
      const ids = await client.lRange(keys.ordersGuest(listEmail), 0, -1);
      return (await ordersOf(ids)).filter(
        (o) => o.userId === undefined && guestListEmail(o.email) === listEmail,
      );
    },

    async list(page?: OrderPageRequest) {
      const { limit, after } = readPageRequest(page);
      return pageOf(await ordersOf(await indexedIds()), limit, after);
    },

    async updateShipping(id, update) {
      validateShippingUpdate(update);
      return runUnitOfWork(client, `update shipping of order ${id}`, async (uow) => {
        const order = await readOrderStep(deps, uow, id);
        if (!order) throw new NotFoundError('order', id);
        const next = applyShippingUpdate(order, update);
        uow.set(keys.order(id), orderValue.encode(next));
        return next;
      });
    },

    complete: (id) =>
      runUnitOfWork(client, `complete order ${id}`, (uow) => completeOrderStep(deps, uow, id)),

    delete: (id) =>
      runUnitOfWork(client, `delete order ${id}`, async (uow) => {
        const order = await readOrderStep(deps, uow, id);
        if (!order) return false;
        // The store's order: index, then the owner's list, then the record (§7.8).
        uow.push({ op: 'srem', key: keys.ordersIndex(), member: id });
        uow.push({ op: 'lrem', key: ownerList(deps, order), member: id });
        uow.del(keys.order(id));
        return true;
      }),

    async linkGuestOrders(userId, email): Promise<GuestLinkResult> {
      requireId('userId', userId);
      const normalised = linkEmail(email);
      const guestList = keys.ordersGuest(normalised);
      return runUnitOfWork(client, `link guest orders of ${normalised}`, async (uow) => {
        if (!(await readUserStep(deps, uow, userId))) throw new NotFoundError('user', userId);
        const ids = uniqueIds(await client.lRange(guestList, 0, -1));
        const linked: Order[] = [];
        let pointsAwarded = 0;
        for (const id of ids) {
          const order = await readOrderStep(deps, uow, id);
          // The store skipped missing and no-longer-guest orders but still dropped them from the list.
          uow.push({ op: 'lrem', key: guestList, member: id });
          if (!isLinkableGuestOrder(order)) continue;
          const next = linkedOrder(order, userId);
          uow.set(keys.order(id), orderValue.encode(next));
          uow.push({ op: 'lpush', key: keys.ordersUser(userId), member: id });
          if (next.status === 'completed') {
            pointsAwarded += await awardStep(deps, uow, next, pointsDescription.retroactive(id));
          }
          linked.push(next);
        }
        return { linked: linked.sort(compareNewestFirst), pointsAwarded };
      });
    },
  };
}
