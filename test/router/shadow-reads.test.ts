/**
 * Shadow reads on real servers: a sampled read is repeated on the other store off the request path,
 * compared in canonical form, re-checked once, and a lasting difference is stored with both values
 * and repaired from the source of truth. Calibration compares a store with itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoutedDataLayer } from '../../src/migration/router/index.js';
import { createShadowStore } from '../../src/migration/router/shadow-store.js';
import { newUser } from '../contract/fixtures/accounts.js';
import { usePostgres, useRedis } from '../support/harness.js';
import { buildRouter, waitFor } from './fixtures.js';

const pg = usePostgres();
const redis = useRedis();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function pgFirstName(id: string): Promise<string | undefined> {
  const [row] = await pg.handle.query<{ first_name: string }>('SELECT first_name FROM users WHERE id = $1', [
    id,
  ]);
  return row?.first_name;
}
const plant = (id: string, name: string) =>
  pg.handle.query('UPDATE users SET first_name = $2 WHERE id = $1', [id, name]);
const since = new Date(Date.now() - 60_000);

// A planted difference should be exactly the field we change (the trigger would move updated_at too).
beforeAll(async () => {
  await pg.handle.query('ALTER TABLE users DISABLE TRIGGER users_set_updated_at');
});

describe('sampled comparison', () => {
  let layer: RoutedDataLayer;
  beforeAll(async () => {
    layer = await buildRouter(pg, redis, {
      stage: 'shadow-read',
      shadowReads: { sampleRate: { default: 1 }, recheckMs: 400 },
    });
  });
  afterAll(() => layer.migration.close());

  it('serves Redis, records a lasting difference with both values, and repairs Postgres from Redis', async () => {
    const user = await layer.users.create(newUser({ firstName: 'Redis' }));
    await plant(user.id, 'Drifted');
    expect((await layer.users.getById(user.id))?.firstName).toBe('Redis');
    await layer.migration.idle();
    const [m] = await createShadowStore(pg.handle).recentMismatches('users', 1);
    expect(m).toMatchObject({
      method: 'users.getById',
      key: `users:${user.id}`,
      servedFrom: 'redis',
      comparedWith: 'postgres',
      calibration: false,
    });
    expect(m!.diff).toEqual([{ path: 'firstName', served: 'Redis', compared: 'Drifted' }]);
    expect(m!.primaryValue).toMatchObject({ id: user.id, firstName: 'Redis' });
    expect(m!.shadowValue).toMatchObject({ id: user.id, firstName: 'Drifted' });
    // Journaled, then copied again from the source of truth by the reconciler.
    await waitFor('the reconciler to repair Postgres', async () => (await pgFirstName(user.id)) === 'Redis');
    await layer.migration.refresh();
    const rate = await createShadowStore(pg.handle).rateSince('users', since);
    expect(rate.mismatched).toBe(1);
    expect(rate.compared).toBeGreaterThanOrEqual(1);
  });

  it('does not count a difference that is gone when re-checked (a write in between)', async () => {
    const user = await layer.users.create(newUser({ firstName: 'Stable' }));
    await layer.migration.refresh();
    const before = await createShadowStore(pg.handle).rateSince('users', since);
    await plant(user.id, 'Moving');
    await layer.users.getById(user.id);
    await sleep(150); // the first comparison has seen the difference and waits to re-check
    await plant(user.id, 'Stable');
    await layer.migration.idle();
    await layer.migration.refresh();
    const after = await createShadowStore(pg.handle).rateSince('users', since);
    expect(after.compared - before.compared).toBe(1);
    expect(after.mismatched - before.mismatched).toBe(0);
  });
});

describe('calibration', () => {
  let layer: RoutedDataLayer;
  beforeAll(async () => {
    layer = await buildRouter(pg, redis, {
      stage: 'shadow-read',
      shadowReads: { sampleRate: { default: 1 }, calibrate: ['users'], recheckMs: 50 },
    });
  });
  afterAll(() => layer.migration.close());

  it('compares Redis with Redis: the noise floor, kept apart from the real rate, and repairs nothing', async () => {
    const user = await layer.users.create(newUser({ firstName: 'Same' }));
    await plant(user.id, 'Different in Postgres');
    const real = await createShadowStore(pg.handle).rateSince('users', since);
    for (let i = 0; i < 5; i++) await layer.users.getById(user.id);
    await layer.migration.idle();
    await layer.migration.refresh();
    const calibration = await createShadowStore(pg.handle).rateSince('users', since, true);
    expect(calibration).toMatchObject({ compared: 5, mismatched: 0 });
    expect(await createShadowStore(pg.handle).rateSince('users', since)).toEqual(real);
    expect(await pgFirstName(user.id)).toBe('Different in Postgres');
  });
});

describe('journaled records', () => {
  let layer: RoutedDataLayer;
  beforeAll(async () => {
    layer = await buildRouter(pg, redis, { stage: 'postgres-read', reconciler: { enabled: false } });
  });
  afterAll(() => layer.migration.close());

  it('postgres-read: a journaled record is read from Redis (read-your-writes) until it is repaired', async () => {
    const stale = await layer.users.create(newUser({ firstName: 'Current' }));
    const other = await layer.users.create(newUser({ firstName: 'Other' }));
    await plant(stale.id, 'Stale');
    await plant(other.id, 'Postgres copy');
    // What a failed shadow copy leaves behind: the record in the Redis journal.
    const redisJournal = (await import('../../src/migration/journal/redis-journal.js')).createRedisJournal(
      redis.client,
      (await import('../../src/migration/journal/keys.js')).migrationKeys(redis.prefix),
    );
    await redisJournal.record([{ domain: 'users', entity: 'users', id: stale.id }], 'postgres was down', 0);
    await layer.migration.refresh();
    expect((await layer.users.getById(stale.id))?.firstName).toBe('Current');
    expect((await layer.users.getById(other.id))?.firstName).toBe('Postgres copy');
    expect(await layer.migration.drain(5000)).toEqual([]);
    expect(await pgFirstName(stale.id)).toBe('Current');
    expect((await layer.migration.status()).domains.find((d) => d.domain === 'users')?.journal.depth).toBe(0);
  });
});
