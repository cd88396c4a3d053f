/**
 * Points transactions (§4.3) and refunds (§4.7). Refund status follows the real behaviour: only
 * Square orders can reach `completed`; every other refund fails at Stripe; some stay `processing`.
 */
import { REFUND_REASONS } from '../../domain/refund.js';
import type { GenContext } from './context.js';
import { stripeRefundId } from './ids.js';
import type { BuiltOrder } from './orders.js';
import type { Rng } from './prng.js';
import { iso, MINUTE, T } from './timeline.js';

export type TxType = 'earn' | 'redeem' | 'admin_adjustment' | 'adjustment';

/** A PointsTransaction exactly as `addPoints` stores it (`orderId` only on earn). */
export interface Tx {
  id: string;
  userId: string;
  amount: number;
  type: TxType;
  description: string;
  orderId?: string;
  createdAt: string;
}

export function tx(
  rng: Rng,
  userId: string,
  amount: number,
  type: TxType,
  description: string,
  atMs: number,
  orderId?: string,
): Tx {
  return { id: rng.uuid(), userId, amount, type, description, orderId, createdAt: iso(atMs) };
}

/** The description patterns of §4.3 use the first 8 characters of the order id. */
export const describe = {
  earn: (orderId: string) => `Purchase #${orderId.slice(0, 8)}`,
  retro: (orderId: string) => `Retroactive points for order #${orderId.slice(0, 8)}`,
  redeem: (orderId: string) => `Redeemed for order #${orderId.slice(0, 8)}`,
  refund: (orderId: string) => `Refund for order #${orderId.slice(0, 8)}`,
};

export type RefundStatus = 'processing' | 'completed' | 'failed';

/** A generated refund: its JSON and what the ledger needs to know about it. */
export interface BuiltRefund {
  id: string;
  record: Record<string, unknown>;
  status: RefundStatus;
  /** A points deduction the store would apply (completed, restoreInventory, order with userId). */
  deduct: number;
  createdMs: number;
}

/** The natural status for a refund of this order. */
export function refundStatusFor(rng: Rng, o: BuiltOrder): RefundStatus {
  if (o.source === 'square') return rng.chance(0.85) ? 'completed' : 'processing';
  return rng.chance(0.85) ? 'failed' : 'processing';
}

export function buildRefund(
  ctx: GenContext,
  rng: Rng,
  o: BuiltOrder,
  status: RefundStatus,
  atMs?: number,
): BuiltRefund {
  const from = Math.max(o.completedMs ?? o.createdMs, T.payments);
  const createdMs = atMs ?? rng.between(from, Math.max(from + MINUTE, ctx.nowMs - MINUTE));
  const total = o.record.totalCents as number;
  const amountCents = rng.chance(0.6) ? total : Math.max(1, Math.round(total * rng.pick([0.25, 0.5, 0.75])));
  const restoreInventory = rng.chance(0.8);
  const userId = o.record.userId as string | undefined;
  const record: Record<string, unknown> = {
    id: rng.uuid(),
    orderId: o.id,
    email: o.email,
    userId,
    amountCents,
    reason: rng.pick(REFUND_REASONS),
    reasonNote: rng.chance(0.4)
      ? rng.pick(['Arrived cracked', 'Customer changed mind', 'Wrong scent', 'Charged twice'])
      : undefined,
    status,
    restoreInventory,
    pointsToDeduct: restoreInventory ? o.pointsEarned : undefined,
    processedBy: 'admin',
    createdAt: iso(createdMs),
    items: o.items.map((i) => ({
      productSlug: i.productSlug,
      productName: i.productName,
      quantity: i.quantity,
      variantId: i.variantId,
      refundAmountCents: i.priceCents,
    })),
  };
  if (status === 'completed') {
    record.stripeRefundId =
      o.source === 'square' ? `${rng.base62(29)}_${rng.base62(40)}` : stripeRefundId(rng);
    record.processedAt = iso(createdMs + rng.int(1500, 6000));
  }
  const deduct = status === 'completed' && restoreInventory && userId ? o.pointsEarned : 0;
  return { id: record.id as string, record, status, deduct, createdMs };
}

/** Writes the refund, its `order:{id}:refunds` set and queues the `refunds:index` entry. */
export function emitRefund(
  ctx: GenContext,
  orderId: string,
  r: BuiltRefund,
  opts: { index?: boolean } = {},
): void {
  ctx.out.json('refund', ctx.keys.refund(r.id), r.record);
  ctx.out.sadd('orderRefunds', ctx.keys.orderRefunds(orderId), [r.id]);
  if (opts.index !== false) ctx.index.add('refundsIndex', ctx.keys.refundsIndex(), r.id);
}

/** Writes transactions (oldest first) and the `points:user:{uid}` list, newest at the head. */
export function emitLedger(ctx: GenContext, userId: string, txs: Tx[], extraIds: string[] = []): void {
  for (const t of txs) ctx.out.json('pointsTransaction', ctx.keys.pointsTransaction(t.id), t);
  ctx.out.lpush('pointsUser', ctx.keys.pointsUser(userId), [...txs.map((t) => t.id), ...extraIds]);
}
