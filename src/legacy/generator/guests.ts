/**
 * Guest orders (§7.1): Stripe guest checkouts and guest test orders grouped by e-mail, manual
 * sales and Square payments. Each guest list is `orders:guest:{email.toLowerCase()}` (no trim),
 * newest first. Manual sales and Square orders mostly share the two placeholder lists, which are
 * collected, sorted by time and pushed at the end of their stream.
 */
import type { GenContext } from './context.js';
import { maybeInvoice } from './ephemeral.js';
import { person, rawCase } from './ids.js';
import { buildRefund, emitRefund, refundStatusFor } from './ledger.js';
import { mappedSquareLine, type OrderSource } from './order-items.js';
import {
  type BuiltOrder,
  buildOrder,
  emitOrder,
  MANUAL_SALE_EMAIL,
  type OrderSpec,
  SQUARE_POS_EMAIL,
} from './orders.js';
import type { Rng } from './prng.js';
import { DAY, MINUTE, T } from './timeline.js';

/** Planted anomalies for one guest list. */
export interface GuestVariant {
  danglingListId?: boolean;
  /** The same order pushed twice (a stripe-sync re-run). */
  duplicate?: boolean;
  /** The e-mail was typed with surrounding spaces, so the list key keeps them. */
  untrimmed?: boolean;
}

function guestSource(rng: Rng, at: number): OrderSource {
  const s = rng.weighted<OrderSource>([
    ['stripe-webhook', 85],
    ['stripe-sync', 10],
    ['test', 5],
  ]);
  if ((s === 'stripe-sync' && at < T.multiAdmin) || (s === 'test' && at < T.testOrders))
    return 'stripe-webhook';
  return s;
}

/** Refunds a completed order now and then (or when told to), writing the refund records. */
function maybeRefund(ctx: GenContext, rng: Rng, o: BuiltOrder, forced?: 'completed' | 'failed'): void {
  if (o.completedMs === undefined) return;
  if (forced) emitRefund(ctx, o.id, buildRefund(ctx, rng, o, forced));
  else if (rng.chance(o.source === 'square' ? 0.03 : 0.02))
    emitRefund(ctx, o.id, buildRefund(ctx, rng, o, refundStatusFor(rng, o)));
}

/** One guest e-mail with its orders and list. `template` 0/1 are the scale-1 guests. */
export function emitGuest(ctx: GenContext, tag: string, v: GuestVariant = {}, template?: 0 | 1): void {
  const rng = ctx.rng('guest', tag);
  const who = person(rng, tag);
  const name = `${who.firstName} ${who.lastName}`;
  const typed = rawCase(rng, who.email);
  const email = v.untrimmed ? `  ${typed} ` : typed;
  const to = ctx.nowMs - MINUTE;
  let specs: OrderSpec[];
  if (template === 0) {
    specs = [
      { source: 'stripe-webhook', createdMs: rng.between(T.shipping, to), email, name, address: true },
    ];
  } else if (template === 1) {
    specs = [{ source: 'test', createdMs: rng.between(T.payments, to), email, pending: true }];
  } else {
    const times = Array.from(
      {
        length: rng.weighted([
          [1, 75],
          [2, 20],
          [3, 5],
        ] as const),
      },
      () => rng.between(T.guests, to),
    );
    specs = times
      .sort((a, b) => a - b)
      .map((at) => ({
        source: v.untrimmed ? 'test' : guestSource(rng, at),
        createdMs: at,
        email,
        name,
        testMode: rng.chance(0.04),
        pending: rng.chance(0.02),
      }));
  }
  const ids: string[] = [];
  for (const spec of specs) {
    const o = buildOrder(ctx, rng, spec);
    emitOrder(ctx, o);
    maybeRefund(ctx, rng, o, template === 0 ? 'failed' : undefined);
    maybeInvoice(ctx, rng, o, template === 0);
    ids.push(o.id);
  }
  const key = ctx.keys.ordersGuest(email.toLowerCase());
  const extra = v.duplicate
    ? [ids[ids.length - 1]!]
    : v.danglingListId
      ? [`cs_live_b1${rng.base62(56)}`]
      : [];
  ctx.out.lpush('ordersGuest', key, [...ids, ...extra]);
  if (v.duplicate)
    ctx.edge('duplicate-list-entry', key, `order ${ids[ids.length - 1]} listed twice (stripe-sync re-run)`);
  if (v.danglingListId) ctx.edge('dangling-index-id', key, `order ${extra[0]} has no record`);
  if (v.untrimmed)
    ctx.edge(
      'case-whitespace',
      key,
      'guest list key lower-cased but not trimmed; never linked at registration',
    );
}

