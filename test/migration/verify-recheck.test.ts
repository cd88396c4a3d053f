/**
 * Verify under live writes and at scale: a record whose dual-write is in flight while it is compared
 * (Redis already written, Postgres a moment later) is re-checked and not reported; a real difference
 * still is; and the records are read in batches of the configured size, never all at once.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { AnyEntitySync, SyncContext } from '../../src/migration/entities/types.js';
import { QuarantineLookup } from '../../src/migration/verify/backfill-records.js';
import { type EntityPassEnv, verifyEntity } from '../../src/migration/verify/entity-pass.js';
import type { Mismatch } from '../../src/migration/verify/types.js';
import { usePostgres } from '../support/harness.js';
import { editRedisJson, entity, seedAndCopy, sharedIds, sql, useStoreRedis } from './verify-fixtures.js';

// Seeding, the backfill and every verify SCAN the whole keyspace of the test Redis database.
vi.setConfig({ testTimeout: 180_000 });
const pg = usePostgres();
const redis = useStoreRedis();
let ctx: SyncContext;

beforeAll(async () => {
  ctx = await seedAndCopy(redis.client, pg.handle, redis.prefix, { seed: 'recheck' });
}, 300_000);

function env(reported: Mismatch[], over: Partial<EntityPassEnv> = {}): EntityPassEnv {
  return {
    ctx,
    quarantine: new QuarantineLookup(pg.handle),
    batchSize: 100,
    sample: 5,
    diffLimit: 20,
    recheckDelayMs: 300,
    recheckRounds: 3,
    report: async (m) => {
      reported.push(m);
    },
    ...over,
  };
}

/** When the Postgres half of the simulated dual-write lands. */
type Shadow = 'right-after-the-first-read' | 'never' | { afterMs: number };

/**
 * The users entity, with a write landing on Redis just before the verify reads `target`, and the same
 * change landing on Postgres as `shadow` says (a dual-write whose shadow write is in flight).
 */
function withWriteInFlight(target: string, firstName: string, shadow: Shadow): AnyEntitySync {
  const base = entity('users');
  let updatedAt: string | undefined;
  let landed = false;
  const land = () =>
    sql(pg.handle, 'UPDATE users SET first_name = $1, updated_at = $2 WHERE id = $3', [
      firstName,
      updatedAt,
      target,
    ]);
  return {
    ...base,
    async loadRedis(c, ids) {
      if (updatedAt === undefined && ids.includes(target)) {
        updatedAt = new Date().toISOString();
        await editRedisJson(redis.client, c.keys.user(target), (v) => {
          v.firstName = firstName;
          v.updatedAt = updatedAt;
        });
        if (typeof shadow === 'object') setTimeout(() => void land(), shadow.afterMs);
      }
      return base.loadRedis(c, ids);
    },
    async loadPostgres(c, ids) {
      const rows = await base.loadPostgres(c, ids);
      if (
        shadow === 'right-after-the-first-read' &&
        !landed &&
        updatedAt !== undefined &&
        ids.includes(target)
      ) {
        landed = true;
        await land();
      }
      return rows;
    },
  };
}

describe('verify while records change', () => {
  it('re-checks a record whose shadow write was in flight and does not report it', async () => {
    const [target] = await sharedIds(ctx, 'users');
    const reported: Mismatch[] = [];
    const result = await verifyEntity(
      withWriteInFlight(target!, 'Changed While Verifying', 'right-after-the-first-read'),
      env(reported),
    );
    expect(reported).toEqual([]);
    expect(result.counts.different).toBe(0);
    expect(result.counts.resolvedOnRecheck).toBe(1);
    expect(result.counts.equal).toBe(result.counts.redisRecords);
  });

  it('still reports a difference that is there after the re-check, once', async () => {
    const [target] = await sharedIds(ctx, 'users');
    const key = ctx.keys.user(target!);
    const original = String(await redis.client.get(key));
    const reported: Mismatch[] = [];
    try {
      const result = await verifyEntity(withWriteInFlight(target!, 'Never Mirrored', 'never'), env(reported));
      expect(reported).toHaveLength(1);
      expect(reported[0]).toMatchObject({ entity: 'users', id: target, kind: 'different' });
      expect(reported[0]!.diffs!.map((d) => d.path)).toEqual(['firstName', 'updatedAt']);
      expect(result.counts).toMatchObject({ different: 1, resolvedOnRecheck: 0 });
    } finally {
      await redis.client.set(key, original);
    }
  });

  it('without a re-check delay, a write whose shadow lands later is reported', async () => {
    const users = await sharedIds(ctx, 'users');
    const target = users[users.length - 1]!;
    const reported: Mismatch[] = [];
    await verifyEntity(
      withWriteInFlight(target, 'Too Quick', { afterMs: 2500 }),
      env(reported, { recheckDelayMs: 0 }),
    );
    expect(reported.map((m) => m.id)).toEqual([target]);
    // Once the shadow write has landed, the two agree again.
    await new Promise((r) => setTimeout(r, 2700));
    const again: Mismatch[] = [];
    await verifyEntity(entity('users'), env(again, { recheckDelayMs: 0 }));
    expect(again).toEqual([]);
  });
});

describe('verify in batches', () => {
  it('never loads more ids at once than the batch size, and still covers every record', async () => {
    const base = entity('orders');
    const sizes: number[] = [];
    const spy: AnyEntitySync = {
      ...base,
      loadRedis: (c, ids) => {
        sizes.push(ids.length);
        return base.loadRedis(c, ids);
      },
      loadPostgres: (c, ids) => {
        sizes.push(ids.length);
        return base.loadPostgres(c, ids);
      },
    };
    const [{ n }] = (await sql<{ n: number }>(pg.handle, 'SELECT count(*)::int AS n FROM orders')) as [
      { n: number },
    ];
    expect(n).toBeGreaterThan(8);
    const result = await verifyEntity(spy, env([], { batchSize: 4 }));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4);
    expect(sizes.length).toBeGreaterThanOrEqual(Math.ceil(n / 4) * 2);
    expect(result.counts).toMatchObject({ redisRecords: n, postgresRecords: n, equal: n });
  });
});
