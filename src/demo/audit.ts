/**
 * The final audit of acknowledged writes, read back through the data layer in its final state (the
 * store of record after the walk): every account, order and refund the API confirmed must be there
 * as confirmed, and each product's stock and each customer's points must equal what the confirmed
 * writes imply. Nothing else writes during the demo, so the arithmetic is exact.
 */
import type { DataLayer } from '../domain/data-layer.js';
import type { WriteLedger } from './ledger.js';

export interface AuditResult {
  usersChecked: number;
  ordersChecked: number;
  refundsChecked: number;
  productsChecked: number;
  /** One line per problem (the first 20). */
  problems: string[];
  problemCount: number;
  /** The stock and points arithmetic was skipped: some write's outcome is unknown (a 5xx or a dropped connection). */
  arithmeticSkipped: boolean;
}

export async function auditWrites(
  data: DataLayer,
  ledger: WriteLedger,
  /** Stock per slug when the traffic started. */
  initialStock: ReadonlyMap<string, number>,
): Promise<AuditResult> {
  const problems: string[] = [];
  const problem = (text: string) => problems.push(text);
  const arithmetic = ledger.uncertainWrites === 0;

  for (const u of ledger.users.values()) {
    const user = await data.users.getById(u.id);
    if (!user) problem(`user ${u.id} (${u.email}) was registered but is missing`);
    else if (user.email !== u.email) problem(`user ${u.id}: e-mail ${user.email}, registered as ${u.email}`);
  }
  const deducted = ledger.pointsDeductedByUser();
  if (arithmetic) {
    for (const u of ledger.users.values()) {
      if (u.balanceAtEnd === null) continue;
      const expected = u.balanceAtEnd - (deducted.get(u.id) ?? 0);
      const balance = await data.points.balance(u.id);
      if (balance !== expected) problem(`user ${u.id}: ${balance} points, expected ${expected}`);
    }
  }

  for (const o of ledger.orders.values()) {
    const order = await data.orders.get(o.id);
    if (!order) {
      problem(`order ${o.id} was confirmed but is missing`);
      continue;
    }
    const lines = order.items.map((i) => `${i.productSlug}×${i.quantity}`).join(',');
    const confirmed = o.lines.map((l) => `${l.slug}×${l.quantity}`).join(',');
    if (lines !== confirmed) problem(`order ${o.id}: items ${lines}, confirmed ${confirmed}`);
    if (order.totalCents !== o.totalCents)
      problem(`order ${o.id}: total ${order.totalCents}, confirmed ${o.totalCents}`);
    if ((order.userId ?? null) !== o.userId)
      problem(`order ${o.id}: user ${order.userId ?? 'none'}, expected ${o.userId ?? 'none'}`);
  }

  for (const r of ledger.refunds.values()) {
    const refund = await data.refunds.get(r.id);
    if (!refund) problem(`refund ${r.id} was confirmed but is missing`);
    else if (refund.status !== 'completed')
      problem(`refund ${r.id}: status ${refund.status}, confirmed completed`);
  }

  const net = ledger.netUnitsSold();
  if (arithmetic) {
    for (const [slug, units] of net) {
      const start = initialStock.get(slug);
      const product = await data.products.get(slug);
      if (start === undefined || !product) {
        problem(`product ${slug}: ${product ? 'no starting stock recorded' : 'missing'}`);
        continue;
      }
      const expected = start - units;
      if ((product.stock ?? 0) !== expected)
        problem(`product ${slug}: stock ${product.stock}, expected ${expected}`);
    }
  }

  return {
    usersChecked: ledger.users.size,
    ordersChecked: ledger.orders.size,
    refundsChecked: ledger.refunds.size,
    productsChecked: arithmetic ? net.size : 0,
    problems: problems.slice(0, 20),
    problemCount: problems.length,
    arithmeticSkipped: !arithmetic,
  };
}

/** Base stock of every product now (the starting point of the stock arithmetic). */
export async function stockSnapshot(data: DataLayer): Promise<Map<string, number>> {
  return new Map((await data.products.list()).map((p) => [p.slug, p.stock ?? 0]));
}
