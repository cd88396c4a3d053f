/**
 * migrate:repair with Postgres as the source of truth: Redis records and the index entries the store
 * keeps are restored byte for byte; a dry run writes nothing; a repair is idempotent; a token that
 * Postgres only knows by its digest is reported as not copyable instead of being invented.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { legacyKeys } from '../../src/legacy/keys.js';
import {
  copyRecord,
  createSyncContext,
  ENTITIES,
  NotCopyableError,
} from '../../src/migration/entities/index.js';
import type { SyncContext } from '../../src/migration/entities/types.js';
import { runRepair } from '../../src/migration/repair/engine.js';
import { runVerify } from '../../src/migration/verify/engine.js';
import { usePostgres } from '../support/harness.js';
import { editRedisJson, seedAndCopy, sharedIds, sql, useStoreRedis } from './verify-fixtures.js';

// Seeding, the backfill and every verify SCAN the whole keyspace of the test Redis database.
vi.setConfig({ testTimeout: 180_000 });
const pg = usePostgres();
const redis = useStoreRedis();
let ctx: SyncContext;

beforeAll(async () => {
  ctx = await seedAndCopy(redis.client, pg.handle, redis.prefix, { seed: 'repair' });
}, 300_000);

/** A context as a fresh CLI process has it (no token learnt yet). */
const freshContext = () =>
  createSyncContext({ redis: redis.client, keys: legacyKeys(redis.prefix), pg: pg.handle });

describe('the sync layer over backfilled rows', () => {
  it('re-copying every record from Redis changes no row the backfill wrote, and verify stays clean', async () => {
    const hashes = async () =>
      sql<{ t: string; id: string; h: string | null }>(
        pg.handle,
        `${ENTITIES.filter((e) => SYNC_TABLES[e.name])
          .map(
            (e) =>
              `SELECT '${e.name}' AS t, ${SYNC_TABLES[e.name]}::text AS id, sync_hash AS h FROM ${e.name}`,
          )
          .join(' UNION ALL ')} ORDER BY 1, 2`,
      );
    const children = () =>
      sql(
        pg.handle,
        `SELECT (SELECT count(*) FROM order_items)::int AS o, (SELECT count(*) FROM product_variants)::int AS v,
                (SELECT count(*) FROM purchase_items)::int AS p, (SELECT count(*) FROM refund_items)::int AS r,
                (SELECT count(*) FROM admin_logs)::int AS l`,
      );
    const before = await hashes();
    const childrenBefore = await children();
    let copied = 0;
    let refused = 0;
    for (const e of ENTITIES) {
      for await (const ids of e.listRedisIds(ctx, 200)) {
        const loaded = await e.loadRedis(ctx, ids);
        for (const [id, entry] of loaded) {
          if (entry.ok && (await e.absenceExpected?.(ctx, entry.record, 'redis'))) continue;
          try {
            await copyRecord(ctx, e, id, 'redis');
            copied++;
          } catch (err) {
            expect(err).toBeInstanceOf(NotCopyableError);
            refused++;
          }
        }
      }
    }
    expect(copied).toBeGreaterThan(100);
    // The undecodable records the backfill quarantined are refused, not invented.
    const [q] = await sql<{ n: number }>(pg.handle, 'SELECT count(*)::int AS n FROM backfill_quarantine');
    expect(refused).toBe(q!.n);
    expect(await hashes()).toEqual(before);
    expect(await children()).toEqual(childrenBefore);
    const report = await runVerify({ ctx, recheckDelayMs: 10 });
    expect(report.clean).toBe(true);
  });
});

/** Parent tables with a sync_hash, and their key column. */
const SYNC_TABLES: Record<string, string> = {
  users: 'id',
  products: 'slug',
  alcohol_types: 'id',
  scents: 'id',
  base_oils: 'id',
  containers: 'id',
  calculator_settings: 'id',
  calculator_wicks: 'id',
  orders: 'id',
  points_transactions: 'id',
  purchases: 'id',
  promotions: 'id',
  refunds: 'id',
  password_reset_tokens: 'token_hash',
  email_verification_tokens: 'token_hash',
  invoice_access_tokens: 'token_hash',
  admin_users: 'id',
  admin_legacy_two_factor: 'id',
};

