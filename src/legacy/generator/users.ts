/**
 * Registered users (§4.1) with everything that hangs off them: their orders (including guest
 * orders linked at registration), points ledger, refunds, sessions and tokens. `variant` turns a
 * user into a planted §8 case; the main flow passes none.
 */
import type { GenContext } from './context.js';
import { userTokens } from './ephemeral.js';
import { bcryptHash } from './ids.js';
import { describe, emitLedger, emitRefund, type Tx, tx } from './ledger.js';
import { emitOrder } from './orders.js';
import { MINUTE, T, iso } from './timeline.js';
import {
  planOrders,
  planRefunds,
  reprocess,
  type UserIdentity,
  type UserVariant,
  identityWindow,
  userIdentity,
} from './user-orders.js';

export { type UserVariant, userIdentity } from './user-orders.js';

/** Writes one user and everything that hangs off it. */
export function emitUser(ctx: GenContext, tag: string, v: UserVariant = {}): void {
  const u = userIdentity(ctx, tag, identityWindow(v));
  const rng = ctx.rng('user', tag);
  const { keys, out } = ctx;
  const planned = planOrders(ctx, rng, u, v);
  const planted = Object.values(v).some(Boolean);
  const txs: Tx[] = [];
  let balance = 0;
  for (const [k, p] of planned.entries()) {
    const o = p.order;
    if (o.createdMs < u.createdMs) {
      if (o.completedMs !== undefined) {
        txs.push(tx(rng, u.id, o.pointsEarned, 'earn', describe.retro(o.id), u.createdMs + k, o.id));
        balance += o.pointsEarned;
      }
      continue;
    }
    if (!planted && o.source === 'stripe-webhook' && balance >= 100 && rng.chance(0.12)) {
      const amount = Math.min(balance, rng.int(2, 10) * 50);
      txs.push(tx(rng, u.id, -amount, 'redeem', describe.redeem(o.id), o.createdMs - 2000));
      balance -= amount;
    }
    if (o.completedMs !== undefined) {
      txs.push(tx(rng, u.id, o.pointsEarned, 'earn', describe.earn(o.id), o.completedMs, o.id));
      balance += o.pointsEarned;
    }
  }
  const refunds = planRefunds(ctx, rng, planned, v);
  for (const r of refunds) {
    if (r.refund.deduct === 0) continue;
    const at = v.adjustment
      ? rng.between(T.adjustmentFrom + 2 * MINUTE, T.adjustmentTo)
      : r.refund.createdMs + 3000;
    txs.push(
      tx(
        rng,
        u.id,
        -r.refund.deduct,
        v.adjustment ? 'adjustment' : 'admin_adjustment',
        describe.refund(r.order.id),
        at,
      ),
    );
  }
  if (v.negative) {
    // Redeemed everything at the second checkout; both refund deductions then ignored the balance.
    const [first, second] = [planned[0]!.order, planned[1]!.order];
    txs.push(
      tx(rng, u.id, -first.pointsEarned, 'redeem', describe.redeem(second.id), second.createdMs - 2000),
    );
  }
  const reprocessed = v.reprocessed
    ? planned.find((p) => p.order.completedMs !== undefined && p.order.source !== 'test')
    : undefined;
  if (reprocessed) reprocess(ctx, rng, u, reprocessed, txs);
  txs.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  const sum = txs.reduce((s, t) => s + t.amount, 0);
  const points = v.mismatch ? sum + rng.pick([-40, -13, 25, 61]) : sum;

  // Records first: the user, then orders, refunds and the ledger; lists and indexes after.
  const userKey = keys.user(u.id);
  const lastChange = txs.length > 0 ? Date.parse(txs[txs.length - 1]!.createdAt) : u.createdMs;
  const verified = v.template === true || (!v.linked && rng.chance(0.7));
  if (!v.deleted) {
    const changedPassword = rng.chance(0.1);
    out.json('user', userKey, {
      id: u.id,
      email: u.email,
      passwordHash: bcryptHash(rng, u.createdMs >= T.bcrypt12 && !changedPassword ? 12 : 10),
      firstName: u.firstName,
      lastName: u.lastName,
      points,
      emailVerified: verified,
      createdAt: iso(u.createdMs),
      updatedAt: iso(Math.max(lastChange, u.createdMs)),
    });
    out.set('userEmail', keys.userEmail(u.email), u.id);
  }
  const listed: string[] = [];
  const pushes: [number, string][] = [];
  for (const p of planned) {
    if (p.deleted) {
      ctx.edge(
        'dangling-order-ref',
        keys.pointsTransaction(txs.find((t) => t.orderId === p.order.id)?.id ?? ''),
        `earn transaction for deleted test order ${p.order.id}`,
      );
      continue;
    }
    emitOrder(ctx, p.order);
    for (const t of p.pushes) pushes.push([t, p.order.id]);
  }
  for (const r of refunds) emitRefund(ctx, r.order.id, r.refund);
  pushes.sort((a, b) => a[0] - b[0]);
  for (const [, id] of pushes) listed.push(id);
  const extraListIds = v.danglingListId ? [`cs_live_a1${rng.base62(56)}`] : [];
  out.lpush('ordersUser', keys.ordersUser(u.id), [...listed, ...extraListIds]);
  emitLedger(ctx, u.id, txs, v.danglingTxId ? [rng.uuid()] : []);
  if (!v.deleted && !v.unindexed) ctx.index.add('usersIndex', keys.usersIndex(), u.id);
  userTokens(ctx, rng, u, {
    deleted: v.deleted === true,
    verified,
    planted,
    forced: v.template === true || v.linked === true,
  });
  logUserEdges(ctx, u, v, { points, sum, extraListIds, reprocessed: reprocessed?.order.id });
}

function logUserEdges(
  ctx: GenContext,
  u: UserIdentity,
  v: UserVariant,
  s: {
    points: number;
    sum: number;
    extraListIds: string[];
    reprocessed: string | undefined;
  },
): void {
  const { keys } = ctx;
  if (v.deleted) {
    ctx.edge(
      'dangling-user-ref',
      keys.ordersUser(u.id),
      'orders:user list (and its orders) of a deleted user',
    );
    ctx.edge('dangling-user-ref', keys.pointsUser(u.id), 'ledger and transactions of a deleted user');
  }
  if (v.unindexed) ctx.edge('unindexed-record', keys.user(u.id), 'user missing from users:index');
  if (v.mismatch) ctx.edge('balance-mismatch', keys.user(u.id), `points ${s.points} ≠ ledger sum ${s.sum}`);
  if (v.negative)
    ctx.edge('negative-balance', keys.user(u.id), `points ${s.points} after a refund deduction`);
  if (v.adjustment)
    ctx.edge('legacy-shape', keys.pointsUser(u.id), 'refund deduction with the legacy type "adjustment"');
  if (s.reprocessed) {
    ctx.edge(
      'duplicate-list-entry',
      keys.ordersUser(u.id),
      `order ${s.reprocessed} listed twice (re-processed)`,
    );
    ctx.edge('duplicate-earn', keys.pointsUser(u.id), `two earn transactions for order ${s.reprocessed}`);
  }
  for (const id of s.extraListIds)
    ctx.edge('dangling-index-id', keys.ordersUser(u.id), `order ${id} has no record`);
  if (v.danglingTxId) ctx.edge('dangling-index-id', keys.pointsUser(u.id), 'a transaction id with no record');
}