export function* guestsSection(ctx: GenContext): Generator<void> {
  for (let g = 0; g < ctx.counts.guestCustomers; g++) {
    emitGuest(ctx, `g${g}`, {}, g === 0 ? 0 : g === 1 ? 1 : undefined);
    yield;
  }
}

/** Pushes a placeholder list in creation order (oldest first, so the newest ends up at the head). */
function pushSorted(ctx: GenContext, key: string, entries: [number, string][]): void {
  entries.sort((a, b) => a[0] - b[0]);
  for (let i = 0; i < entries.length; i += 1000) {
    ctx.out.lpush(
      'ordersGuest',
      key,
      entries.slice(i, i + 1000).map(([, id]) => id),
    );
  }
}

export function* manualSalesSection(ctx: GenContext): Generator<void> {
  const placeholder: [number, string][] = [];
  const to = ctx.nowMs - MINUTE;
  for (let i = 0; i < ctx.counts.manualSales; i++) {
    const rng = ctx.rng('manual', i);
    const at =
      i === 0
        ? rng.between(T.ordersIndex, T.msIds)
        : i === 1
          ? rng.between(T.payments, T.payments + DAY)
          : rng.between(T.ordersIndex, to);
    const typed = i === 1 || (i > 1 && rng.chance(0.3));
    const email = typed ? rawCase(rng, person(rng, `m${i}`).email) : MANUAL_SALE_EMAIL;
    const o = buildOrder(ctx, rng, { source: 'manual', createdMs: at, email });
    emitOrder(ctx, o);
    maybeRefund(ctx, rng, o, i === 1 ? 'failed' : undefined);
    if (typed) {
      ctx.out.lpush('ordersGuest', ctx.keys.ordersGuest(email.toLowerCase()), [o.id]);
      maybeInvoice(ctx, rng, o);
    } else {
      placeholder.push([o.createdMs, o.id]);
    }
    yield;
  }
  pushSorted(ctx, ctx.keys.ordersGuest(MANUAL_SALE_EMAIL), placeholder);
}

export function* squareSection(ctx: GenContext): Generator<void> {
  const list: [number, string][] = [];
  const redeliveries = ctx.quota(ctx.counts.squareOrders, 0.25);
  const to = ctx.nowMs - MINUTE;
  for (let i = 0; i < ctx.counts.squareOrders; i++) {
    const rng = ctx.rng('square', i);
    const at = i === 0 ? rng.between(T.squareVariant, to) : rng.between(T.square, to);
    const line = i === 0 ? mappedSquareLine(ctx, rng) : undefined;
    const o = buildOrder(ctx, rng, {
      source: 'square',
      createdMs: at,
      email: SQUARE_POS_EMAIL,
      ...(line ? { lines: [line] } : {}),
    });
    list.push([o.createdMs, o.id]);
    if (i < redeliveries && o.completedMs !== undefined) {
      // payment.updated delivered again: the record is re-created and the id pushed again.
      const again = Math.min(to, o.completedMs + rng.int(1, 30) * MINUTE);
      o.record.createdAt = new Date(again).toISOString();
      o.record.completedAt = new Date(again + 1200).toISOString();
      list.push([again, o.id]);
      ctx.edge(
        'duplicate-list-entry',
        ctx.keys.ordersGuest(SQUARE_POS_EMAIL),
        `Square order ${o.id} listed twice (re-delivery)`,
      );
    }
    emitOrder(ctx, o);
    maybeRefund(ctx, rng, o, i === 0 ? 'completed' : undefined);
    yield;
  }
  pushSorted(ctx, ctx.keys.ordersGuest(SQUARE_POS_EMAIL), list);
}
