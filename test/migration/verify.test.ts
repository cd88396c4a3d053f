/**
 * migrate:verify and migrate:repair engines on the real servers: a generated legacy dataset copied to
 * Postgres verifies clean; a difference planted in every entity (with raw SQL / raw Redis commands)
 * is found with the right kind and field; repair from Redis fixes all of them and verify is clean
 * again; the outcome is stored for the router and the dashboard.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ENTITY_NAMES } from '../../src/migration/entities/index.js';
import type { SyncContext } from '../../src/migration/entities/types.js';
import { runRepair } from '../../src/migration/repair/engine.js';
import { runVerify } from '../../src/migration/verify/engine.js';
import { latestDomainVerify, latestVerifyResults } from '../../src/migration/verify/store.js';
import { usePostgres } from '../support/harness.js';
import { editRedisJson, seedAndCopy, sql, useStoreRedis } from './verify-fixtures.js';
import { first, plantEverywhere } from './verify-plants.js';

// Seeding, the backfill and every verify SCAN the whole keyspace of the test Redis database.
vi.setConfig({ testTimeout: 180_000 });
const pg = usePostgres();
const redis = useStoreRedis();
let ctx: SyncContext;

beforeAll(async () => {
  ctx = await seedAndCopy(redis.client, pg.handle, redis.prefix);
}, 300_000);

describe('verify', () => {
  it('finds a freshly copied dataset clean, entity by entity, and stores that', async () => {
    const report = await runVerify({ ctx, recheckDelayMs: 50 });
    expect(report.clean).toBe(true);
    expect(Object.keys(report.entities)).toEqual([...ENTITY_NAMES]);
    for (const r of Object.values(report.entities)) {
      const c = r.counts;
      expect(r.clean, r.entity).toBe(true);
      expect(c.equal + c.quarantined + c.skipped, r.entity).toBe(c.redisRecords);
      expect(c.postgresRecords, r.entity).toBe(c.equal);
    }
    // The planted undecodable records are the ones the backfill quarantined: known, not mismatches.
    const quarantined = Object.values(report.entities).reduce((n, r) => n + r.counts.quarantined, 0);
    const [q] = await sql<{ n: number }>(
      pg.handle,
      'SELECT count(*)::int AS n FROM backfill_quarantine WHERE entity = ANY($1)',
      [[...ENTITY_NAMES]],
    );
    expect(quarantined).toBeGreaterThan(0);
    expect(quarantined).toBe(q!.n);
    // Ledger rows of deleted users are kept, as legacy keeps them: reported as dangling, still clean.
    const [ledger] = await sql<{ n: number }>(
      pg.handle,
      'SELECT count(*)::int AS n FROM points_transactions p WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = p.user_id)',
    );
    expect(ledger!.n).toBeGreaterThan(0);
    expect(report.relationships.dangling).toContainEqual(
      expect.objectContaining({ relation: 'points_transactions.user_id → users', count: ledger!.n }),
    );
    expect(report.relationships.unlinked).toEqual([]);
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
    const planted = await plantEverywhere(ctx, redis.client, pg.handle);
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
    const purchase = await first(ctx, 'purchases', 1);
    const key = ctx.keys.purchase(purchase);
    const original = String(await redis.client.get(key));
    const base = (await runVerify({ ctx, only: ['purchases'], recheckDelayMs: 10 })).entities.purchases!
      .counts;
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
        quarantined: base.quarantined + 1,
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
    const base = (await runVerify({ ctx, only: ['invoice_access_tokens'], recheckDelayMs: 10 })).entities
      .invoice_access_tokens!.counts;
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
        skipped: base.skipped + 1,
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
