/**
 * The orders a user places over time (own orders, and guest orders linked at registration), their
 * refunds, and re-processing: the planning half of `emitUser`, kept pure (no writes).
 */
import type { GenContext } from './context.js';
import { type Person, person, rawCase } from './ids.js';
import { buildRefund, describe, refundStatusFor, type Tx, tx } from './ledger.js';
import type { OrderSource } from './order-items.js';
import { type BuiltOrder, buildOrder, linkToUser } from './orders.js';
import type { Rng } from './prng.js';
import { DAY, HOUR, iso, MINUTE, T } from './timeline.js';

/** Planted anomalies for one user (all optional; see EDGE_CASE_KINDS for the sections). */
export interface UserVariant {
  /** Scale-1 template: a pre-index order, a recent webhook order and a refunded test order. */
  template?: boolean;
  /** Scale-1 template: registered after ordering as a guest; those orders were linked. */
  linked?: boolean;
  deleted?: boolean;
  unindexed?: boolean;
  mismatch?: boolean;
  negative?: boolean;
  adjustment?: boolean;
  reprocessed?: boolean;
  danglingListId?: boolean;
  danglingTxId?: boolean;
  deletedOrderTx?: boolean;
  preIndex?: boolean;
}

/** A registered user as `createUser` saw it. */
export interface UserIdentity extends Person {
  id: string;
  createdMs: number;
}

/** Who user `tag` is; pure, so promotions can target users without reading them back. */
export function userIdentity(
  ctx: GenContext,
  tag: string,
  window: 'any' | 'early' | 'late' = 'any',
): UserIdentity {
  const rng = ctx.rng('user-id', tag);
  const id = rng.uuid();
  const p = person(rng, tag);
  const createdMs =
    window === 'early'
      ? rng.between(T.users, T.guests - 6 * HOUR)
      : window === 'late'
        ? rng.between(T.guests + 2 * DAY, ctx.nowMs - 2 * HOUR)
        : rng.between(T.users, ctx.nowMs - 2 * HOUR);
  return { id, ...p, createdMs };
}

/** The registration window a variant needs (pre-index orders need an account before 2025-12-03). */
export function identityWindow(v: UserVariant): 'any' | 'early' | 'late' {
  if (v.template || v.preIndex || v.adjustment) return 'early';
  return v.linked ? 'late' : 'any';
}

/** An order of the user and when its id was pushed onto the user list. */
export interface Planned {
  order: BuiltOrder;
  /** When the id was pushed onto `orders:user:{uid}` (twice when re-processed). */
  pushes: number[];
  /** Deleted by the admin later (deleteOrder): not written, not listed; its ledger entry stays. */
  deleted?: boolean;
}

function ownSource(rng: Rng, atMs: number): OrderSource {
  const s = rng.weighted<OrderSource>([
    ['stripe-webhook', 82],
    ['stripe-sync', 8],
    ['test', 10],
  ]);
  if (s === 'test' && atMs < T.testOrders) return 'stripe-webhook';
  if (s === 'stripe-sync' && atMs < T.multiAdmin) return 'stripe-webhook';
  return s;
}

