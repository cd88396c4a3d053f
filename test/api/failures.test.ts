/**
 * Infrastructure failures reach the client as 503 with a generic message (never "not found", never a
 * driver message), while the operator's hook receives the real error.
 */
import { describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/backends/postgres/client.js';
import { createPostgresDataLayer } from '../../src/backends/postgres/index.js';
import { openRedis } from '../../src/backends/redis/client.js';
import { createRedisDataLayer } from '../../src/backends/redis/index.js';
import { UNAVAILABLE_MESSAGE } from '../../src/api/errors.js';
import { legacyKeys } from '../../src/legacy/keys.js';
import { usePostgres, useRedis } from '../support/harness.js';
import { ApiClient, apiDeps } from './support/api-fixture.js';

const pg = usePostgres();
const redis = useRedis();

describe('when a store is down', () => {
  it('answers 503 with Retry-After when Postgres does not answer', async () => {
    const handle = await openPostgres({ url: pg.url, max: 1, driver: 'postgres-js' });
    const data = createPostgresDataLayer({ pg: handle, now: () => new Date() });
    const { app, infraErrors } = apiDeps(data, redis, redis.prefix);
    await handle.close();
    const res = await new ApiClient(app, '192.0.2.10').call('GET', '/api/products/some-candle');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.body.error).toEqual({ code: 'UNAVAILABLE', message: UNAVAILABLE_MESSAGE });
    expect(infraErrors).toHaveLength(1);
  });

  it('answers 503 when the Redis store is gone, instead of an empty product list', async () => {
    const client = await openRedis({ url: redis.url });
    const data = createRedisDataLayer({ client, keys: legacyKeys(redis.prefix), now: () => new Date() });
    const { app, infraErrors } = apiDeps(data, redis, redis.prefix);
    await client.quit();
    const res = await new ApiClient(app, '192.0.2.11').call('GET', '/api/products');
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('UNAVAILABLE');
    expect(JSON.stringify(res.body)).not.toMatch(/redis:\/\/|closed/i);
    expect(infraErrors.length).toBeGreaterThan(0);
  });
});
