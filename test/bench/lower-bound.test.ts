/**
 * The backfill benchmark's lower bound (bench/lib/lower-bound.ts) on a small migrated dataset: it
 * must cover the same records, index members and rows as the backfill, and leave the database as it
 * found it (its inserts and dropped indexes are rolled back, its copies dropped).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeAndMapMs, postgresInsertFloor, readIndexMembers } from '../../bench/lib/lower-bound.js';
import { runBackfill } from '../../src/migration/backfill/engine.js';
import { RECORD_ENTITIES } from '../../src/migration/backfill/entities.js';
import type { BackfillReport } from '../../src/migration/backfill/types.js';
import { usePostgres, useRedis } from '../support/harness.js';
import { seed } from '../migration/backfill-support.js';

const pg = usePostgres();
const redis = useRedis();
let report: BackfillReport;

beforeAll(async () => {
  await seed(redis.client, redis.prefix, { scale: 1, edgeRate: 0 });
  report = await runBackfill({ redis: redis.client, pg: pg.handle, prefix: redis.prefix, batchSize: 200 });
}, 120_000);

/** Rows per table and the index names of the schema, to compare before and after. */
async function snapshot() {
  const sql = pg.handle.postgresJs;
  if (!sql) throw new Error('needs postgres.js');
  const tables = await sql<{ name: string }[]>`
    SELECT relname AS name FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r'
     ORDER BY relname`;
  const rows: Record<string, number> = {};
  for (const { name } of tables) {
    const [r] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM ${sql(name)}`;
    rows[name] = r?.n ?? 0;
  }
  const indexes = await sql<{ name: string }[]>`
    SELECT indexrelid::regclass::text AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
     WHERE c.relnamespace = current_schema()::regnamespace ORDER BY 1`;
  const temp = await sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM pg_class WHERE relname LIKE 'floor\\_%' AND relpersistence = 't'`;
  return { rows, indexes: indexes.map((i) => i.name), temp: temp[0]?.n };
}

describe('backfill benchmark: lower bound', () => {
  it('decodes every record the backfill migrated and reads every index member it stored', async () => {
    const decoded = await decodeAndMapMs(redis.client, redis.prefix, 100);
    const migrated = RECORD_ENTITIES.reduce((a, e) => a + (report.entities[e.name]?.migrated ?? 0), 0);
    const read = RECORD_ENTITIES.reduce((a, e) => a + (report.entities[e.name]?.scanned ?? 0), 0);
    expect(migrated).toBeGreaterThan(0);
    // Expired tokens and records Postgres rejects are decoded too (the bound does not look at TTLs).
    expect(decoded.records).toBeGreaterThanOrEqual(migrated);
    expect(decoded.records).toBeLessThanOrEqual(read);
    expect(decoded.indexKeys.length).toBe(report.discovery.indexKeys);

    const members = await readIndexMembers(redis.client, decoded.indexKeys, 16);
    const sql = pg.handle.postgresJs;
    if (!sql) throw new Error('needs postgres.js');
    const [stored] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM backfill_index_members`;
    expect(members.members).toBe(stored?.n);
  });

  it('inserts exactly the business rows, twice, and leaves tables, indexes and temp tables as they were', async () => {
    const before = await snapshot();
    const floor = await postgresInsertFloor(pg.handle.postgresJs as never);
    const after = await snapshot();
    expect(after).toEqual(before);
    expect(after.temp).toBe(0);

    const business = Object.entries(before.rows).filter(
      ([t]) => !t.startsWith('backfill_') && !['__drizzle_migrations', 'points_discrepancies'].includes(t),
    );
    const total = business.reduce((a, [, n]) => a + n, 0);
    expect(floor.tables).toBe(business.filter(([, n]) => n > 0).length);
    expect(floor.live.rows).toBe(total);
    expect(floor.withoutSecondaryIndexes.rows).toBe(total);
    expect(floor.secondaryIndexes).toBeGreaterThan(0);
  });
});
