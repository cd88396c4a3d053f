/**
 * Parallel batch writers and exact resume: orders are written on four connections at once; one
 * writer's connection is killed mid-batch (a trigger terminates its own backend on one order), so
 * batches after it commit while it does not. The checkpoint must claim only the contiguous prefix;
 * the resumed run writes exactly the missing batch and ends with the rows and counts of a clean run.
 */
import { describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/backends/postgres/client.js';
import { runBackfill } from '../../src/migration/backfill/engine.js';
import { usePostgres, useRedis } from '../support/harness.js';
import { currentHour, fingerprint, seed, unbalancedEntities } from './backfill-support.js';

const reference = usePostgres();
const crashed = usePostgres();
const redis = useRedis();

describe('backfill with parallel writers', () => {
  it('resumes exactly after a writer died while later batches committed', async () => {
    await seed(redis.client, redis.prefix, { scale: 2, edgeRate: 0.2, now: currentHour(2 * 3_600_000) });
    const opts = { redis: redis.client, prefix: redis.prefix, batchSize: 4, concurrency: 4 };
    const ref = await runBackfill({ ...opts, pg: reference.handle });
    expect(unbalancedEntities(ref)).toEqual([]);

    const ids = await reference.handle.query<{ id: string }>('SELECT id FROM orders ORDER BY id COLLATE "C"');
    expect(ids.length).toBeGreaterThan(50);
    const victim = ids[Math.floor(ids.length / 3)]?.id as string;
    await crashed.handle.query(`CREATE FUNCTION bf_test_die() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.id = '${victim.replace(/'/g, "''")}' THEN
          -- Slow enough that the batches after this one commit first.
          PERFORM pg_sleep(2);
          PERFORM pg_terminate_backend(pg_backend_pid());
        END IF;
        RETURN NEW;
      END $$`);
    await crashed.handle.query(
      'CREATE TRIGGER bf_test_die BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION bf_test_die()',
    );
    await expect(runBackfill({ ...opts, pg: crashed.handle })).rejects.toThrow();
    // The killed connection went back to the first pool: continue on a new one, as a new process would.
    const pg = await openPostgres({ url: crashed.url, driver: 'postgres-js', max: 10 });
    try {
      const [cp] = await pg.query<{ last_key: string; scan_cursor: string | null }>(
        "SELECT last_key, scan_cursor FROM backfill_checkpoints WHERE step = 'orders'",
      );
      const victimKey = `${redis.prefix}order:${victim}`;
      // Claimed prefix ends before the victim; later batches committed and wait beyond it.
      expect(Buffer.compare(Buffer.from(cp?.last_key ?? ''), Buffer.from(victimKey))).toBeLessThan(0);
      const pending = JSON.parse(cp?.scan_cursor ?? '[]') as { after: string; last: string }[];
      expect(pending.length).toBeGreaterThan(0);
      const [written] = await pg.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM orders WHERE id COLLATE "C" > $1',
        [victim],
      );
      expect(written?.n).toBeGreaterThan(0);

      await pg.query('DROP TRIGGER bf_test_die ON orders');
      const resumed = await runBackfill({ ...opts, pg: pg });
      expect(resumed.mode).toBe('resumed');
      expect(unbalancedEntities(resumed)).toEqual([]);
      expect(resumed.entities).toEqual(ref.entities);
      expect(await fingerprint(pg)).toEqual(await fingerprint(reference.handle));
      const [left] = await pg.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM backfill_checkpoints WHERE scan_cursor IS NOT NULL AND step = $1',
        ['orders'],
      );
      expect(left?.n).toBe(0);
    } finally {
      await pg.close();
    }
  }, 180_000);
});
