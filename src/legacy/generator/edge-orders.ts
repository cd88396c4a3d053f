/**
 * Planted §8 cases around customers: users, guest lists, orders, refunds and the ledger. Each
 * variant is planted `quota` times (at least once when planting) as extra entities, so the main
 * flow stays realistic and every planted case is listed in the manifest.
 */
import type { GenContext } from './context.js';
import { invoiceToken } from './ephemeral.js';
import { emitGuest, type GuestVariant } from './guests.js';
import { person, rawCase } from './ids.js';
import { buildRefund, emitRefund } from './ledger.js';
import type { Line } from './order-items.js';
import { buildOrder, emitOrder, type OrderSpec } from './orders.js';
import type { Rng } from './prng.js';
import { MINUTE, T } from './timeline.js';
import { emitUser, type UserVariant } from './users.js';

const USER_VARIANTS: (keyof UserVariant)[] = [
  'deleted',
  'unindexed',
  'mismatch',
  'negative',
  'adjustment',
  'reprocessed',
  'danglingListId',
  'danglingTxId',
  'deletedOrderTx',
  'preIndex',
];
const GUEST_VARIANTS: (keyof GuestVariant)[] = ['duplicate', 'danglingListId', 'untrimmed'];

/** Neutral tags (they end up in e-mail addresses): one letter per family, the variant, the copy. */
export function edgeUserTag(variant: keyof UserVariant, k: number): string {
  return `w${USER_VARIANTS.indexOf(variant)}x${k}`;
}

/** A guest Stripe order of a one-off customer; `tag` keeps the e-mail unique. */
function guestSpec(ctx: GenContext, rng: Rng, tag: string, from = T.ordersIndex): OrderSpec {
  const p = person(rng, tag);
  return {
    source: 'stripe-webhook',
    createdMs: rng.between(from, ctx.nowMs - MINUTE),
    email: rawCase(rng, p.email),
    name: `${p.firstName} ${p.lastName}`,
  };
}

export function* edgeCustomers(ctx: GenContext): Generator<void> {
  const { keys, counts } = ctx;
  for (const variant of USER_VARIANTS) {
    for (let k = 0; k < ctx.quota(counts.users, 0.25); k++) {
      emitUser(ctx, edgeUserTag(variant, k), { [variant]: true });
      yield;
    }
  }
  for (const variant of GUEST_VARIANTS) {
    for (let k = 0; k < ctx.quota(counts.guestCustomers, 0.25); k++) {
      emitGuest(ctx, `h${GUEST_VARIANTS.indexOf(variant)}x${k}`, { [variant]: true });
      yield;
    }
  }
  const orders = counts.guestCustomers + counts.manualSales + counts.squareOrders;
  const n = ctx.quota(orders, 0.1);
  for (let k = 0; k < n; k++) {
    const rng = ctx.rng('edge-order', k);
    const u = rng.uuid();
    ctx.index.add('usersIndex', keys.usersIndex(), u);
    ctx.edge('dangling-index-id', keys.usersIndex(), `user ${u} has no record`);

    const ghost = `cs_live_a1${rng.base62(56)}`;
    ctx.index.add('ordersIndex', keys.ordersIndex(), ghost);
    ctx.edge('dangling-index-id', keys.ordersIndex(), `order ${ghost} has no record`);

    // A crash between SET and SADD: the order exists but no index or list has it.
    const lost = buildOrder(ctx, rng, guestSpec(ctx, rng, `o${k}a`));
    emitOrder(ctx, lost, { index: false });
    ctx.edge(
      'unindexed-record',
      keys.order(lost.id),
      'order created after 2025-12-03 19:45 but missing from orders:index and every list',
    );

    deletedOrderRefs(ctx, rng, k);
    refundIndexGaps(ctx, rng, k);
    unusualLines(ctx, rng, k);

    // Before fec6549 pointsEarned came from a total that includes shipping and tax.
    const old = buildOrder(ctx, rng, {
      ...guestSpec(ctx, rng, `o${k}b`),
      createdMs: rng.between(T.ordersIndex, T.subtotals - MINUTE),
    });
    emitOrder(ctx, old);
    ctx.out.lpush('ordersGuest', keys.ordersGuest(old.email.toLowerCase()), [old.id]);
    ctx.edge(
      'legacy-shape',
      keys.order(old.id),
      'pointsEarned computed on a total that includes shipping and tax',
    );
    yield;
  }
  ctx.index.flush();
}

