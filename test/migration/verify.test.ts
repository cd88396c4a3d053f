/**
 * migrate:verify and migrate:repair engines on the real servers: a generated legacy dataset copied to
 * Postgres verifies clean; a difference planted in every entity (with raw SQL / raw Redis commands)
 * is found with the right kind and field; repair from Redis fixes all of them and verify is clean
 * again; the outcome is stored for the router and the dashboard.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ENTITY_NAMES } from '../../src/migration/entities/index.js';
import type { SyncContext } from '../../src/migration/entities/types.js';
import { runRepair } from '../../src/migration/repair/engine.js';
import { runVerify } from '../../src/migration/verify/engine.js';
import { latestDomainVerify, latestVerifyResults } from '../../src/migration/verify/store.js';
import { usePostgres, useRedis } from '../support/harness.js';
import { editRedisJson, entity, seedAndCopy, sharedIds, sql } from './verify-fixtures.js';

const pg = usePostgres();
const redis = useRedis();
let ctx: SyncContext;

beforeAll(async () => {
  ctx = await seedAndCopy(redis.client, pg.handle, redis.prefix);
}, 120_000);

interface Planted {
  entity: string;
  id: string;
  kind: string;
  /** A field path the diff must name. */
  path?: string;
}

const first = async (name: string, skip = 0) => {
  const ids = await sharedIds(ctx, name);
  const id = ids[skip];
  if (id === undefined) throw new Error(`the dataset has no ${name} record #${skip}`);
  return id;
};

