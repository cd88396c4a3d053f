/**
 * Orders in `orders` + `order_items` (one row per item, keyed by position). The Redis index sets
 * and lists are columns here: `user_id` for a user's orders, `lower(email)` for guest lookups. Every
 * change runs in one transaction with the order row locked, and completion awards its points in the
 * same transaction, so it happens exactly once. The `…Tx` steps take a caller's transaction (checkout).
 */
import { and, desc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import { requireId } from '../../domain/field-rules.js';
import type {
  GuestLinkResult,
  Order,
  OrderPage,
  OrderPageRequest,
  OrderRepository,
} from '../../domain/order.js';
import {
  applyShippingUpdate,
  compareNewestFirst,
  completedOrder,
  encodeOrderCursor,
  guestListEmail,
  linkEmail,
  linkedOrder,
  pointsDescription,
  readPageRequest,
  samePurchase,
  validateOrder,
  validateShippingUpdate,
} from '../../domain/order-rules.js';
import type { Db } from './client.js';
import type { PgDeps } from './index.js';
import { fromOrderRow, toOrderRows } from './mappers/order.js';
import { earnPointsTx } from './points-repository.js';
import { type OrderItemRow, orderItems, orders, users } from './schema.js';
import { insertRows, type Tx, type WritePart } from './transaction.js';
import { lockUserTx } from './user-repository.js';

type Executor = Db | Tx;
type OrderRow = typeof orders.$inferSelect;

/** Rows → orders, loading the items of all of them in one query. */
async function withItems(db: Executor, rows: readonly OrderRow[]): Promise<Order[]> {
  if (rows.length === 0) return [];
  const items = await db
    .select()
    .from(orderItems)
    .where(
      inArray(
        orderItems.orderId,
        rows.map((r) => r.id),
      ),
    );
  return rows.map((row) =>
    fromOrderRow(
      row,
      items.filter((i) => i.orderId === row.id),
    ),
  );
}

/**
 * The order (row locked until the transaction ends when `lock`), or null. One query: the order row
 * joined to its items (the hot path of every order read, checkout and refund).
 */
export async function readOrderTx(db: Executor, id: string, lock = false): Promise<Order | null> {
  const q = db
    .select({ order: orders, item: orderItems })
    .from(orders)
    .leftJoin(orderItems, eq(orderItems.orderId, orders.id))
    .where(eq(orders.id, id));
  const rows = await (lock ? q.for('update', { of: orders }) : q);
  const head = rows[0];
  return head
    ? fromOrderRow(
        head.order,
        rows.flatMap((r) => (r.item ? [r.item] : [])),
      )
    : null;
}

async function userExists(db: Executor, userId: string | undefined): Promise<boolean> {
  if (userId === undefined) return false;
  return (await db.select({ id: users.id }).from(users).where(eq(users.id, userId))).length > 0;
}

/** Rewrites the order row (items unchanged) with its sync columns. */
async function writeOrderRowTx(deps: PgDeps, tx: Tx, order: Order): Promise<void> {
  const { order: row } = toOrderRows(order, { userExists: await userExists(tx, order.userId) });
  await tx
    .update(orders)
    .set({ ...row, syncWrittenAt: deps.now() })
    .where(eq(orders.id, order.id));
}

/**
 * Inserts a new order with its items inside a caller's transaction, or, when the id exists with the
 * same purchase content, returns the stored order and writes nothing (`created: false`). A concurrent
 * insert of the same id waits on the primary key and then counts as existing.
 * @throws ValidationError bad input. @throws ConflictError the id exists with other content.
 */
export async function createOrderTx(
  deps: PgDeps,
  tx: Tx,
  order: Order,
): Promise<{ order: Order; created: boolean }> {
  validateOrder(order);
  const rows = toOrderRows(order, { userExists: await userExists(tx, order.userId) });
  const inserted = await tx
    .insert(orders)
    .values({ ...rows.order, syncWrittenAt: deps.now() })
    .onConflictDoNothing({ target: orders.id })
    .returning({ id: orders.id });
  if (inserted.length === 0) {
    const existing = await readOrderTx(tx, order.id, true);
    if (!existing || !samePurchase(existing, order)) {
      throw new ConflictError('order', order.id, 'exists with different items or amounts');
    }
    return { order: existing, created: false };
  }
  if (rows.items.length > 0) await tx.insert(orderItems).values(rows.items);
  return { order: (await readOrderTx(tx, order.id)) ?? order, created: true };
}

/**
 * The INSERTs of a new order and its items as {@link WritePart}s of a caller's combined write
 * (checkout), and the order exactly as a read will return it (the row mapper's field order). Without
 * ON CONFLICT: an order id that exists fails the statement with a unique violation on `orders_pkey`
 * (a concurrent insert of the id waits for it first), so the caller's transaction writes nothing and
 * the caller answers from the stored order.
 * @throws ValidationError bad input.
 */
export function insertOrderWrites(
  deps: PgDeps,
  order: Order,
  userExists: boolean,
): { order: Order; writes: WritePart[] } {
  validateOrder(order);
  const rows = toOrderRows(order, { userExists });
  const writes: WritePart[] = [
    {
      what: `order ${order.id}`,
      query: insertRows(orders, [{ ...rows.order, syncWrittenAt: deps.now() }], orders.id),
      rows: 1,
    },
  ];
  if (rows.items.length > 0) {
    writes.push({
      what: `items of order ${order.id}`,
      query: insertRows(orderItems, rows.items, orderItems.lineNo),
      rows: rows.items.length,
    });
  }
  // The insert rows set every column the mapper reads.
  const stored = fromOrderRow(rows.order as OrderRow, rows.items as OrderItemRow[]);
  return { order: stored, writes };
}

/** Awards an order's points to its existing user inside the transaction; 0 for guests and deleted users. */
async function awardTx(deps: PgDeps, tx: Tx, order: Order, description: string): Promise<number> {
  if (order.userId === undefined || order.pointsEarned < 0) return 0;
  if (!(await lockUserTx(tx, order.userId))) return 0;
  await earnPointsTx(deps, tx, {
    userId: order.userId,
    amount: order.pointsEarned,
    description,
    orderId: order.id,
  });
  return order.pointsEarned;
}

/**
 * Completes a pending order and awards its points inside a caller's transaction; an order already
 * completed is returned unchanged (the row lock makes a concurrent completion wait and see it).
 * @throws NotFoundError no such order.
 */
export async function completeOrderTx(deps: PgDeps, tx: Tx, id: string): Promise<Order> {
  const order = await readOrderTx(tx, id, true);
  if (!order) throw new NotFoundError('order', id);
  if (order.status === 'completed') return order;
  const done = completedOrder(order, deps.now());
  await writeOrderRowTx(deps, tx, done);
  await awardTx(deps, tx, done, pointsDescription.earn(id));
  return done;
}

/** One page, newest first, of the orders matching `where`. */
async function page(
  db: Db,
  where: SQL | undefined,
  request: OrderPageRequest | undefined,
): Promise<OrderPage> {
  const { limit, after } = readPageRequest(request);
  const cursor = after
    ? sql`(${orders.createdAt} < ${after.createdAt}::timestamptz or (${orders.createdAt} = ${after.createdAt}::timestamptz and ${orders.id} collate "C" < ${after.id}))`
    : undefined;
  const rows = await db
    .select()
    .from(orders)
    .where(and(where, cursor))
    .orderBy(desc(orders.createdAt), sql`${orders.id} collate "C" desc`)
    .limit(limit + 1);
  const found = await withItems(db, rows.slice(0, limit));
  const last = found.at(-1);
  return { orders: found, nextCursor: rows.length > limit && last ? encodeOrderCursor(last) : null };
}

export function createPostgresOrderRepository(deps: PgDeps): OrderRepository {
  const { db } = deps.pg;

  return {
    create: async (order) => (await db.transaction((tx) => createOrderTx(deps, tx, order))).order,

    get: (id) => readOrderTx(db, id),

    byUser: (userId, request) => page(db, eq(orders.userId, userId), request),

    async guestByEmail(email) {
      const rows = await db
        .select()
        .from(orders)
        .where(and(isNull(orders.userId), sql`lower(${orders.email}) = ${guestListEmail(email)}`));
      return (await withItems(db, rows)).sort(compareNewestFirst);
    },

    list: (request) => page(db, undefined, request),

    async updateShipping(id, update) {
      validateShippingUpdate(update);
      return db.transaction(async (tx) => {
        const order = await readOrderTx(tx, id, true);
        if (!order) throw new NotFoundError('order', id);
        const next = applyShippingUpdate(order, update);
        await writeOrderRowTx(deps, tx, next);
        return next;
      });
    },

    complete: (id) => db.transaction((tx) => completeOrderTx(deps, tx, id)),

    async delete(id) {
      // Items go with the order (FK cascade); refunds and ledger rows keep the id (their *_ref goes NULL).
      const gone = await db.delete(orders).where(eq(orders.id, id)).returning({ id: orders.id });
      return gone.length > 0;
    },

    async linkGuestOrders(userId, email): Promise<GuestLinkResult> {
      requireId('userId', userId);
      const normalised = linkEmail(email);
      return db.transaction(async (tx) => {
        // Orders are locked before the user (the earn locks it), the order checkout and completion use.
        if (!(await userExists(tx, userId))) throw new NotFoundError('user', userId);
        const rows = await tx
          .select()
          .from(orders)
          .where(
            and(eq(orders.isGuest, true), isNull(orders.userId), sql`lower(${orders.email}) = ${normalised}`),
          )
          // Newest first, the order the store walked its LPUSHed guest list in.
          .orderBy(desc(orders.createdAt), sql`${orders.id} collate "C" desc`)
          .for('update');
        const linked: Order[] = [];
        let pointsAwarded = 0;
        for (const order of await withItems(tx, rows)) {
          const next = linkedOrder(order, userId);
          await writeOrderRowTx(deps, tx, next);
          if (next.status === 'completed') {
            pointsAwarded += await awardTx(deps, tx, next, pointsDescription.retroactive(next.id));
          }
          linked.push(next);
        }
        return { linked: linked.sort(compareNewestFirst), pointsAwarded };
      });
    },
  };
}
