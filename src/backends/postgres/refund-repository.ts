/**
 * Refunds in `refunds` + `refund_items`. The Redis sets are columns here (`order_id` replaces
 * `order:{id}:refunds`). Completing a refund is ONE transaction with its stock and points effects,
 * with the refund row locked, so it applies exactly once.
 */
import { desc, eq, inArray, sql } from 'drizzle-orm';
import { ConflictError, DomainError, NotFoundError } from '../../domain/errors.js';
import { requireId } from '../../domain/field-rules.js';
import { pointsDescription } from '../../domain/order-rules.js';
import type {
  Refund,
  RefundCompletion,
  RefundProcessing,
  RefundRepository,
  RestockOutcome,
} from '../../domain/refund.js';
import {
  buildRefund,
  checkStatusChange,
  completedRefund,
  refundWithStatus,
  restockOrder,
  validateNewRefund,
} from '../../domain/refund-rules.js';
import type { Db } from './client.js';
import type { PgDeps } from './index.js';
import { fromRefundRow, toRefundRows } from './mappers/refund.js';
import { readOrderTx } from './order-repository.js';
import { deductPointsTx } from './points-repository.js';
import { adjustProductStockTx } from './product-repository.js';
import { refundItems, refunds, users } from './schema.js';
import type { Tx } from './transaction.js';
import { lockUserTx } from './user-repository.js';

type Executor = Db | Tx;
type RefundRow = typeof refunds.$inferSelect;

async function withItems(db: Executor, rows: readonly RefundRow[]): Promise<Refund[]> {
  if (rows.length === 0) return [];
  const items = await db
    .select()
    .from(refundItems)
    .where(
      inArray(
        refundItems.refundId,
        rows.map((r) => r.id),
      ),
    );
  return rows.map((row) =>
    fromRefundRow(
      row,
      items.filter((i) => i.refundId === row.id),
    ),
  );
}

async function readRefundTx(db: Executor, id: string, lock = false): Promise<Refund | null> {
  const q = db.select().from(refunds).where(eq(refunds.id, id));
  const [row] = await (lock ? q.for('update') : q);
  return row ? ((await withItems(db, [row]))[0] ?? null) : null;
}

/** Rewrites the refund row (items unchanged) with its sync columns; the FK refs stay as they are. */
async function writeRefundRowTx(deps: PgDeps, tx: Tx, refund: Refund): Promise<void> {
  const { refund: row } = toRefundRows(refund);
  const { orderRef: _o, userRef: _u, ...rest } = row;
  await tx
    .update(refunds)
    .set({ ...rest, syncWrittenAt: deps.now() })
    .where(eq(refunds.id, refund.id));
}

/**
 * One refund item back into stock, in a savepoint: a product that does not exist (or an item the
 * stock rules refuse) is reported and its savepoint rolled back, as the store ignored these errors.
 */
async function restockTx(deps: PgDeps, tx: Tx, item: Refund['items'][number]): Promise<RestockOutcome> {
  const variantId = item.variantId ?? undefined;
  const outcome: RestockOutcome = {
    productSlug: item.productSlug,
    quantity: item.quantity,
    status: 'restored',
  };
  if (variantId !== undefined) outcome.variantId = variantId;
  try {
    await tx.transaction((sp) =>
      adjustProductStockTx(deps, sp, { slug: item.productSlug, variantId, delta: item.quantity }),
    );
    return outcome;
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    return { ...outcome, status: 'skipped', reason: err.message };
  }
}

/** `pointsToDeduct` from the order's current user; 0 for a missing order, a guest or a deleted user. */
async function deductTx(deps: PgDeps, tx: Tx, refund: Refund): Promise<number> {
  if (!refund.pointsToDeduct || refund.pointsToDeduct < 0) return 0;
  const order = await readOrderTx(tx, refund.orderId);
  if (!order?.userId || !(await lockUserTx(tx, order.userId))) return 0;
  await deductPointsTx(deps, tx, {
    userId: order.userId,
    amount: refund.pointsToDeduct,
    description: pointsDescription.refund(refund.orderId),
  });
  return refund.pointsToDeduct;
}

/** Completes a refund with its effects inside a caller's transaction (see RefundRepository.completeRefund). */
export async function completeRefundTx(
  deps: PgDeps,
  tx: Tx,
  id: string,
  processing: RefundProcessing = {},
): Promise<RefundCompletion> {
  const refund = await readRefundTx(tx, id, true);
  if (!refund) throw new NotFoundError('refund', id);
  const done = completedRefund(refund, processing, deps.now());
  if (!done) return { refund, applied: false, restock: [], pointsDeducted: 0 };
  await writeRefundRowTx(deps, tx, done);
  // Points (user row) before stock (product rows): the lock order checkout uses.
  const pointsDeducted = await deductTx(deps, tx, done);
  const restock: RestockOutcome[] = [];
  if (done.restoreInventory) {
    for (const i of restockOrder(done.items)) restock[i] = await restockTx(deps, tx, done.items[i]!);
  }
  return { refund: done, applied: true, restock, pointsDeducted };
}

export function createPostgresRefundRepository(deps: PgDeps): RefundRepository {
  const { db } = deps.pg;
  const newestFirst = [desc(refunds.createdAt), sql`${refunds.id} collate "C" desc`];

  return {
    async create(input) {
      validateNewRefund(input);
      return db.transaction(async (tx) => {
        const order = await readOrderTx(tx, input.orderId, true);
        if (!order) throw new NotFoundError('order', input.orderId);
        const refund = buildRefund(input, order, deps.now());
        if (await readRefundTx(tx, refund.id))
          throw new ConflictError('refund', refund.id, 'a refund with this id exists');
        const userExists =
          refund.userId !== undefined &&
          (await tx.select({ id: users.id }).from(users).where(eq(users.id, refund.userId))).length > 0;
        const rows = toRefundRows(refund, { orderExists: true, userExists });
        await tx.insert(refunds).values({ ...rows.refund, syncWrittenAt: deps.now() });
        if (rows.items.length > 0) await tx.insert(refundItems).values(rows.items);
        return refund;
      });
    },

    async setStatus(id, status, processing = {}) {
      requireId('id', id);
      checkStatusChange(status, processing);
      return db.transaction(async (tx) => {
        const refund = await readRefundTx(tx, id, true);
        if (!refund) throw new NotFoundError('refund', id);
        const next = refundWithStatus(refund, status, processing);
        await writeRefundRowTx(deps, tx, next);
        return next;
      });
    },

    get: (id) => readRefundTx(db, id),

    byOrder: async (orderId) =>
      withItems(
        db,
        await db
          .select()
          .from(refunds)
          .where(eq(refunds.orderId, orderId))
          .orderBy(...newestFirst),
      ),

    list: async () =>
      withItems(
        db,
        await db
          .select()
          .from(refunds)
          .orderBy(...newestFirst),
      ),

    async completeRefund(id, processing = {}) {
      requireId('id', id);
      return db.transaction((tx) => completeRefundTx(deps, tx, id, processing));
    },
  };
}
