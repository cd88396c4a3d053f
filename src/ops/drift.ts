/**
 * Stock and points drift between Redis and Postgres (seed §5 risks 1 and 4, §10 "stock
 * inconsistencies"): while both stores are written, the same product must show the same stock and
 * the same user the same balance. The check reads every product and user through the data layers,
 * so it runs on a timer (default every 5 minutes), never per scrape; the gauges hold its last result.
 */
import type { Product } from '../domain/product.js';
import type { UserRepository } from '../domain/user.js';
import type { OpsMetrics } from './metrics.js';

/** What the drift check reads from one store. */
export interface DriftReader {
  /** Stock per `slug` (base) and `slug/variantId` (variant entries); absent/`null` stock is 0. */
  stockLevels(): Promise<Map<string, number>>;
  /** Balance per user id. */
  pointBalances(): Promise<Map<string, number>>;
}

export interface DriftResult {
  /** Keys present in both stores whose values differ. */
  items: number;
  /** Σ |a − b| over those keys. */
  units: number;
  /** Up to 10 of the differing keys, for logs and the dashboard. */
  examples: string[];
}

/**
 * Compares two level maps over the keys present in both (a record missing on one side is verify's
 * finding, not drift). Pure.
 */
export function compareLevels(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): DriftResult {
  const result: DriftResult = { items: 0, units: 0, examples: [] };
  for (const [key, av] of a) {
    const bv = b.get(key);
    if (bv === undefined || bv === av) continue;
    result.items++;
    result.units += Math.abs(av - bv);
    if (result.examples.length < 10) result.examples.push(key);
  }
  return result;
}

/**
 * Stock entries of products: the base stock under the slug and each variant entry under
 * `slug/variantId`. A product of one store whose variant entry is absent in the other compares as 0,
 * which is how the app reads a missing entry, so both maps list the union of variant ids of a slug.
 */
export function stockEntries(products: readonly Product[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of products) {
    out.set(p.slug, p.stock ?? 0);
    for (const [variantId, v] of Object.entries(p.variantConfig?.variantData ?? {})) {
      out.set(`${p.slug}/${variantId}`, v.stock ?? 0);
    }
  }
  return out;
}

/** Fills variant entries one side lacks with 0 when the other side has them for a shared product. */
function alignVariants(a: Map<string, number>, b: Map<string, number>): void {
  for (const [key] of a) {
    const slash = key.indexOf('/');
    if (slash > 0 && !b.has(key) && b.has(key.slice(0, slash))) b.set(key, 0);
  }
}

export interface DriftLayer {
  products: { list(): Promise<Product[]> };
  users: Pick<UserRepository, 'list'>;
}

/** Reads stock and balances through a data layer (any backend). */
export function dataLayerDriftReader(layer: DriftLayer): DriftReader {
  return {
    async stockLevels() {
      return stockEntries(await layer.products.list());
    },
    async pointBalances() {
      const out = new Map<string, number>();
      let cursor: string | undefined;
      do {
        const page = await layer.users.list({ limit: 1000, ...(cursor ? { cursor } : {}) });
        for (const u of page.users) out.set(u.id, u.points);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return out;
    },
  };
}

export interface DriftCheckOptions {
  metrics: OpsMetrics;
  redis: DriftReader;
  postgres: DriftReader;
  /** Which checks make sense now (Postgres is not written at stage `redis`). Default both. */
  enabled?: () => Promise<{ stock: boolean; points: boolean }>;
  now?: () => Date;
}

export interface DriftReport {
  stock: DriftResult | null;
  points: DriftResult | null;
}

/** Runs the enabled checks once and sets the drift gauges. Errors propagate (the timer counts them). */
export async function checkDrift(opts: DriftCheckOptions): Promise<DriftReport> {
  const { metrics } = opts;
  const enabled = (await opts.enabled?.()) ?? { stock: true, points: true };
  const at = (opts.now?.() ?? new Date()).getTime() / 1000;
  const report: DriftReport = { stock: null, points: null };
  if (enabled.stock) {
    const [r, p] = await Promise.all([opts.redis.stockLevels(), opts.postgres.stockLevels()]);
    alignVariants(r, p);
    alignVariants(p, r);
    report.stock = compareLevels(r, p);
    metrics.stockDriftItems.set(report.stock.items);
    metrics.stockDriftUnits.set(report.stock.units);
    metrics.driftCheckTimestamp.set({ kind: 'stock' }, at);
  }
  if (enabled.points) {
    const [r, p] = await Promise.all([opts.redis.pointBalances(), opts.postgres.pointBalances()]);
    report.points = compareLevels(r, p);
    metrics.pointsDriftUsers.set(report.points.items);
    metrics.pointsDriftPoints.set(report.points.units);
    metrics.driftCheckTimestamp.set({ kind: 'points' }, at);
  }
  return report;
}

/** Runs {@link checkDrift} every `intervalMs` (first run at once); returns a stop function. */
export function startDriftChecks(opts: DriftCheckOptions & { intervalMs?: number }): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    try {
      await checkDrift(opts);
    } catch {
      opts.metrics.collectErrors.inc({ source: 'drift' });
    }
    if (!stopped) timer = setTimeout(tick, opts.intervalMs ?? 300_000).unref();
  };
  void tick();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
