/**
 * Orders (§4.2) with the per-source field matrix and the §9 drift: which fields an order has
 * depends on its source and on the day it was created.
 */
import type { GenContext } from './context.js';
import {
  checkoutSessionId,
  manualOrderId,
  msOrderId,
  phone,
  squareOrderId,
  squarePaymentId,
  testOrderId,
} from './ids.js';
import { type Line, type OrderItem, type OrderSource, orderLines } from './order-items.js';
import type { Rng } from './prng.js';
import { iso, MINUTE, T } from './timeline.js';

export const MANUAL_SALE_EMAIL = 'manual-sale@admin.local';
export const SQUARE_POS_EMAIL = 'square-pos@admin.local';

/** What to build: the source decides the id family and the field matrix (§4.2). */
export interface OrderSpec {
  source: OrderSource;
  createdMs: number;
  /** E-mail as received (raw case, maybe with spaces). */
  email: string;
  /** Set for user orders; absent for guests. */
  userId?: string;
  /** `cs_test_…` instead of `cs_live_…` (Stripe sources). */
  testMode?: boolean;
  pending?: boolean;
  /** Lines to use instead of generated ones. */
  lines?: Line[];
  /** The customer's name, for a Stripe shipping address. */
  name?: string;
  /** Force (true) or forbid (false) a shipping address on a Stripe webhook order after 2025-12-18. */
  address?: boolean;
}

/** A generated order: its final JSON plus what the ledger, lists and refunds need. */
export interface BuiltOrder {
  id: string;
  record: Record<string, unknown>;
  createdMs: number;
  completedMs: number | undefined;
  pointsEarned: number;
  items: OrderItem[];
  email: string;
  /** In `orders:index` (created after 2025-12-03 19:45). */
  indexed: boolean;
  source: OrderSource;
  lines: Line[];
}

/** [city, state, country, postal-code prefix]. */
const PLACES = [
  ['Tucson', 'AZ', 'US', '857'],
  ['Phoenix', 'AZ', 'US', '850'],
  ['Mesa', 'AZ', 'US', '852'],
  ['Albuquerque', 'NM', 'US', '871'],
  ['Austin', 'TX', 'US', '787'],
  ['Denver', 'CO', 'US', '802'],
  ['Las Vegas', 'NV', 'US', '891'],
  ['Toronto', 'ON', 'CA', 'M5V'],
] as const;

/** Stripe's collected address: empty values are dropped, so line2 is often absent. */
function shippingAddress(rng: Rng, name: string | undefined): Record<string, string | undefined> {
  const [city, state, country, zip] = rng.pick(PLACES);
  return {
    name,
    line1: `${rng.int(100, 9999)} ${rng.pick(['E Speedway Blvd', 'N Campbell Ave', 'W Ina Rd', 'S 4th Ave', 'E Broadway'])}`,
    line2: rng.chance(0.2) ? `Apt ${rng.int(1, 40)}` : undefined,
    city,
    state,
    postalCode:
      country === 'CA'
        ? `${zip} ${rng.int(1, 9)}T${rng.int(1, 9)}`
        : `${zip}${String(rng.int(1, 99)).padStart(2, '0')}`,
    country,
  };
}

function orderId(rng: Rng, spec: OrderSpec): string {
  switch (spec.source) {
    case 'stripe-webhook':
    case 'stripe-sync':
      return checkoutSessionId(rng, !spec.testMode);
    case 'manual':
      return spec.createdMs < T.msIds ? manualOrderId(rng) : msOrderId(rng);
    case 'square':
      return squareOrderId(squarePaymentId(rng));
    case 'test':
      return testOrderId(rng, spec.createdMs);
  }
}

/** `pointsEarned`: `floor` before 2025-12-03, `round` after; on the subtotal since 2025-12-11. */
export function pointsFor(createdMs: number, base: number): number {
  return createdMs < T.guests ? Math.floor(base / 100) : Math.round(base / 100);
}

