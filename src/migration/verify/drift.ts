/**
 * Stock and points views of a verify. Stock and balances are fields of the product and user records,
 * so any drift is also a record difference; these sections say it in the terms an operator checks
 * (which product, which variant, which balance). The ledger section compares each balance with the
 * sum of its ledger on both sides and with what the backfill recorded (legacy §8.5: the stored
 * balance is kept, differences are recorded, not fixed).
 */
import type { PgHandle } from '../../backends/postgres/client.js';
import type { Product } from '../../domain/product.js';
import type { User } from '../../domain/user.js';
import type { PointsTransaction } from '../../domain/points.js';
import { pointsEntity } from '../entities/points.js';
import type { AnyEntitySync, SyncContext } from '../entities/types.js';
import { usersEntity } from '../entities/users.js';
import { recordedPointsDiscrepancies } from './backfill-records.js';
import type { Observation } from './compare.js';
import type { BalanceDrift, LedgerDiscrepancy, PointsReport, StockDrift } from './types.js';

/** Entries kept in each list of the report. */
const LIST_LIMIT = 100;

/** The stock fields that differ between two versions of a product. */
export function stockDrift(slug: string, redis: Product, postgres: Product): StockDrift[] {
  const out: StockDrift[] = [];
  if (redis.stock !== postgres.stock) out.push({ slug, redis: redis.stock, postgres: postgres.stock });
  const r = redis.variantConfig?.variantData ?? {};
  const p = postgres.variantConfig?.variantData ?? {};
  for (const variantId of [...new Set([...Object.keys(r), ...Object.keys(p)])].sort()) {
    const a = Object.hasOwn(r, variantId) ? r[variantId]?.stock : undefined;
    const b = Object.hasOwn(p, variantId) ? p[variantId]?.stock : undefined;
    if (a !== b) out.push({ slug, variantId, redis: a, postgres: b });
  }
  return out;
}

/** Collects stock and balance drift from the observations of products and users. */
export class DriftCollector {
  stockCount = 0;
  readonly stock: StockDrift[] = [];
  balanceCount = 0;
  readonly balances: BalanceDrift[] = [];

  observe(entity: AnyEntitySync, obs: Observation): void {
    if (obs.outcome.kind !== 'different') return;
    if (entity.name === 'products') {
      const drift = stockDrift(obs.id, obs.redis as Product, obs.postgres as Product);
      this.stockCount += drift.length;
      this.stock.push(...drift.slice(0, Math.max(0, LIST_LIMIT - this.stock.length)));
    } else if (entity.name === 'users') {
      const r = (obs.redis as User).points;
      const p = (obs.postgres as User).points;
      if (r === p) return;
      this.balanceCount++;
      if (this.balances.length < LIST_LIMIT) this.balances.push({ userId: obs.id, redis: r, postgres: p });
    }
  }
}

/** Σ amount per user over every Redis ledger record (SCAN ∪ lists), one batch at a time. */
async function redisLedgerSums(ctx: SyncContext, batchSize: number): Promise<Map<string, number>> {
  const sums = new Map<string, number>();
  for await (const ids of pointsEntity.listRedisIds(ctx, batchSize)) {
    for (const entry of (await pointsEntity.loadRedis(ctx, ids)).values()) {
      if (!entry.ok) continue;
      const tx = entry.record as PointsTransaction;
      sums.set(tx.userId, (sums.get(tx.userId) ?? 0) + tx.amount);
    }
  }
  return sums;
}

async function redisDiscrepancies(
  ctx: SyncContext,
  batchSize: number,
): Promise<Map<string, LedgerDiscrepancy>> {
  const sums = await redisLedgerSums(ctx, batchSize);
  const out = new Map<string, LedgerDiscrepancy>();
  for await (const ids of usersEntity.listRedisIds(ctx, batchSize)) {
    for (const entry of (await usersEntity.loadRedis(ctx, ids)).values()) {
      if (!entry.ok) continue;
      const user = entry.record as User;
      const ledgerSum = sums.get(user.id) ?? 0;
      if (user.points !== ledgerSum) {
        out.set(user.id, {
          userId: user.id,
          balance: user.points,
          ledgerSum,
          difference: user.points - ledgerSum,
        });
      }
    }
  }
  return out;
}

async function postgresDiscrepancies(pg: PgHandle): Promise<Map<string, LedgerDiscrepancy>> {
  const rows = await pg.query<{ id: string; points: number; s: string | number }>(
    `SELECT u.id, u.points, coalesce(l.s, 0) AS s
       FROM users u
       LEFT JOIN (SELECT user_id, sum(amount) AS s FROM points_transactions GROUP BY user_id) l ON l.user_id = u.id
      WHERE u.points <> coalesce(l.s, 0)`,
  );
  return new Map(
    rows.map((r) => {
      const ledgerSum = Number(r.s);
      return [r.id, { userId: r.id, balance: r.points, ledgerSum, difference: r.points - ledgerSum }];
    }),
  );
}

/** The ledger section: balance − Σ ledger per user on both sides, against the backfill's record. */
export async function checkLedger(
  ctx: SyncContext,
  batchSize: number,
): Promise<NonNullable<PointsReport['ledger']>> {
  const redis = await redisDiscrepancies(ctx, batchSize);
  const postgres = await postgresDiscrepancies(ctx.pg);
  const recorded = await recordedPointsDiscrepancies(ctx.pg);
  const cap = <T>(xs: T[]) => xs.slice(0, LIST_LIMIT);
  const sidesDisagree = [...new Set([...redis.keys(), ...postgres.keys()])]
    .filter((id) => redis.get(id)?.difference !== postgres.get(id)?.difference)
    .sort();
  return {
    redis: redis.size,
    postgres: postgres.size,
    recordedByBackfill: recorded?.size,
    notRecorded: recorded
      ? cap([...redis.values()].filter((d) => recorded.get(d.userId) !== d.difference))
      : [],
    noLongerPresent: recorded ? cap([...recorded.keys()].filter((id) => !redis.has(id)).sort()) : [],
    sidesDisagree: cap(sidesDisagree),
  };
}
