import { describe, expect, it } from 'vitest';
import { redactText, redactUrl } from '../src/config.js';
import { usePglite, usePostgres, useRedis } from './support/harness.js';

const pg = usePostgres();
const lite = usePglite();
const redis = useRedis();

describe('test harness', () => {
  it('gives this file its own migrated Postgres database', async () => {
    const [row] = await pg.handle.query<{ db: string }>('select current_database() as db');
    expect(row?.db).toBe(pg.name);
    const applied = await pg.handle.query<{ n: number }>(
      'select count(*)::int as n from drizzle.__drizzle_migrations',
    );
    expect(applied[0]?.n).toBeGreaterThan(0);
  });

  it('gives this file a migrated in-memory PGlite database', async () => {
    const applied = await lite.handle.query<{ n: number }>(
      'select count(*)::int as n from drizzle.__drizzle_migrations',
    );
    expect(applied[0]?.n).toBeGreaterThan(0);
  });

  it('gives this file a unique Redis prefix', async () => {
    expect(redis.prefix).toMatch(/^t:[0-9a-f]{8}:[0-9a-f]{8}:$/);
    await redis.client.set(`${redis.prefix}probe`, '1');
    expect(await redis.client.get(`${redis.prefix}probe`)).toBe('1');
  });
});

describe('connection strings are redacted', () => {
  it('hides the password in URLs and in free text', () => {
    expect(redactUrl('postgres://app:s3cret@db.example:5432/shop')).toBe(
      'postgres://app:***@db.example:5432/shop',
    );
    expect(redactUrl('rediss://default:tok@up.example:6379')).toBe('rediss://default:***@up.example:6379');
    expect(redactText('failed: rediss://default:tok@up.example:6379 refused')).not.toContain('tok@');
    expect(redactUrl(undefined)).toBe('(embedded)');
  });
});
