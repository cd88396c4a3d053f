/**
 * Shadow reads on real servers: a sampled read is repeated on the other store off the request path,
 * compared in canonical form, re-checked once, and a lasting difference is stored with both values
 * and repaired from the source of truth, unless a copy of the record was still on its way (counted as
 * in-flight). Calibration compares a store with itself. The rate's window is exact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoutedDataLayer } from '../../src/migration/router/index.js';
import { createShadowStore } from '../../src/migration/router/shadow-store.js';
import { newUser } from '../contract/fixtures/accounts.js';
import { usePostgres, useRedis } from '../support/harness.js';
import { buildRouter, type RouterOptions, waitFor } from './fixtures.js';
import { seedWorld, startTraffic } from './traffic.js';

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
      // A generous limit: on a loaded CI machine a timed-out shadow read counts as an error, not a
      // mismatch, and the planted difference would go unrecorded.
      shadowReads: { sampleRate: { default: 1 }, recheckMs: 400, timeoutMs: 15_000 },
    });
  });
  afterAll(() => layer.migration.close());

  /**
   * Creates a user and waits until its copy is in Postgres for good: under load the inline copy can
   * outlast its time limit and be journaled, and the reconciler's later copy would undo a planted
   * difference (or the pending entry would make the comparison count it as in flight).
   */
  async function created(firstName: string) {
    const user = await layer.users.create(newUser({ firstName }));
    expect(await layer.migration.drain(20_000)).toEqual([]);
    await layer.migration.refresh();
    return user;
  }

  it('serves Redis, records a lasting difference with both values, and repairs Postgres from Redis', async () => {
    const user = await created('Redis');
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
    const user = await created('Stable');
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

describe('the rate window', () => {
  it('starts exactly at the given instant, not at the start of its minute', async () => {
    const store = createShadowStore(pg.handle);
    const domain = 'purchases';
    const t = new Date(Date.now() - 5000);
    const delta = (at: Date, compared: number, mismatched: number, inFlight = 0) => ({
      domain,
      calibration: false,
      at,
      compared,
      mismatched,
      errors: 0,
      inFlight,
    });
    await store.addStats([
      delta(new Date(t.getTime() - 1), 10, 10, 3),
      delta(t, 7, 1, 2),
      delta(new Date(t.getTime() + 1), 5, 0),
    ]);
    expect(await store.rateSince(domain, t)).toEqual({
      compared: 12,
      mismatched: 1,
      errors: 0,
      inFlight: 2,
      rate: 1 / 12,
    });
    expect(await store.rateSince(domain, new Date(t.getTime() + 1))).toMatchObject({
      compared: 5,
      mismatched: 0,
      inFlight: 0,
    });
  });
});

describe('copies in flight under traffic', () => {
  // Every read compared, re-checked quickly: a comparison that lands between a write and its shadow
  // copy (or its journaled repair) sees a difference that is not drift.
  const run = async (opts: Pick<RouterOptions, 'shadowWrites'>) => {
    const layer = await buildRouter(pg, redis, {
      stage: 'shadow-read',
      shadowReads: { sampleRate: { default: 1 }, recheckMs: 20, maxInFlight: 256 },
      reconciler: { intervalMs: 300, baseBackoffMs: 100, maxBackoffMs: 500, timeoutMs: 2000 },
      ...opts,
    });
    try {
      const windowStart = new Date();
      const world = await seedWorld(layer, { users: 6, products: 3 });
      const untouched = await layer.users.create(newUser({ firstName: 'Truth' }));
      // Its copy (and the world's) in Postgres for good before the drift is planted: a copy that
      // timed out into the journal would otherwise overwrite the drift when the reconciler runs.
      expect(await layer.migration.drain(20_000)).toEqual([]);
      await layer.migration.refresh();
      const store = createShadowStore(pg.handle);
      const comparedSince = async () => {
        const all = await Promise.all(
          layer.migration.model.domains.map((d) => store.rateSince(d, windowStart)),
        );
        return all.reduce(
          (n, r) => ({ compared: n.compared + r.compared, inFlight: n.inFlight + r.inFlight }),
          { compared: 0, inFlight: 0 },
        );
      };
      const traffic = startTraffic([layer], world, 6, 0);
      await sleep(2500);
      await plant(untouched.id, 'Real drift');
      // A sampled read is skipped while maxInFlight comparisons run (a loaded machine): read the
      // planted record until one comparison of it has concluded, while the traffic goes on.
      for (let i = 0; i < 40; i++) {
        await layer.users.getById(untouched.id);
        await sleep(150);
        const seen = await store.recentMismatches('users', 50);
        if (seen.some((m) => m.key === `users:${untouched.id}`)) break;
      }
      // Enough comparisons under traffic to mean something (a loaded machine makes fewer per second).
      await waitFor(
        'more than 50 comparisons under traffic',
        async () => {
          await layer.migration.refresh();
          return (await comparedSince()).compared > 50;
        },
        20_000,
      );
      await sleep(500);
      const report = await traffic.stop();
      await layer.migration.idle();
      await layer.migration.refresh();
      expect(report.failures).toEqual([]);
      const rate = await store.rateSince('users', windowStart);
      const mismatches = (
        await Promise.all(layer.migration.model.domains.map((d) => store.recentMismatches(d, 50)))
      )
        .flat()
        .filter((m) => m.at >= windowStart);
      // The planted difference and nothing else.
      expect([...new Set(mismatches.map((m) => m.key))]).toEqual([`users:${untouched.id}`]);
      // Read until caught, so it may be counted more than once before its repair lands.
      expect(rate.mismatched).toBeGreaterThanOrEqual(1);
      const total = await comparedSince();
      expect(total.compared).toBeGreaterThan(50);
      // Visible in status (its window covers the earlier tests of this file too).
      const users = (await layer.migration.status()).domains.find((d) => d.domain === 'users')?.shadow;
      expect(users?.inFlight).toBeGreaterThanOrEqual(rate.inFlight);
      return total;
    } finally {
      await layer.migration.close();
    }
  };

  it('inline shadow copies: 0 mismatches from live writes, the planted one caught', {
    timeout: 60_000,
  }, async () => {
    await run({});
  });

  it('shadow copies that time out into the journal: counted as in-flight, not as mismatches', {
    timeout: 60_000,
  }, async () => {
    const total = await run({
      shadowWrites: { timeoutMs: 1, settleMs: 50, breaker: { threshold: 1_000_000 } },
    });
    expect(total.inFlight).toBeGreaterThan(0);
  });
});