describe('references', () => {
  it('reports a reference column left empty although its row exists, and repair links it', async () => {
    const [row] = await sql<{ id: string; user_id: string }>(
      pg.handle,
      'SELECT id, user_id FROM orders WHERE user_ref IS NOT NULL ORDER BY id LIMIT 1',
    );
    await sql(pg.handle, 'UPDATE orders SET user_ref = NULL WHERE id = $1', [row!.id]);
    const report = await runVerify({ ctx, only: ['orders'], recheckDelayMs: 10 });
    expect(report.clean).toBe(false);
    expect(report.entities.orders!.counts).toMatchObject({ unlinkedRefs: 1, different: 0 });
    expect(report.relationships.unlinked).toEqual([
      { relation: 'orders.user_id → users', count: 1, sample: [row!.id] },
    ]);
    const repair = await runRepair({ ctx: freshContext(), only: ['orders'] });
    expect(repair.entities.orders).toMatchObject({ candidates: 1, fixed: 1 });
    const [after] = await sql<{ user_ref: string | null }>(
      pg.handle,
      'SELECT user_ref FROM orders WHERE id = $1',
      [row!.id],
    );
    expect(after!.user_ref).toBe(row!.user_id);
    expect((await runVerify({ ctx, only: ['orders'], recheckDelayMs: 10 })).clean).toBe(true);
  });
});

