/**
 * Concurrent user traffic through routed data layers, for the fault and stage-stepping tests: a mix
 * of account, points, checkout, catalogue, promotion, purchase and admin operations (and reads), each
 * of which must succeed whatever the stage or the state of the shadow store. Every failure is kept.
 *
 * Each worker writes to its own customers (one customer does not check out twice at the same
 * moment): the Postgres checkout deadlocks on concurrent checkouts of one user (its order INSERT
 * takes a KEY SHARE lock on the user through the foreign key before locking the row FOR UPDATE),
 * a repository issue of its own that this traffic is not meant to measure.
 */
import { randomUUID } from 'node:crypto';
import type { DataLayer } from '../../src/domain/data-layer.js';
import { bcryptHash, newUser } from '../contract/fixtures/accounts.js';

export interface TrafficWorld {
  users: { id: string; email: string }[];
  slugs: string[];
  promotionId: string;
  adminId: string;
  orderIds: string[];
}

/** Seeds what the traffic works on, through a layer (so both stores get it when the stage writes both). */
export async function seedWorld(layer: DataLayer, size = { users: 8, products: 4 }): Promise<TrafficWorld> {
  const users = [];
  for (let i = 0; i < size.users; i++) {
    const u = await layer.users.create(newUser());
    users.push({ id: u.id, email: u.email });
  }
  const slugs = [];
  for (let i = 0; i < size.products; i++) {
    const slug = `traffic-${randomUUID().slice(0, 8)}`;
    await layer.products.upsert({
      slug,
      name: `Traffic candle ${i}`,
      priceCents: 2400,
      sku: `DCW-${7000 + i}`,
      stock: 1_000_000,
      variantConfig: {
        wickTypes: [{ id: 'standard', name: 'Standard Wick' }],
        variantData: { 'standard-vanilla': { stock: 1_000_000 } },
      },
    });
    slugs.push(slug);
  }
  const promotion = await layer.promotions.create({
    code: `TRAFFIC${randomUUID().slice(0, 6).toUpperCase()}`,
    name: 'Traffic',
    type: 'percentage',
    discountPercent: 10,
    active: true,
  });
  const admin = await layer.admin.create({
    email: `ops.${randomUUID().slice(0, 8)}@example.com`,
    passwordHash: bcryptHash(),
    twoFactorSecret: 'JBSWY3DPEHPK3PXPJBSWY3DP',
    twoFactorBackupCodes: ['AAAA1111'],
    role: 'admin',
  });
  return { users, slugs, promotionId: promotion.id, adminId: admin.id, orderIds: [] };
}

/** What one worker writes to: its own customers. */
interface Worker {
  users: { id: string; email: string }[];
}

type Op = (layer: DataLayer, world: TrafficWorld, me: Worker) => Promise<unknown>;

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

const OPS: [string, Op][] = [
  [
    'users.create',
    async (l, w, me) => {
      const u = await l.users.create(newUser());
      w.users.push({ id: u.id, email: u.email });
      me.users.push({ id: u.id, email: u.email });
    },
  ],
  [
    'users.updateProfile',
    (l, _w, me) => l.users.updateProfile(pick(me.users).id, { firstName: `N${randomUUID().slice(0, 4)}` }),
  ],
  ['users.getById', (l, w) => l.users.getById(pick(w.users).id)],
  ['points.earn', (l, _w, me) => l.points.earn(pick(me.users).id, 5, 'Purchase #cs_test_')],
  ['points.history', (l, w) => l.points.history(pick(w.users).id, { limit: 5 })],
  [
    'checkout.placeOrder',
    async (l, w, me) => {
      const u = pick(me.users);
      const slug = pick(w.slugs);
      const { order } = await l.checkout.placeOrder({
        orderId: `cs_test_${randomUUID().replaceAll('-', '')}`,
        userId: u.id,
        email: u.email,
        lines: [
          { slug, quantity: 1, priceCents: 2400 },
          { slug, variantId: 'standard-vanilla', quantity: 1, priceCents: 2400 },
        ],
        promotionId: w.promotionId,
      });
      w.orderIds.push(order.id);
    },
  ],
  [
    'orders.updateShipping',
    async (l, w) => {
      if (w.orderIds.length > 0)
        await l.orders.updateShipping(pick(w.orderIds), {
          trackingNumber: `1Z${randomUUID().slice(0, 8)}`,
          shippingStatus: 'shipped',
        });
    },
  ],
  ['orders.get', async (l, w) => (w.orderIds.length > 0 ? l.orders.get(pick(w.orderIds)) : null)],
  ['products.adjustStock', (l, w) => l.products.adjustStock(pick(w.slugs), 1)],
  ['products.get', (l, w) => l.products.get(pick(w.slugs))],
  [
    'promotions.update',
    (l, w) => l.promotions.update(w.promotionId, { description: `d${randomUUID().slice(0, 4)}` }),
  ],
  [
    'purchases.create',
    (l) =>
      l.purchases.create({
        vendorName: 'Candle Supply',
        purchaseDate: '2025-12-11',
        items: [{ name: 'Soy wax', category: 'wax', quantity: 2, unitCostCents: 1999 }],
      }),
  ],
  ['admin.updateLastLogin', (l, w) => l.admin.updateLastLogin(w.adminId)],
  ['alcoholTypes.list', (l) => l.alcoholTypes.list()],
];

export interface TrafficReport {
  ok: number;
  failures: { op: string; error: string }[];
  byOp: Record<string, number>;
}

/**
 * Runs `workers` loops per layer until `stop()`, each pausing `pauseMs` between operations (a store
 * front, not a benchmark); `stop()` resolves with the report once they have finished.
 */
export function startTraffic(layers: readonly DataLayer[], world: TrafficWorld, workers = 2, pauseMs = 5) {
  let stopped = false;
  const report: TrafficReport = { ok: 0, failures: [], byOp: {} };
  const loop = async (layer: DataLayer) => {
    const me: Worker = { users: [] };
    for (let i = 0; i < 3; i++) {
      const u = await layer.users.create(newUser());
      me.users.push({ id: u.id, email: u.email });
      world.users.push({ id: u.id, email: u.email });
    }
    while (!stopped) {
      const [name, op] = pick(OPS);
      try {
        await op(layer, world, me);
        report.ok++;
        report.byOp[name] = (report.byOp[name] ?? 0) + 1;
      } catch (err) {
        const cause =
          err instanceof Error && err.cause instanceof Error ? ` (cause: ${err.cause.message})` : '';
        report.failures.push({
          op: name,
          error: err instanceof Error ? `${err.name}: ${err.message}${cause}` : String(err),
        });
      }
      await new Promise((r) => setTimeout(r, pauseMs));
    }
  };
  const running = layers.flatMap((layer) => Array.from({ length: workers }, () => loop(layer)));
  return {
    report,
    async stop(): Promise<TrafficReport> {
      stopped = true;
      await Promise.all(running);
      return report;
    },
  };
}
