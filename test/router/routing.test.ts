/**
 * Where reads and writes go in each stage, on real servers: the shadow store receives the state of
 * the touched records (not a replay), a miss in postgres-read falls back to Redis, a journaled record
 * is read from the store that has it newest, and the stages without a shadow leave the other store alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSyncContext, entityByName } from '../../src/migration/entities/index.js';
import type { RoutedDataLayer } from '../../src/migration/router/index.js';
import type { Stage } from '../../src/migration/router/stages.js';
import { legacyUser, newUser } from '../contract/fixtures/accounts.js';
import { usePostgres, useRedis } from '../support/harness.js';
import { buildRouter, keysOf } from './fixtures.js';

const pg = usePostgres();
const redis = useRedis();

const sync = () => createSyncContext({ redis: redis.client, keys: keysOf(redis), pg: pg.handle });
async function inRedis(entity: string, id: string): Promise<unknown> {
  const e = await entityByName(entity)!.loadRedis(sync(), [id]);
  const entry = e.get(id);
  return entry?.ok ? entry.record : null;
}
async function inPostgres(entity: string, id: string): Promise<unknown> {
  return (await entityByName(entity)!.loadPostgres(sync(), [id])).get(id) ?? null;
}

const layers = new Map<Stage, RoutedDataLayer>();
const layer = (stage: Stage) => layers.get(stage)!;

beforeAll(async () => {
  for (const stage of ['redis', 'dual-write', 'postgres-read', 'postgres', 'postgres-only'] as const) {
    layers.set(stage, await buildRouter(pg, redis, { stage }));
  }
});
afterAll(async () => {
  for (const l of layers.values()) await l.migration.close();
});

describe('writes', () => {
  it('dual-write: Redis is written, then the resulting state of every touched record is copied to Postgres', async () => {
    const l = layer('dual-write');
    const user = await l.users.create(newUser());
    const change = await l.points.earn(user.id, 40, 'Purchase #cs_test_');
    const stored = await inRedis('users', user.id);
    expect(stored).toMatchObject({ id: user.id, points: 40 });
    expect(await inPostgres('users', user.id)).toEqual(stored);
    expect(await inPostgres('points_transactions', change.transaction.id)).toEqual(change.transaction);
  });

  it('dual-write: a delete removes the record from Postgres too', async () => {
    const l = layer('dual-write');
    const user = await l.users.create(newUser());
    expect(await inPostgres('users', user.id)).not.toBeNull();
    expect(await l.users.delete(user.id)).toBe(true);
    expect(await inRedis('users', user.id)).toBeNull();
    expect(await inPostgres('users', user.id)).toBeNull();
  });

  it('postgres: Postgres is the source of truth and Redis keeps receiving the same state', async () => {
    const l = layer('postgres');
    const user = await l.users.create(newUser());
    await l.users.updateProfile(user.id, { firstName: 'Grace' });
    const stored = await inPostgres('users', user.id);
    expect(stored).toMatchObject({ id: user.id, firstName: 'Grace' });
    expect(await inRedis('users', user.id)).toEqual(stored);
  });

  it('redis and postgres-only: the other store is not written at all', async () => {
    const onRedis = await layer('redis').users.create(newUser());
    expect(await inPostgres('users', onRedis.id)).toBeNull();
    const onPg = await layer('postgres-only').users.create(newUser());
    expect(await inRedis('users', onPg.id)).toBeNull();
    expect(await inPostgres('users', onPg.id)).toMatchObject({ id: onPg.id });
  });

  it('an error from the primary reaches the caller and nothing is copied', async () => {
    const l = layer('dual-write');
    const u = newUser();
    const first = await l.users.create(u);
    await expect(l.users.create({ ...u, firstName: 'Twin' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await inPostgres('users', first.id)).toMatchObject({ firstName: u.firstName });
  });

  it('a checkout copies the order, the stock, the balance and both new ledger entries', async () => {
    const l = layer('dual-write');
    const user = await l.users.create(newUser());
    await l.points.earn(user.id, 100, 'seed');
    const slug = `router-candle-${Date.now()}`;
    await l.products.upsert({ slug, name: 'Router Candle', priceCents: 2400, sku: 'DCW-9001', stock: 10 });
    const { order } = await l.checkout.placeOrder({
      orderId: `cs_test_router_${Date.now()}`,
      userId: user.id,
      email: user.email,
      lines: [{ slug, quantity: 2, priceCents: 4800 }],
      pointsToRedeem: 20,
    });
    expect(await inPostgres('orders', order.id)).toEqual(await inRedis('orders', order.id));
    expect(await inPostgres('products', slug)).toMatchObject({ stock: 8 });
    expect(await inPostgres('users', user.id)).toEqual(await inRedis('users', user.id));
    const ledger = await layer('redis').points.history(user.id);
    expect(ledger.map((t) => t.type).sort()).toEqual(['earn', 'earn', 'redeem']);
    for (const t of ledger) expect(await inPostgres('points_transactions', t.id)).toEqual(t);
  });
});

describe('reads', () => {
  it('postgres-read: serves Postgres, and falls back to Redis for a record Postgres does not have', async () => {
    const l = layer('postgres-read');
    const legacy = legacyUser();
    await entityByName('users')!.writeRedis(sync(), legacy.id, legacy);
    expect(await inPostgres('users', legacy.id)).toBeNull();
    expect(await l.users.getById(legacy.id)).toEqual(legacy);
    const before = (await l.migration.status()).process;
    expect(before.fallbacks.users).toBeGreaterThanOrEqual(1);
    expect(before.fallbackHits.users).toBeGreaterThanOrEqual(1);
    // A record that exists nowhere falls back too, but is not data Postgres is missing.
    expect(await l.users.getById('no-such-user-anywhere')).toBeNull();
    const after = (await l.migration.status()).process;
    expect(after.fallbacks.users).toBe((before.fallbacks.users ?? 0) + 1);
    expect(after.fallbackHits.users).toBe(before.fallbackHits.users);
  });

  it('postgres-read: reads Postgres when it has the record', async () => {
    const l = layer('postgres-read');
    const user = await l.users.create(newUser());
    // Plant a difference only Postgres has: the read shows it, so it came from Postgres.
    await pg.handle.query(`UPDATE users SET first_name = 'FromPostgres' WHERE id = $1`, [user.id]);
    expect((await l.users.getById(user.id))?.firstName).toBe('FromPostgres');
    expect((await layer('dual-write').users.getById(user.id))?.firstName).toBe(user.firstName);
  });
});
