/**
 * The discovery section of the backfill report, computed in SQL from the work tables filled by
 * `../discovery.ts`: unindexed records, dangling index ids and duplicate list entries (§8.1–§8.3).
 */
import type { KeyFamily } from '../../legacy/keys.js';
import { type IndexFamily, INDEXES_ENTITY, LIST_INDEX_FAMILIES, PRIMARY_INDEX } from './entities.js';
import type { SqlSession } from './session.js';
import type { DiscoveryReport } from './types.js';

const PRIMARY_PAIRS = Object.entries(PRIMARY_INDEX) as [KeyFamily, IndexFamily][];

/** The discovery section of the report, from the work tables (lists capped at `limit` items). */
export async function discoveryReport(session: SqlSession, limit: number): Promise<DiscoveryReport> {
  const one = async (q: string, p: unknown[] = []) =>
    Number((await session.query<{ n: number | string }>(q, p))[0]?.n ?? 0);
  const danglingSql = `FROM backfill_index_members m WHERE NOT EXISTS (SELECT 1 FROM backfill_keys k WHERE k.key = m.target_key)`;
  const unindexedSql = `FROM backfill_keys k JOIN (SELECT * FROM unnest($1::text[], $2::text[]) AS p(family, index_family)) p ON p.family = k.family
    WHERE NOT EXISTS (SELECT 1 FROM backfill_index_members m WHERE m.target_key = k.key AND m.family = p.index_family)`;
  const pairs = [PRIMARY_PAIRS.map((p) => p[0]), PRIMARY_PAIRS.map((p) => p[1])];
  const dupSql = `FROM backfill_index_members WHERE family = ANY($1::text[]) GROUP BY index_key, member HAVING count(*) > 1`;
  const lists = [[...LIST_INDEX_FAMILIES]];
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
      count: await one(`SELECT count(*)::int AS n ${danglingSql}`),
      items: (
        await session.query<{ index_key: string; member: string }>(
          `SELECT m.index_key, m.member ${danglingSql} ORDER BY m.index_key COLLATE "C", m.ord, m.member COLLATE "C" LIMIT ${limit}`,
        )
      ).map((r) => ({ index: r.index_key, member: r.member })),
    },
    unindexedRecords: {
      count: await one(`SELECT count(*)::int AS n ${unindexedSql}`, pairs),
      items: (
        await session.query<{ key: string; index_family: string }>(
          `SELECT k.key, p.index_family ${unindexedSql} ORDER BY k.key COLLATE "C" LIMIT ${limit}`,
          pairs,
        )
      ).map((r) => ({ key: r.key, index: r.index_family })),
    },
    duplicateListEntries: {
      count: await one(`SELECT count(*)::int AS n FROM (SELECT 1 ${dupSql}) d`, lists),
      items: (
        await session.query<{ index_key: string; member: string; n: number | string }>(
          `SELECT index_key, member, count(*)::int AS n ${dupSql} ORDER BY index_key COLLATE "C", member COLLATE "C" LIMIT ${limit}`,
          lists,
        )
      ).map((r) => ({ index: r.index_key, member: r.member, occurrences: Number(r.n) })),
    },
  };
}
