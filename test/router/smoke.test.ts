import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSyncContext, entityByName } from '../../src/migration/entities/index.js';
import type { RoutedDataLayer } from '../../src/migration/router/index.js';
import { newUser } from '../contract/fixtures/accounts.js';
import { usePostgres, useRedis } from '../support/harness.js';
import { buildRouter, keysOf } from './fixtures.js';

const pg = usePostgres();
const redis = useRedis();

describe('smoke', () => {
  let layer: RoutedDataLayer;
  beforeAll(async () => {
    layer = await buildRouter(pg, redis, { stage: 'dual-write' });
  });
  afterAll(() => layer.migration.close());

  it('copies a new user to postgres', async () => {
    const u = await layer.users.create(newUser());
    const ctx = createSyncContext({ redis: redis.client, keys: keysOf(redis), pg: pg.handle });
    const e = entityByName('users')!;
    const inPg = await e.loadPostgres(ctx, [u.id]);
    expect(inPg.get(u.id)).toEqual(u);
    const earned = await layer.points.earn(u.id, 10, 'Purchase #cs_test_');
    const tx = await entityByName('points_transactions')!.loadPostgres(ctx, [earned.transaction.id]);
    expect(tx.get(earned.transaction.id)).toEqual(earned.transaction);
    console.log(await layer.migration.status());
  });
});
