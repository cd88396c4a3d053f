/**
 * Declarations of the commerce domains: orders, checkout, promotions and refunds. These are the
 * operations that tie domains together (a checkout changes stock, points, the promotion counter and
 * the order at once), so their footprints are what makes the big group.
 */
import type { DataLayer } from '../../../domain/data-layer.js';
import { type DeclTree, ledger, read, rec, recs, type TouchedKey, write } from '../declare.js';

const order = (id: string | null | undefined) => rec('orders', id);
const orderList = (orders: readonly { id: string }[]) =>
  recs(
    'orders',
    orders.map((o) => o.id),
  );

// Completing an order awards its points: the user's balance and a new ledger entry.
const award = (userId: string | null | undefined): TouchedKey[] => [
  ...rec('users', userId),
  ...ledger(userId),
];

export const ordersDecls: DeclTree<DataLayer['orders']> = {
  create: write({ preKeys: ([o]) => order(o.id), keys: ([o]) => order(o.id) }),
  get: read({ keys: ([id]) => order(id), resultKeys: (o) => order(o?.id) }),
  byUser: read({ resultKeys: (page) => orderList(page.orders) }),
  guestByEmail: read({ resultKeys: (orders) => orderList(orders) }),
  list: read({ resultKeys: (page) => orderList(page.orders) }),
  updateShipping: write({ preKeys: ([id]) => order(id), keys: ([id]) => order(id) }),
  complete: write({
    touches: ['users', 'points'],
    preKeys: ([id]) => order(id),
    keys: ([id], o) => [...order(id), ...award(o.userId)],
  }),
  delete: write({ preKeys: ([id]) => order(id), keys: ([id]) => order(id) }),
  linkGuestOrders: write({
    touches: ['users', 'points'],
    preKeys: ([userId]) => rec('users', userId),
    keys: ([userId], r) => [...orderList(r.linked), ...award(userId)],
  }),
};

export const checkoutDecls: DeclTree<DataLayer['checkout']> = {
  placeOrder: write({
    touches: ['orders', 'products', 'points', 'users', 'promotions'],
    preKeys: ([input]) => [...order(input.orderId), ...rec('users', input.userId)],
    async keys([input], r, ctx) {
      // The result names the order only; the promotion may have been given by code.
      const promotionId =
        input.promotionId ??
        (input.promotionCode ? (await ctx.source.promotions.getByCode(input.promotionCode))?.id : undefined);
      return [
        ...order(r.order.id),
        ...recs(
          'products',
          input.lines.map((l) => l.slug),
        ),
        ...award(input.userId),
        ...rec('promotions', promotionId),
      ];
    },
  }),
};

const promotion = (id: string | null | undefined) => rec('promotions', id);

export const promotionsDecls: DeclTree<DataLayer['promotions']> = {
  create: write({ keys: (_a, p) => promotion(p.id) }),
  get: read({ keys: ([id]) => promotion(id), resultKeys: (p) => promotion(p?.id) }),
  getByCode: read({ resultKeys: (p) => promotion(p?.id) }),
  update: write({ preKeys: ([id]) => promotion(id), keys: ([id]) => promotion(id) }),
  delete: write({ preKeys: ([id]) => promotion(id), keys: ([id]) => promotion(id) }),
  list: read({
    resultKeys: (all) =>
      recs(
        'promotions',
        all.map((p) => p.id),
      ),
  }),
  redeem: write({ preKeys: ([id]) => promotion(id), keys: ([id]) => promotion(id) }),
};

const refund = (id: string | null | undefined) => rec('refunds', id);

export const refundsDecls: DeclTree<DataLayer['refunds']> = {
  create: write({ keys: (_a, r) => refund(r.id) }),
  setStatus: write({ preKeys: ([id]) => refund(id), keys: ([id]) => refund(id) }),
  get: read({ keys: ([id]) => refund(id), resultKeys: (r) => refund(r?.id) }),
  byOrder: read({
    resultKeys: (all) =>
      recs(
        'refunds',
        all.map((r) => r.id),
      ),
  }),
  list: read({
    resultKeys: (all) =>
      recs(
        'refunds',
        all.map((r) => r.id),
      ),
  }),
  completeRefund: write({
    touches: ['products', 'points', 'users'],
    preKeys: ([id]) => refund(id),
    async keys([id], r, ctx) {
      // Points are taken from the order's CURRENT user, which may differ from the refund's copy.
      const current = (await ctx.source.orders.get(r.refund.orderId))?.userId;
      return [
        ...refund(id),
        ...recs(
          'products',
          r.restock.map((s) => s.productSlug),
        ),
        ...award(current),
        ...(r.refund.userId !== current ? award(r.refund.userId) : []),
      ];
    },
  }),
};