/** One difference per entity (two for users), planted with raw commands. */
async function plantEverywhere(): Promise<Planted[]> {
  const k = ctx.keys;
  const db = pg.handle;
  const out: Planted[] = [];

  const user = await first('users');
  await sql(db, `UPDATE users SET first_name = first_name || ' (planted)' WHERE id = $1`, [user]);
  out.push({ entity: 'users', id: user, kind: 'different', path: 'firstName' });

  const richer = await first('users', 1);
  await editRedisJson(redis.client, k.user(richer), (v) => {
    v.points = Number(v.points) + 7;
  });
  out.push({ entity: 'users', id: richer, kind: 'different', path: 'points' });

  const [variant] = await sql<{ product_slug: string; variant_id: string }>(
    db,
    'SELECT product_slug, variant_id FROM product_variants WHERE stock IS NOT NULL ORDER BY 1, 2 LIMIT 1',
  );
  await sql(db, 'UPDATE product_variants SET stock = stock + 1 WHERE product_slug = $1 AND variant_id = $2', [
    variant!.product_slug,
    variant!.variant_id,
  ]);
  out.push({
    entity: 'products',
    id: variant!.product_slug,
    kind: 'different',
    path: 'variantConfig.variantData',
  });

  const alcohol = await first('alcohol_types');
  await redis.client.del(k.alcoholType(alcohol));
  out.push({ entity: 'alcohol_types', id: alcohol, kind: 'missing_in_redis' });

  const scent = await first('scents');
  await sql(db, `UPDATE scents SET name = name || '!' WHERE id = $1`, [scent]);
  out.push({ entity: 'scents', id: scent, kind: 'different', path: 'name' });

  const oil = await first('base_oils');
  await sql(db, 'UPDATE base_oils SET cost_per_oz = cost_per_oz + 0.5 WHERE id = $1', [oil]);
  out.push({ entity: 'base_oils', id: oil, kind: 'different', path: 'costPerOz' });

  const container = await first('containers');
  await sql(db, 'DELETE FROM containers WHERE id = $1', [container]);
  out.push({ entity: 'containers', id: container, kind: 'missing_in_postgres' });

  await sql(db, 'UPDATE calculator_settings SET water_to_wax_ratio = water_to_wax_ratio + 0.01');
  out.push({
    entity: 'calculator_settings',
    id: 'calculator:settings',
    kind: 'different',
    path: 'waterToWaxRatio',
  });

  await sql(
    db,
    `INSERT INTO calculator_wicks (id, name, cost_per_wick) VALUES ('planted-wick', 'Planted', 1.5)`,
  );
  out.push({ entity: 'calculator_wicks', id: 'planted-wick', kind: 'missing_in_redis' });

  const [line] = await sql<{ order_id: string }>(
    db,
    'SELECT order_id FROM order_items WHERE line_no = 0 ORDER BY order_id LIMIT 1',
  );
  await sql(db, 'UPDATE order_items SET quantity = quantity + 1 WHERE order_id = $1 AND line_no = 0', [
    line!.order_id,
  ]);
  out.push({ entity: 'orders', id: line!.order_id, kind: 'different', path: 'items[0].quantity' });

  const tx = await first('points_transactions');
  await sql(db, 'DELETE FROM points_transactions WHERE id = $1', [tx]);
  out.push({ entity: 'points_transactions', id: tx, kind: 'missing_in_postgres' });

  const purchase = await first('purchases');
  await editRedisJson(redis.client, k.purchase(purchase), (v) => {
    v.notes = 'planted note';
  });
  out.push({ entity: 'purchases', id: purchase, kind: 'different', path: 'notes' });

  const promotion = await first('promotions');
  await editRedisJson(redis.client, k.promotion(promotion), (v) => {
    v.currentRedemptions = Number(v.currentRedemptions) + 1;
  });
  out.push({ entity: 'promotions', id: promotion, kind: 'different', path: 'currentRedemptions' });

  const [refundLine] = await sql<{ refund_id: string; line_no: number }>(
    db,
    'SELECT refund_id, max(line_no) AS line_no FROM refund_items GROUP BY refund_id ORDER BY refund_id LIMIT 1',
  );
  await sql(db, 'DELETE FROM refund_items WHERE refund_id = $1 AND line_no = $2', [
    refundLine!.refund_id,
    refundLine!.line_no,
  ]);
  out.push({
    entity: 'refunds',
    id: refundLine!.refund_id,
    kind: 'different',
    path: `items[${refundLine!.line_no}]`,
  });

  const reset = await first('password_reset_tokens');
  await sql(db, `UPDATE password_reset_tokens SET email = 'planted@example.com' WHERE token_hash = $1`, [
    reset,
  ]);
  out.push({ entity: 'password_reset_tokens', id: reset, kind: 'different', path: 'email' });

  const verification = await first('email_verification_tokens');
  await editRedisJson(redis.client, k.emailVerify(ctx.tokenKeys.get(verification)!), (v) => {
    v.email = 'planted@example.com';
  });
  out.push({ entity: 'email_verification_tokens', id: verification, kind: 'different', path: 'email' });

  // A live token (an expired one missing from Postgres is expected, see the test below).
  const [invoice] = await sql<{ token_hash: string }>(
    db,
    `SELECT token_hash FROM invoice_access_tokens
      WHERE coalesce(legacy_expires_at, expires_at) > now() + interval '1 hour' ORDER BY 1 LIMIT 1`,
  );
  await sql(db, 'DELETE FROM invoice_access_tokens WHERE token_hash = $1', [invoice!.token_hash]);
  out.push({ entity: 'invoice_access_tokens', id: invoice!.token_hash, kind: 'missing_in_postgres' });

  const admin = await first('admin_users');
  await editRedisJson(redis.client, k.adminUser(admin), (v) => {
    v.active = !v.active;
  });
  out.push({ entity: 'admin_users', id: admin, kind: 'different', path: 'active' });

  let oldestLog = '';
  for await (const ids of entity('admin_logs').listPostgresIds(ctx, 1)) {
    oldestLog = ids[0]!;
    break;
  }
  await sql(db, 'DELETE FROM admin_logs WHERE id = (SELECT min(id) FROM admin_logs)');
  out.push({ entity: 'admin_logs', id: oldestLog, kind: 'missing_in_postgres' });

  await sql(
    db,
    `UPDATE admin_legacy_two_factor SET backup_codes = array_append(coalesce(backup_codes, '{}'), 'PLANTED')`,
  );
  out.push({ entity: 'admin_legacy_two_factor', id: 'admin:2fa', kind: 'different', path: 'backupCodes' });

  return out;
}

