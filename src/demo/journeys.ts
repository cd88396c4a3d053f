/**
 * What the virtual users do. A customer: browse the catalogue, maybe check out as a guest first,
 * register (which links the guest order), log out and in again, look at a product or two, check out
 * (stock goes down, points are earned), read the order history, check out again spending points,
 * read one order. An admin: logs in with password + TOTP and refunds orders of finished journeys
 * (stock comes back, points are taken back). Every answer is checked; a wrong one is a failure.
 */
import { base32Decode, totpAt } from '../api/totp.js';
import type { VirtualClient } from './http-client.js';
import type { AckLine, WriteLedger } from './ledger.js';

/** The demo's own admin (created in the legacy store before the migration starts). */
export interface DemoAdmin {
  email: string;
  password: string;
  totpSecret: string;
}

export interface CustomerDeps {
  client: VirtualClient;
  /** The catalogue (`GET /api/products`), fetched now or kept from a recent journey like a browser cache. */
  browse(client: VirtualClient): Promise<unknown>;
  ledger: WriteLedger;
  /** Unique per journey (e-mail addresses, order ids). */
  tag: string;
  /** Buy a product only while this many units are left (no two users race for the last ones). */
  minStock: number;
  /** Deterministic choices per journey. */
  random: () => number;
}

interface PublicProduct {
  slug: string;
  priceCents: number;
  stock: number;
  variants: unknown[];
}

interface PublicOrder {
  id: string;
  userId?: string;
  totalCents: number;
  pointsEarned: number;
  items: { productSlug: string; quantity: number }[];
}

const obj = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};

/** Products a customer may buy: visible, priced, without variants, with enough stock left. */
function buyable(products: unknown, minStock: number): PublicProduct[] {
  const list = Array.isArray(obj(products).products) ? (obj(products).products as PublicProduct[]) : [];
  return list.filter((p) => p.priceCents > 0 && p.stock >= minStock && p.variants.length === 0);
}

async function checkout(
  d: CustomerDeps,
  lines: AckLine[],
  extra: { email?: string; pointsToRedeem?: number },
  owner: { userId: string | null; email: string },
): Promise<PublicOrder> {
  const route = 'POST /api/checkout';
  const res = await d.client.call({
    method: 'POST',
    path: '/api/checkout',
    route,
    body: { lines, ...extra, shippingCents: 0, taxCents: 0 },
    expect: [201],
  });
  const order = obj(res.body).order as PublicOrder | undefined;
  const sameLines =
    order?.items.length === lines.length &&
    lines.every((l, i) => order.items[i]?.productSlug === l.slug && order.items[i]?.quantity === l.quantity);
  if (!order || !sameLines) d.client.reject(route, 'wrong answer: the order does not hold the lines bought');
  d.ledger.orders.set(order.id, {
    id: order.id,
    userId: owner.userId,
    email: owner.email,
    lines,
    totalCents: order.totalCents,
    pointsEarned: order.pointsEarned,
  });
  return order;
}

/** Fresh stock of one or two products (a product page view each); the lines that can still be bought. */
async function chooseLines(d: CustomerDeps, candidates: PublicProduct[]): Promise<AckLine[]> {
  const lines: AckLine[] = [];
  const wanted = 1 + Math.floor(d.random() * 2);
  for (let i = 0; i < wanted && candidates.length > 0; i++) {
    const p = candidates.splice(Math.floor(d.random() * candidates.length), 1)[0]!;
    const path = `/api/products/${encodeURIComponent(p.slug)}`;
    const res = await d.client.call({ method: 'GET', path, route: 'GET /api/products/:slug', expect: [200] });
    const fresh = obj(res.body).product as PublicProduct | undefined;
    if (fresh && fresh.stock >= d.minStock) lines.push({ slug: p.slug, quantity: 1 });
  }
  return lines;
}

