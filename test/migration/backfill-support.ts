/** Shared helpers of the backfill tests: seeding a generated dataset and fingerprinting tables. */
import type { PgHandle } from '../../src/backends/postgres/client.js';
import type { RedisClient } from '../../src/backends/redis/client.js';
import { seedLegacyDataset } from '../../src/legacy/generator/writer.js';
import type { SeedManifest } from '../../src/legacy/generator/types.js';
import type { BackfillReport } from '../../src/migration/backfill/types.js';

/** The current hour (the generator's `now` must not be in the future of its tokens' TTLs). */
export function currentHour(offsetMs = 0): string {
  const d = new Date(Date.now() + offsetMs);
  d.setUTCMinutes(0, 0, 0);
  return d.toISOString();
}

export function seed(
  client: RedisClient,
  prefix: string,
  opts: { scale: number; edgeRate: number; now?: string; seed?: string },
): Promise<SeedManifest> {
  return seedLegacyDataset(client, {
    scale: opts.scale,
    seed: opts.seed ?? 'backfill-test',
    prefix,
    now: opts.now ?? currentHour(),
    edgeRate: opts.edgeRate,
    flush: true,
  });
}

/** Every key under `prefix`, counted with a plain SCAN (independently of the engine). */
export async function countPrefixKeys(client: RedisClient, prefix: string): Promise<number> {
  let n = 0;
  for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) n += keys.length;
  return n;
}

/** Tables the backfill writes, with a column list that identifies a row's content. */
export const CONTENT_TABLES: Record<string, string> = {
  users: 'id, sync_hash',
  products: 'slug, sync_hash',
  product_variants: 'product_slug, variant_id, stock, stripe_price_id, extra::text, legacy_nulls::text',
  alcohol_types: 'id, sync_hash, name_conflict',
  scents: 'id, sync_hash',
  base_oils: 'id, sync_hash',
  containers: 'id, sync_hash',
  calculator_settings: 'id, sync_hash',
  calculator_wicks: 'id, sync_hash',
  orders: 'id, sync_hash, user_ref',
  order_items: 'order_id, line_no, product_slug, quantity, price_cents, variant_id, extra::text',
  points_transactions: 'id, sync_hash, user_ref, order_ref',
  purchases: 'id, sync_hash',
  purchase_items: 'purchase_id, line_no, name, quantity::text, unit_cost_cents::text, extra::text',
  promotions: 'id, sync_hash, code_conflict',
  refunds: 'id, sync_hash, order_ref',
  refund_items: 'refund_id, line_no, product_slug, refund_amount_cents',
  password_reset_tokens: 'token_hash, sync_hash',
  email_verification_tokens: 'token_hash, sync_hash',
  invoice_access_tokens: 'token_hash, sync_hash, order_ref',
  admin_users: 'id, sync_hash',
  admin_logs: 'dedupe_key, action, logged_at',
  admin_legacy_two_factor: 'id, sync_hash',
  points_discrepancies: 'user_id, stored_balance, ledger_sum',
};

/** Per table: row count and an md5 over every row's content, in a stable order. */
export async function fingerprint(pg: PgHandle): Promise<Record<string, { rows: number; md5: string }>> {
  const out: Record<string, { rows: number; md5: string }> = {};
  for (const [table, cols] of Object.entries(CONTENT_TABLES)) {
    const r = await pg.query<{ n: number | string; h: string | null }>(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(x, '|' ORDER BY x COLLATE "C"), '')) AS h
         FROM (SELECT concat_ws(',', ${cols}) AS x FROM ${table}) t`,
    );
    out[table] = { rows: Number(r[0]?.n ?? 0), md5: r[0]?.h ?? '' };
  }
  return out;
}

/** Checks scanned = migrated + unchanged + quarantined + expired + keptInRedis for every entity. */
export function unbalancedEntities(report: BackfillReport): string[] {
  return Object.entries(report.entities)
    .filter(([, s]) => s.scanned !== s.migrated + s.unchanged + s.quarantined + s.expired + s.keptInRedis)
    .map(([name, s]) => `${name}: ${JSON.stringify(s)}`);
}
