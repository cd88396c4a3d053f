/**
 * The discovery section of the backfill report, computed in SQL from the work tables filled by
 * `../discovery.ts`: unindexed records, dangling index ids and duplicate list entries (§8.1–§8.3).
 */
import type { KeyFamily } from '../../legacy/keys.js';
import { type IndexFamily, INDEXES_ENTITY, LIST_INDEX_FAMILIES, PRIMARY_INDEX } from './entities.js';
import type { SqlSession } from './session.js';
import type { DiscoveryReport } from './types.js';

const PRIMARY_PAIRS = Object.entries(PRIMARY_INDEX) as [KeyFamily, IndexFamily][];

/**
 * A capped list and the size of the whole set in one statement: `count(*) OVER ()` is taken before
 * the LIMIT, so each anti-join runs once (at scale 1000 each one reads a million work-table rows).
 */
async function listWithCount<T>(
  session: SqlSession,
  select: string,
  from: string,
  orderBy: string,
  limit: number,
  params: unknown[] = [],
): Promise<{ count: number; rows: T[] }> {
  // LIMIT 0 would return no row to carry the count: fetch one and drop it.
  const rows = await session.query<T & { total: number | string }>(
    `SELECT ${select}, count(*) OVER () AS total ${from} ORDER BY ${orderBy} LIMIT ${Math.max(1, limit)}`,
    params,
  );
  return { count: Number(rows[0]?.total ?? 0), rows: rows.slice(0, limit) };
}

/** The discovery section of the report, from the work tables (lists capped at `limit` items). */
export async function discoveryReport(session: SqlSession, limit: number): Promise<DiscoveryReport> {
  const one = async (q: string, p: unknown[] = []) =>
    Number((await session.query<{ n: number | string }>(q, p))[0]?.n ?? 0);
  const pairs = [PRIMARY_PAIRS.map((p) => p[0]), PRIMARY_PAIRS.map((p) => p[1])];
  const dangling = await listWithCount<{ index_key: string; member: string }>(
    session,
    'm.index_key, m.member',
    'FROM backfill_index_members m WHERE NOT EXISTS (SELECT 1 FROM backfill_keys k WHERE k.key = m.target_key)',
    'm.index_key COLLATE "C", m.ord, m.member COLLATE "C"',
    limit,
  );
  const unindexed = await listWithCount<{ key: string; index_family: string }>(
    session,
    'k.key, p.index_family',
    `FROM backfill_keys k JOIN (SELECT * FROM unnest($1::text[], $2::text[]) AS p(family, index_family)) p ON p.family = k.family
      WHERE NOT EXISTS (SELECT 1 FROM backfill_index_members m WHERE m.target_key = k.key AND m.family = p.index_family)`,
    'k.key COLLATE "C"',
    limit,
    pairs,
  );
  const duplicates = await listWithCount<{ index_key: string; member: string; n: number | string }>(
    session,
    'index_key, member, count(*)::int AS n',
    'FROM backfill_index_members WHERE family = ANY($1::text[]) GROUP BY index_key, member HAVING count(*) > 1',
    'index_key COLLATE "C", member COLLATE "C"',
    limit,
    [[...LIST_INDEX_FAMILIES]],
  );
  return {
    keysScanned: await one(`SELECT count(*)::int AS n FROM backfill_keys WHERE source <> 'index'`),
    indexKeysHoldingRecords: (
      await session.query<{ key: string }>(
        `SELECT key FROM backfill_keys WHERE source = 'index-key' ORDER BY key COLLATE "C"`,
      )
    ).map((r) => r.key),
    foundOnlyViaIndex: await one(`SELECT count(*)::int AS n FROM backfill_keys WHERE source = 'index'`),
    indexKeys: await one('SELECT count(*)::int AS n FROM backfill_keys WHERE entity = $1', [INDEXES_ENTITY]),
    indexMembers: await one('SELECT count(*)::int AS n FROM backfill_index_members'),
    danglingIndexIds: {
      count: dangling.count,
      items: dangling.rows.map((r) => ({ index: r.index_key, member: r.member })),
    },
    unindexedRecords: {
      count: unindexed.count,
      items: unindexed.rows.map((r) => ({ key: r.key, index: r.index_family })),
    },
    duplicateListEntries: {
      count: duplicates.count,
      items: duplicates.rows.map((r) => ({ index: r.index_key, member: r.member, occurrences: Number(r.n) })),
    },
  };
}