export function buildOrder(ctx: GenContext, rng: Rng, spec: OrderSpec): BuiltOrder {
  const { source, createdMs } = spec;
  const lines = spec.lines ?? orderLines(ctx, rng, source, createdMs);
  const items = lines.map((l) => l.item);
  const id = orderId(rng, spec);
  const subtotal = items.reduce((s, i) => s + i.priceCents, 0);
  const modern = createdMs >= T.subtotals;
  let total = subtotal;
  let fields: Record<string, unknown> = {};
  let base = subtotal;
  if (source === 'stripe-webhook') {
    const shippingCents = rng.weighted([
      [0, 3],
      [599, 4],
      [899, 2],
    ]);
    const taxCents = rng.chance(0.9) ? Math.round(subtotal * 0.087) : 0;
    total = subtotal + shippingCents + taxCents;
    fields = modern ? { productSubtotalCents: subtotal, shippingCents, taxCents } : {};
    base = modern ? subtotal : total;
  } else if (source === 'square') {
    const taxCents = createdMs >= T.squareTax ? Math.round(subtotal * 0.087) : undefined;
    const tip = rng.chance(0.2) ? rng.int(1, 5) * 100 : 0;
    const discount = rng.chance(0.1) ? Math.round(subtotal * 0.1) : 0;
    total = subtotal + (taxCents ?? 0) + tip - discount;
    fields = { productSubtotalCents: subtotal, taxCents };
  } else if (source === 'test') {
    // The body's totalCents is whatever the admin typed.
    total = rng.chance(0.7) ? subtotal : rng.int(100, 10000);
    base = total;
  }
  const paymentMethod =
    source === 'square'
      ? 'square'
      : source === 'manual' && createdMs >= T.payments
        ? rng.pick(['cash', 'card', 'other'])
        : undefined;
  let notes: string | undefined;
  if (source === 'square') {
    const receipt = rng.weighted([
      [`https://squareup.com/receipt/preview/${rng.base62(24)}`, 6],
      [rng.base62(4).toUpperCase(), 3],
      ['N/A', 1],
    ]);
    notes = `Square Payment ID: ${rng.base62(29)}\nReceipt: ${receipt}`;
  } else if (source === 'manual' && createdMs >= T.payments && rng.chance(0.4)) {
    notes = rng.pick(['Farmers market booth', 'Paid via Venmo', 'Wholesale pickup', 'Gift for neighbour']);
  }
  const pointsEarned = pointsFor(createdMs, base);
  const completedMs = spec.pending ? undefined : createdMs + rng.int(800, 4000);
  const stripeWebhook = source === 'stripe-webhook';
  const address = stripeWebhook && createdMs >= T.shipping && (spec.address ?? rng.chance(0.85));
  const record: Record<string, unknown> = {
    id,
    userId: spec.userId,
    email: spec.email,
    totalCents: total,
    ...fields,
    pointsEarned,
    paymentMethod,
    notes,
    status: completedMs === undefined ? 'pending' : 'completed',
    isGuest: createdMs >= T.guests ? spec.userId === undefined : undefined,
    items,
    shippingAddress: address ? shippingAddress(rng, spec.name) : undefined,
    phone: address && rng.chance(0.8) ? phone(rng) : undefined,
    createdAt: iso(createdMs),
    completedAt: completedMs === undefined ? undefined : iso(completedMs),
  };
  if (completedMs !== undefined && stripeWebhook && createdMs >= T.shippingStatus && rng.chance(0.3)) {
    // updateOrderShipping (Redis-era backup): RMW, so the fields come last.
    const shippedMs = Math.min(ctx.nowMs - MINUTE, completedMs + rng.int(1, 3) * 86_400_000);
    const delivered = rng.chance(0.5);
    record.trackingNumber = `9400${rng.int(100000000, 999999999)}${rng.int(100000000, 999999999)}`;
    record.shippingStatus = delivered ? 'delivered' : 'shipped';
    record.shippedAt = iso(shippedMs);
    if (delivered) record.deliveredAt = iso(Math.min(ctx.nowMs - MINUTE, shippedMs + 2 * 86_400_000));
  }
  return {
    id,
    record,
    createdMs,
    completedMs,
    pointsEarned,
    items,
    email: spec.email,
    indexed: createdMs >= T.ordersIndex,
    source,
    lines,
  };
}

/**
 * Writes the order record and queues its `orders:index` entry (only for orders created after
 * eeb1a79); logs the edge cases the order carries by nature (pre-index, static-only or synthetic
 * slugs). The caller writes the user or guest list.
 */
export function emitOrder(ctx: GenContext, o: BuiltOrder, opts: { index?: boolean } = {}): void {
  const key = ctx.keys.order(o.id);
  ctx.out.json('order', key, o.record);
  if (o.indexed && opts.index !== false) ctx.index.add('ordersIndex', ctx.keys.ordersIndex(), o.id);
  if (!o.indexed) {
    ctx.edge(
      'pre-index-order',
      key,
      o.createdMs < T.guests
        ? 'created before 2025-12-03: not in orders:index, no isGuest, pointsEarned with floor'
        : 'created before 2025-12-03 19:45: not in orders:index',
    );
  }
  for (const l of o.lines) {
    if (l.ref === 'static-only') {
      ctx.edge('static-catalogue-ref', key, `item ${l.item.productSlug} exists only in the static catalogue`);
    } else if (l.ref === 'synthetic') {
      ctx.edge('dangling-product-ref', key, `item slug ${l.item.productSlug} matches no product`);
    }
  }
}

/** `linkGuestOrdersToUser`: `{...order, userId, isGuest: false}` (userId lands at the end). */
export function linkToUser(o: BuiltOrder, userId: string): void {
  const { userId: _old, ...rest } = o.record;
  o.record = { ...rest, isGuest: false, userId };
}