export function planOrders(ctx: GenContext, rng: Rng, u: UserIdentity, v: UserVariant): Planned[] {
  const planned: Planned[] = [];
  const name = `${u.firstName} ${u.lastName}`;
  const plantedUser = Object.values(v).some(Boolean);
  // Guest orders placed before registration and linked by linkGuestOrdersToUser.
  if (v.linked || (!plantedUser && u.createdMs > T.guests + DAY && rng.chance(0.15))) {
    // The scale-1 linked user's one guest order was synced by the admin from Stripe test mode.
    const n = v.linked ? 1 : rng.int(1, 2);
    const from = v.linked ? T.multiAdmin : T.guests;
    const times = Array.from({ length: n }, () => rng.between(from, u.createdMs - MINUTE)).sort(
      (a, b) => a - b,
    );
    const linked = times.map((t) =>
      buildOrder(ctx, rng, {
        source: v.linked ? 'stripe-sync' : 'stripe-webhook',
        testMode: v.linked,
        createdMs: t,
        email: rawCase(rng, u.email),
        name,
      }),
    );
    // The guest list is read newest first and each id LPUSHed in that order.
    for (const [k, o] of [...linked].reverse().entries()) {
      linkToUser(o, u.id);
      planned.push({ order: o, pushes: [u.createdMs + k] });
    }
  }
  const from = u.createdMs + MINUTE;
  const to = ctx.nowMs - MINUTE;
  let specs: { source: OrderSource; at: number; deleted?: boolean }[];
  if (v.template) {
    specs = [
      { source: 'stripe-webhook', at: rng.between(from, T.guests - MINUTE) },
      { source: 'stripe-webhook', at: rng.between(T.shipping, to) },
      { source: 'test', at: rng.between(T.payments, to) },
    ];
  } else {
    const n = v.linked
      ? 0
      : plantedUser && !v.preIndex
        ? 2
        : rng.weighted([
            [0, 10],
            [1, 25],
            [2, 25],
            [3, 18],
            [4, 12],
            [5, 6],
            [6, 4],
          ] as const);
    const end = v.adjustment ? T.adjustmentFrom - HOUR : to;
    const times = Array.from({ length: Math.max(n, v.preIndex ? 1 : 0) }, (_, k) =>
      k === 0 && v.preIndex ? rng.between(from, T.guests - MINUTE) : rng.between(from, end),
    ).sort((a, b) => a - b);
    specs = times.map((at, k) => {
      if (k === 0 && v.deletedOrderTx)
        return { source: 'test', at: Math.max(at, T.testOrders), deleted: true };
      if (k === 0 && v.reprocessed) return { source: 'stripe-webhook', at };
      return { source: ownSource(rng, at), at };
    });
  }
  specs.sort((a, b) => a.at - b.at);
  for (const s of specs) {
    const pending = !plantedUser && rng.chance(0.03);
    const email = s.source === 'test' ? u.email : rawCase(rng, u.email);
    const order = buildOrder(ctx, rng, {
      source: s.source,
      createdMs: s.at,
      email,
      userId: u.id,
      pending,
      name,
    });
    planned.push({ order, pushes: [s.at], deleted: s.deleted });
  }
  return planned;
}

/** A refund of one of the user's orders. */
export interface PlannedRefund {
  order: BuiltOrder;
  refund: ReturnType<typeof buildRefund>;
}

export function planRefunds(ctx: GenContext, rng: Rng, planned: Planned[], v: UserVariant): PlannedRefund[] {
  const out: PlannedRefund[] = [];
  for (const [k, p] of planned.entries()) {
    const o = p.order;
    if (o.completedMs === undefined || p.deleted) continue;
    if (v.template && o.source === 'test') {
      out.push({ order: o, refund: buildRefund(ctx, rng, o, 'processing') });
    } else if ((v.negative && k <= 1) || (v.adjustment && k === 0)) {
      const at = v.adjustment ? T.adjustmentFrom + MINUTE : undefined;
      const r = buildRefund(ctx, rng, o, 'completed', at);
      r.record.restoreInventory = true;
      r.record.pointsToDeduct = o.pointsEarned;
      out.push({ order: o, refund: { ...r, deduct: o.pointsEarned } });
    } else if (!v.template && rng.chance(0.02)) {
      out.push({ order: o, refund: buildRefund(ctx, rng, o, refundStatusFor(rng, o)) });
    }
  }
  return out;
}

/** Re-processing (§7.1): the record is overwritten with a new createdAt, pushed and earned again. */
export function reprocess(ctx: GenContext, rng: Rng, u: UserIdentity, p: Planned, txs: Tx[]): void {
  const o = p.order;
  const again = rng.between(
    o.completedMs! + MINUTE,
    Math.max(o.completedMs! + 2 * MINUTE, Math.min(ctx.nowMs - MINUTE, o.completedMs! + DAY)),
  );
  o.record.createdAt = iso(again);
  o.record.completedAt = iso(again + 1500);
  p.pushes.push(again);
  txs.push(tx(rng, u.id, o.pointsEarned, 'earn', describe.earn(o.id), again + 1500, o.id));
}