describe('repair --from postgres', () => {
  it('restores deleted and changed Redis records with their index entries, as the store wrote them', async () => {
    const k = ctx.keys;
    const c = redis.client;
    const [purchaseId] = await sharedIds(ctx, 'purchases');
    const purchaseKey = k.purchase(purchaseId!);
    const purchaseRaw = String(await c.get(purchaseKey));
    const purchase = JSON.parse(purchaseRaw) as { vendorName: string; purchaseDate: string };
    const vendorSet = k.purchasesVendor(purchase.vendorName.toLowerCase());
    const dateSet = k.purchasesDate(purchase.purchaseDate.slice(0, 7));
    // The store's deletePurchase, by hand.
    await c.sRem(k.purchasesIndex(), purchaseId!);
    await c.sRem(vendorSet, purchaseId!);
    await c.sRem(dateSet, purchaseId!);
    await c.del(purchaseKey);

    const [userId] = await sharedIds(ctx, 'users');
    const userRaw = String(await c.get(k.user(userId!)));
    const email = (JSON.parse(userRaw) as { email: string }).email;
    await c.del(k.userEmail(email));
    await c.sRem(k.usersIndex(), userId!);
    await c.del(k.user(userId!));

    const [orderId] = await sharedIds(ctx, 'orders');
    const orderRaw = String(await c.get(k.order(orderId!)));
    await editRedisJson(c, k.order(orderId!), (v) => {
      v.totalCents = Number(v.totalCents) + 100;
    });

    const verify = await runVerify({ ctx, only: ['users', 'orders', 'purchases'], recheckDelayMs: 10 });
    expect(verify.entities.purchases!.counts.missingInRedis).toBe(1);
    expect(verify.entities.users!.counts.missingInRedis).toBe(1);
    expect(verify.entities.orders!.counts.different).toBe(1);

    const dry = await runRepair({
      ctx: freshContext(),
      from: 'postgres',
      only: ['users', 'orders', 'purchases'],
      dryRun: true,
    });
    expect(dry.entities.purchases).toMatchObject({ candidates: 1, written: 1, fixed: 0 });
    expect(await c.exists(purchaseKey)).toBe(0);

    const repair = await runRepair({
      ctx: freshContext(),
      from: 'postgres',
      only: ['users', 'orders', 'purchases'],
    });
    expect(repair.clean).toBe(true);
    expect(repair.entities.purchases).toMatchObject({ candidates: 1, written: 1, fixed: 1 });

    expect(String(await c.get(purchaseKey))).toBe(purchaseRaw);
    expect(await c.sIsMember(k.purchasesIndex(), purchaseId!)).toBe(1);
    expect(await c.sIsMember(vendorSet, purchaseId!)).toBe(1);
    expect(await c.sIsMember(dateSet, purchaseId!)).toBe(1);
    expect(String(await c.get(k.user(userId!)))).toBe(userRaw);
    expect(String(await c.get(k.userEmail(email)))).toBe(userId);
    expect(await c.sIsMember(k.usersIndex(), userId!)).toBe(1);
    // Same document; the codec's key order may differ from the one the store's route used.
    expect(JSON.parse(String(await c.get(k.order(orderId!))))).toEqual(JSON.parse(orderRaw));

    const again = await runVerify({ ctx, only: ['users', 'orders', 'purchases'], recheckDelayMs: 10 });
    expect(again.clean).toBe(true);
    const second = await runRepair({
      ctx: freshContext(),
      from: 'postgres',
      only: ['users', 'orders', 'purchases'],
    });
    expect(Object.values(second.entities).map((r) => r.candidates)).toEqual([0, 0, 0]);
  });

  it('does not push an order id onto its customer list twice when the record is re-copied', async () => {
    const k = ctx.keys;
    const [row] = await sql<{ id: string; user_id: string }>(
      pg.handle,
      'SELECT id, user_id FROM orders WHERE user_ref IS NOT NULL ORDER BY id LIMIT 1',
    );
    const list = k.ordersUser(row!.user_id);
    const before = (await redis.client.lRange(list, 0, -1)).filter((id) => id === row!.id).length;
    await sql(pg.handle, `UPDATE orders SET notes = 'packed twice' WHERE id = $1`, [row!.id]);
    await runVerify({ ctx, only: ['orders'], recheckDelayMs: 10 });
    const repair = await runRepair({ ctx: freshContext(), from: 'postgres', only: ['orders'] });
    expect(repair.entities.orders).toMatchObject({ candidates: 1, fixed: 1 });
    expect((JSON.parse(String(await redis.client.get(k.order(row!.id)))) as { notes: string }).notes).toBe(
      'packed twice',
    );
    expect((await redis.client.lRange(list, 0, -1)).filter((id) => id === row!.id).length).toBe(
      Math.max(before, 1),
    );
  });

  it('reports a token missing from Redis as not copyable (Postgres keeps only its digest)', async () => {
    const [hash] = await sharedIds(ctx, 'email_verification_tokens');
    const token = ctx.tokenKeys.get(hash!)!;
    const key = ctx.keys.emailVerify(token);
    const raw = String(await redis.client.get(key));
    const ttl = await redis.client.ttl(key);
    await redis.client.del(key);
    try {
      const verify = await runVerify({
        ctx: freshContext(),
        only: ['email_verification_tokens'],
        recheckDelayMs: 10,
      });
      expect(verify.entities.email_verification_tokens!.counts.missingInRedis).toBe(1);
      const repair = await runRepair({
        ctx: freshContext(),
        from: 'postgres',
        only: ['email_verification_tokens'],
      });
      expect(repair.clean).toBe(false);
      expect(repair.entities.email_verification_tokens).toMatchObject({
        candidates: 1,
        notCopyable: 1,
        fixed: 0,
      });
      expect(repair.entities.email_verification_tokens!.problems[0]!.detail).toMatch(/digest/);
      expect(await redis.client.exists(key)).toBe(0);
    } finally {
      await redis.client.set(key, raw, ttl > 0 ? { expiration: { type: 'EX', value: ttl } } : {});
    }
  });

  it('deletes from Redis a record Postgres does not have, with its index entries', async () => {
    const k = ctx.keys;
    const [promotionId] = await sharedIds(ctx, 'promotions');
    await sql(pg.handle, 'DELETE FROM promotions WHERE id = $1', [promotionId]);
    await runVerify({ ctx, only: ['promotions'], recheckDelayMs: 10 });
    const repair = await runRepair({ ctx: freshContext(), from: 'postgres', only: ['promotions'] });
    expect(repair.entities.promotions).toMatchObject({ candidates: 1, deleted: 1, fixed: 1 });
    expect(await redis.client.exists(k.promotion(promotionId!))).toBe(0);
    expect(await redis.client.sIsMember(k.promotionsIndex(), promotionId!)).toBe(0);
  });

  it('refuses to repair an entity that has never been verified, and says so', async () => {
    await sql(pg.handle, `DELETE FROM migration_verify_runs WHERE kind = 'verify'`);
    const repair = await runRepair({ ctx: freshContext(), only: ['scents'] });
    expect(repair.notVerified).toEqual(['scents']);
    expect(repair.entities).toEqual({});
  });
});