export async function customerJourney(d: CustomerDeps): Promise<void> {
  const { client, ledger } = d;
  const email = `shopper.${d.tag}@example.com`;
  const password = `correct horse ${d.tag}`;
  const catalogue = { body: await d.browse(client) };
  let candidates = buyable(catalogue.body, d.minStock);

  // Every third customer bought as a guest before registering.
  let guestOrder: PublicOrder | undefined;
  if (d.random() < 1 / 3) {
    const lines = await chooseLines(d, [...candidates]);
    if (lines.length > 0) guestOrder = await checkout(d, lines, { email }, { userId: null, email });
  }

  const reg = await client.call({
    method: 'POST',
    path: '/api/auth/register',
    route: 'POST /api/auth/register',
    body: { email, password, firstName: 'Demo', lastName: `Shopper ${d.tag}` },
    expect: [201],
  });
  const user = obj(obj(reg.body).user);
  const userId =
    typeof user.id === 'string'
      ? user.id
      : client.reject('POST /api/auth/register', 'wrong answer: no user id');
  ledger.users.set(userId, { id: userId, email, balanceAtEnd: null });
  if (guestOrder) {
    if (obj(reg.body).guestOrdersLinked !== 1)
      client.reject('POST /api/auth/register', 'wrong answer: guest order not linked');
    ledger.orders.get(guestOrder.id)!.userId = userId;
  }

  await client.call({
    method: 'POST',
    path: '/api/auth/logout',
    route: 'POST /api/auth/logout',
    expect: [204],
  });
  await client.call({
    method: 'POST',
    path: '/api/auth/login',
    route: 'POST /api/auth/login',
    body: { email, password },
    expect: [200],
  });

  candidates = buyable(catalogue.body, d.minStock);
  const lines = await chooseLines(d, candidates);
  const first = lines.length > 0 ? await checkout(d, lines, {}, { userId, email }) : undefined;

  const history = await client.call({
    method: 'GET',
    path: '/api/orders',
    route: 'GET /api/orders',
    expect: [200],
  });
  const listed = new Set(((obj(history.body).orders as PublicOrder[] | undefined) ?? []).map((o) => o.id));
  for (const o of [guestOrder, first]) {
    if (o && !listed.has(o.id))
      client.reject('GET /api/orders', `wrong answer: order ${o.id} missing from the history`);
  }

  const me = await client.call({ method: 'GET', path: '/api/me', route: 'GET /api/me', expect: [200] });
  const points = Number(obj(obj(me.body).user).points ?? 0);
  let second: PublicOrder | undefined;
  if (points > 0) {
    const more = await chooseLines(d, buyable(catalogue.body, d.minStock));
    if (more.length > 0)
      second = await checkout(d, more, { pointsToRedeem: Math.min(points, 20) }, { userId, email });
  }
  const shown = second ?? first;
  if (shown) {
    await client.call({
      method: 'GET',
      path: `/api/orders/${encodeURIComponent(shown.id)}`,
      route: 'GET /api/orders/:id',
      expect: [200],
    });
  }
  const end = await client.call({ method: 'GET', path: '/api/me', route: 'GET /api/me', expect: [200] });
  ledger.users.get(userId)!.balanceAtEnd = Number(obj(obj(end.body).user).points ?? 0);
  await client.call({
    method: 'POST',
    path: '/api/auth/logout',
    route: 'POST /api/auth/logout',
    expect: [204],
  });
  // The journey is over: nothing else changes this customer's points, so the admin may refund now.
  for (const o of [guestOrder, first, second]) if (o && d.random() < 0.5) ledger.offerForRefund(o.id);
}

export interface AdminDeps {
  client: VirtualClient;
  ledger: WriteLedger;
  admin: DemoAdmin;
  now: () => Date;
}

export async function adminLogin(d: AdminDeps): Promise<void> {
  const code = totpAt(base32Decode(d.admin.totpSecret)!, Math.floor(d.now().getTime() / 30_000));
  await d.client.call({
    method: 'POST',
    path: '/api/admin/login',
    route: 'POST /api/admin/login',
    body: { email: d.admin.email, password: d.admin.password, code },
    expect: [200],
  });
}

/** Refunds one order (full amount, stock restored); false when nothing is waiting. */
export async function refundOne(d: AdminDeps): Promise<boolean> {
  const orderId = d.ledger.nextRefundable();
  if (!orderId) return false;
  const route = 'POST /api/admin/refunds';
  const res = await d.client.call({
    method: 'POST',
    path: '/api/admin/refunds',
    route,
    body: { orderId, reason: 'customer_request', restoreInventory: true },
    expect: [201],
  });
  const body = obj(res.body);
  const refund = obj(body.refund);
  const restock = Array.isArray(body.restock)
    ? (body.restock as { productSlug: string; quantity: number; status: string }[])
    : [];
  if (typeof refund.id !== 'string' || refund.status !== 'completed')
    d.client.reject(route, 'wrong answer: refund not completed');
  d.ledger.refunds.set(refund.id, {
    id: refund.id,
    orderId,
    restock: restock
      .filter((r) => r.status === 'restored')
      .map((r) => ({ slug: r.productSlug, quantity: r.quantity })),
    pointsDeducted: Number(body.pointsDeducted ?? 0),
  });
  return true;
}