describe('verify', () => {
  it('finds a freshly copied dataset clean, entity by entity, and stores that', async () => {
    const report = await runVerify({ ctx, recheckDelayMs: 50 });
    expect(report.clean).toBe(true);
    expect(Object.keys(report.entities)).toEqual([...ENTITY_NAMES]);
    for (const r of Object.values(report.entities)) {
      expect(r.clean, r.entity).toBe(true);
      expect(r.counts.equal, r.entity).toBe(r.counts.redisRecords);
      expect(r.counts.postgresRecords, r.entity).toBe(r.counts.redisRecords);
    }
    // The dataset has orders with items: the child-row totals agree.
    expect(report.entities.orders!.childRows!.redis).toBeGreaterThan(0);
    expect(report.entities.orders!.childRows!.postgres).toBe(report.entities.orders!.childRows!.redis);

    const latest = await latestVerifyResults(pg.handle);
    expect(latest.map((r) => r.entity).sort()).toEqual([...ENTITY_NAMES].sort());
    expect(latest.every((r) => r.clean && r.runId === report.runId)).toBe(true);
    const domains = await latestDomainVerify(pg.handle);
    expect(domains.orders).toMatchObject({ clean: true, mismatches: 0 });
    expect(domains.tokens?.entities.sort()).toEqual([
      'email_verification_tokens',
      'invoice_access_tokens',
      'password_reset_tokens',
    ]);
  });

  it('detects a difference planted in every entity, and repair from Redis fixes them all', async () => {
    const planted = await plantEverywhere();
    const report = await runVerify({ ctx, recheckDelayMs: 50, sample: 10 });
    expect(report.clean).toBe(false);

    const stored = await sql<{
      entity: string;
      record_id: string;
      kind: string;
      diff: { path: string }[] | null;
    }>(pg.handle, 'SELECT entity, record_id, kind, diff FROM migration_verify_mismatches WHERE run_id = $1', [
      report.runId,
    ]);
    const found = stored.map((m) => `${m.entity} ${m.record_id} ${m.kind}`).sort();
    expect(found).toEqual(planted.map((p) => `${p.entity} ${p.id} ${p.kind}`).sort());
    for (const p of planted.filter((p) => p.path)) {
      const row = stored.find((m) => m.entity === p.entity && m.record_id === p.id)!;
      expect(
        row.diff?.some((d) => d.path.startsWith(p.path!)),
        `${p.entity} ${p.path}`,
      ).toBe(true);
    }
    for (const name of new Set(planted.map((p) => p.entity))) {
      expect(report.entities[name]!.clean, name).toBe(false);
    }
    // Stock and balance drift are named in their own sections.
    const productPlant = planted.find((p) => p.entity === 'products')!;
    expect(report.stock.sample).toEqual([
      expect.objectContaining({ slug: productPlant.id, postgres: expect.any(Number) }),
    ]);
    const drift = report.stock.sample[0]!;
    expect(drift.postgres).toBe((drift.redis as number) + 1);
    expect(report.points.balanceDrift.count).toBe(1);
    const balance = report.points.balanceDrift.sample[0]!;
    expect(balance.redis - balance.postgres).toBe(7);

    const repair = await runRepair({ ctx });
    expect(repair.notVerified).toEqual([]);
    const total = Object.values(repair.entities).reduce((n, r) => n + r.candidates, 0);
    const fixed = Object.values(repair.entities).reduce((n, r) => n + r.fixed, 0);
    expect(total).toBe(planted.length);
    expect(
      Object.values(repair.entities).flatMap((r) =>
        r.problems.map((p) => `${r.entity} ${p.id} ${p.outcome} ${p.detail}`),
      ),
    ).toEqual([]);
    expect(fixed).toBe(planted.length);
    expect(repair.clean).toBe(true);

    // Redis is the source of truth: what it lacks is removed from Postgres, what it has is restored.
    const container = planted.find((p) => p.entity === 'containers')!.id;
    expect(await sql(pg.handle, 'SELECT 1 FROM containers WHERE id = $1', [container])).toHaveLength(1);
    expect(await sql(pg.handle, `SELECT 1 FROM calculator_wicks WHERE id = 'planted-wick'`)).toHaveLength(0);
    const alcohol = planted.find((p) => p.entity === 'alcohol_types')!.id;
    expect(await sql(pg.handle, 'SELECT 1 FROM alcohol_types WHERE id = $1', [alcohol])).toHaveLength(0);

    const after = await runVerify({ ctx, recheckDelayMs: 50 });
    expect(after.clean).toBe(true);

    // A second repair finds nothing left to do.
    const again = await runRepair({ ctx });
    expect(Object.values(again.entities).every((r) => r.candidates === 0)).toBe(true);
  });

  it('reports an undecodable Redis record, and as quarantined (clean) once the backfill quarantined it', async () => {
    const purchase = await first('purchases', 1);
    const key = ctx.keys.purchase(purchase);
    const original = String(await redis.client.get(key));
    await redis.client.set(key, '{"id": not json');
    try {
      const report = await runVerify({ ctx, only: ['purchases'], recheckDelayMs: 10 });
      expect(report.entities.purchases!.counts.undecodable).toBe(1);
      expect(report.entities.purchases!.samples[0]).toMatchObject({
        id: purchase,
        kind: 'undecodable',
        redisKey: key,
      });
      expect(report.clean).toBe(false);

      await sql(
        pg.handle,
        `INSERT INTO backfill_quarantine (key, entity, reason) VALUES ($1, 'purchases', 'is not valid JSON')`,
        [key],
      );
      const known = await runVerify({ ctx, only: ['purchases'], recheckDelayMs: 10 });
      expect(known.entities.purchases!.counts).toMatchObject({
        quarantined: 1,
        undecodable: 0,
        missingInPostgres: 0,
      });
      expect(known.clean).toBe(true);
    } finally {
      await redis.client.set(key, original);
      await sql(pg.handle, 'DELETE FROM backfill_quarantine WHERE key = $1', [key]);
    }
  });

  it('does not count an expired token missing from Postgres as a difference', async () => {
    const [row] = await sql<{ token_hash: string }>(
      pg.handle,
      'SELECT token_hash FROM invoice_access_tokens ORDER BY 1 LIMIT 1',
    );
    const token = ctx.tokenKeys.get(row!.token_hash)!;
    const key = ctx.keys.invoiceToken(token);
    const original = String(await redis.client.get(key));
    await editRedisJson(redis.client, key, (v) => {
      v.expiresAt = '2025-12-19T00:00:00.000Z';
    });
    await sql(pg.handle, 'DELETE FROM invoice_access_tokens WHERE token_hash = $1', [row!.token_hash]);
    try {
      const report = await runVerify({ ctx, only: ['tokens'], recheckDelayMs: 10 });
      expect(report.entities.invoice_access_tokens!.counts).toMatchObject({
        skipped: 1,
        missingInPostgres: 0,
      });
      expect(Object.keys(report.entities.invoice_access_tokens!.skippedReasons)[0]).toMatch(/expired/);
      expect(report.clean).toBe(true);
    } finally {
      await redis.client.set(key, original, { expiration: 'KEEPTTL' });
      await runVerify({ ctx, only: ['invoice_access_tokens'], recheckDelayMs: 10 });
      await runRepair({ ctx, only: ['invoice_access_tokens'] });
    }
  });
});
