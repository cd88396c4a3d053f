/**
 * One difference planted in every entity of a loaded dataset (two for users), with raw SQL and raw
 * Redis commands, so the verify tests do not plant through the code under test.
 */
import type { PgHandle } from '../../src/backends/postgres/client.js';
import type { RedisClient } from '../../src/backends/redis/client.js';
import type { SyncContext } from '../../src/migration/entities/types.js';
import { editRedisJson, entity, sharedIds, sql } from './verify-fixtures.js';

/** A planted difference: what verify must report. */
export interface Planted {
  entity: string;
  id: string;
  kind: string;
  /** A field path the diff must name. */
  path?: string;
}

/** The `skip`-th id (sorted) present on both sides. */
export async function first(ctx: SyncContext, name: string, skip = 0): Promise<string> {
  const ids = await sharedIds(ctx, name);
  const id = ids[skip];
  if (id === undefined) throw new Error(`the dataset has no ${name} record #${skip}`);
  return id;
}

/** One difference per entity (two for users), planted with raw commands. */
export async function plantEverywhere(
  ctx: SyncContext,
  redis: RedisClient,
  db: PgHandle,
): Promise<Planted[]> {
  const k = ctx.keys;
  const out: Planted[] = [];

  const user = await first(ctx, 'users');
  await sql(db, `UPDATE users SET first_name = first_name || ' (planted)' WHERE id = $1`, [user]);
  out.push({ entity: 'users', id: user, kind: 'different', path: 'firstName' });

  const richer = await first(ctx, 'users', 1);
  await editRedisJson(redis, k.user(richer), (v) => {
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

  const alcohol = await first(ctx, 'alcohol_types');
  await redis.del(k.alcoholType(alcohol));
  out.push({ entity: 'alcohol_types', id: alcohol, kind: 'missing_in_redis' });

  const scent = await first(ctx, 'scents');
  await sql(db, `UPDATE scents SET name = name || '!' WHERE id = $1`, [scent]);
  out.push({ entity: 'scents', id: scent, kind: 'different', path: 'name' });

  const oil = await first(ctx, 'base_oils');
  await sql(db, 'UPDATE base_oils SET cost_per_oz = cost_per_oz + 0.5 WHERE id = $1', [oil]);
  out.push({ entity: 'base_oils', id: oil, kind: 'different', path: 'costPerOz' });

  const container = await first(ctx, 'containers');
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

  const tx = await first(ctx, 'points_transactions');
  await sql(db, 'DELETE FROM points_transactions WHERE id = $1', [tx]);
  out.push({ entity: 'points_transactions', id: tx, kind: 'missing_in_postgres' });

  const purchase = await first(ctx, 'purchases');
  await editRedisJson(redis, k.purchase(purchase), (v) => {
    v.notes = 'planted note';
  });
  out.push({ entity: 'purchases', id: purchase, kind: 'different', path: 'notes' });

  const promotion = await first(ctx, 'promotions');
  await editRedisJson(redis, k.promotion(promotion), (v) => {
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

  // Reset tokens live an hour, so the dataset may hold only expired ones (not migrated): extend one.
  let reset = '';
  for await (const ids of entity('password_reset_tokens').listRedisIds(ctx, 500)) {
    reset = [...ids].sort()[0]!;
    break;
  }
  await editRedisJson(redis, k.passwordReset(ctx.tokenKeys.get(reset)!), (v) => {
    v.expiresAt = new Date(Date.now() + 86_400_000).toISOString();
  });
  const resetRows = await sql(db, 'SELECT 1 FROM password_reset_tokens WHERE token_hash = $1', [reset]);
  out.push(
    resetRows.length > 0
      ? { entity: 'password_reset_tokens', id: reset, kind: 'different', path: 'expiresAt' }
      : { entity: 'password_reset_tokens', id: reset, kind: 'missing_in_postgres' },
  );

  const verification = await first(ctx, 'email_verification_tokens');
  await editRedisJson(redis, k.emailVerify(ctx.tokenKeys.get(verification)!), (v) => {
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

  const admin = await first(ctx, 'admin_users');
  await editRedisJson(redis, k.adminUser(admin), (v) => {
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