/** Refunds, a refund set and an invoice token that outlived their order (deleteOrder keeps them). */
function deletedOrderRefs(ctx: GenContext, rng: Rng, k: number): void {
  const { keys } = ctx;
  const gone = buildOrder(ctx, rng, { ...guestSpec(ctx, rng, `o${k}c`, T.payments), source: 'test' });
  const r = buildRefund(ctx, rng, gone, 'failed');
  emitRefund(ctx, gone.id, r);
  ctx.edge('dangling-order-ref', keys.refund(r.id), `refund of deleted order ${gone.id}`);
  ctx.edge('dangling-order-ref', keys.orderRefunds(gone.id), `refund set of deleted order ${gone.id}`);
  const inv = invoiceToken(ctx, rng, gone);
  ctx.edge('dangling-order-ref', inv, `invoice token for deleted order ${gone.id}`);
}

/** A refund set member and a refunds:index member with no record; a refund missing from the index. */
function refundIndexGaps(ctx: GenContext, rng: Rng, k: number): void {
  const { keys } = ctx;
  const o = buildOrder(ctx, rng, guestSpec(ctx, rng, `o${k}d`, T.payments));
  emitOrder(ctx, o);
  ctx.out.lpush('ordersGuest', keys.ordersGuest(o.email.toLowerCase()), [o.id]);
  const ghost = rng.uuid();
  ctx.out.sadd('orderRefunds', keys.orderRefunds(o.id), [ghost]);
  ctx.edge('dangling-index-id', keys.orderRefunds(o.id), `refund ${ghost} has no record`);
  const ghost2 = rng.uuid();
  ctx.index.add('refundsIndex', keys.refundsIndex(), ghost2);
  ctx.edge('dangling-index-id', keys.refundsIndex(), `refund ${ghost2} has no record`);
  const r = buildRefund(ctx, rng, o, 'processing');
  emitRefund(ctx, o.id, r, { index: false });
  ctx.edge('unindexed-record', keys.refund(r.id), 'refund missing from refunds:index (stuck in processing)');
}

/** Lines that reference deleted, static-only or synthetic slugs, duplicate lines, extra keys. */
function unusualLines(ctx: GenContext, rng: Rng, k: number): void {
  const { keys, catalogue } = ctx;
  const product = rng.pick(catalogue.products.filter((p) => p.variantIds.length > 0));
  const variantId = product.variantIds[0]!;
  const line = {
    productSlug: product.slug,
    productName: product.name,
    quantity: 1,
    priceCents: Math.round(product.price * 100),
    variantId,
  };
  const lines: Line[] = [
    { item: { ...line }, ref: 'product' },
    { item: { ...line }, ref: 'product' },
    {
      item: {
        productSlug: 'retired-mezcal-candle',
        productName: 'Retired Mezcal Candle',
        quantity: 1,
        priceCents: 2499,
        unitPriceCents: 2499,
        sizeName: null,
      },
      ref: 'product',
    },
  ];
  const spec = { ...guestSpec(ctx, rng, `o${k}e`, T.payments), source: 'test' as const, lines };
  const o = buildOrder(ctx, rng, spec);
  emitOrder(ctx, o);
  ctx.out.lpush('ordersGuest', keys.ordersGuest(o.email.toLowerCase()), [o.id]);
  const key = keys.order(o.id);
  ctx.edge('uniqueness-conflict', key, `two identical lines with variantId ${variantId}`);
  ctx.edge('dangling-product-ref', key, 'item slug retired-mezcal-candle was deleted');
  ctx.edge('unknown-extra-key', key, 'test-order item with unitPriceCents and sizeName (stored verbatim)');

  const st = catalogue.staticOnly[0];
  const synthetic: Line = {
    item: {
      productSlug: `unmapped-price_1${rng.base62(23)}`,
      productName: 'Gift Card (Not Listed)',
      quantity: 1,
      priceCents: 2500,
    },
    ref: 'synthetic',
  };
  const staticLine: Line[] = st
    ? [
        {
          item: {
            productSlug: st.slug,
            productName: st.name,
            quantity: 1,
            priceCents: Math.round(st.price * 100),
          },
          ref: 'static-only',
        },
      ]
    : [];
  const o2 = buildOrder(ctx, rng, {
    ...guestSpec(ctx, rng, `o${k}f`, T.payments),
    lines: [synthetic, ...staticLine],
  });
  emitOrder(ctx, o2);
  ctx.out.lpush('ordersGuest', keys.ordersGuest(o2.email.toLowerCase()), [o2.id]);
  const r = buildRefund(ctx, rng, o2, 'failed');
  emitRefund(ctx, o2.id, r);
  ctx.edge(
    'dangling-product-ref',
    keys.refund(r.id),
    `refund item slug ${synthetic.item.productSlug} matches no product`,
  );
}
