/**
 * Finds every legacy record twice (legacy-redis-format.md §2c, §8.1–§8.3): by SCAN over the whole
 * prefix, and through the index sets and lists (and the `user:email:*` pointers). Both land in
 * Postgres work tables (`backfill_keys`, `backfill_index_members`) so memory does not grow with the
 * dataset and a killed run resumes from the saved SCAN cursor or the last index key read. The
 * differences (unindexed records, dangling index ids, duplicate list entries) are then plain SQL.
 */
import { type ClassifiedKey, classifyKey, type KeyFamily, legacyKeys } from '../legacy/keys.js';
import {
  entityOf,
  INDEX_TARGET,
  type IndexFamily,
  INDEXES_ENTITY,
  LIST_INDEX_FAMILIES,
  PRIMARY_INDEX,
  UNKNOWN_ENTITY,
} from './backfill/entities.js';
import { decodeUtf8, keyTypes, listMembers, type RawRedis, setMembers } from './backfill/redis-read.js';
import type { SqlSession } from './backfill/session.js';
import type { QuarantineRow, RunState } from './backfill/state.js';
import { bulkInsert, type ColumnSpec } from './backfill/tables.js';
import type { DiscoveryReport } from './backfill/types.js';

const KEY_COLUMNS: ColumnSpec[] = [
  { field: 'key', name: 'key', type: 'PgText' },
  { field: 'family', name: 'family', type: 'PgText' },
  { field: 'entity', name: 'entity', type: 'PgText' },
  { field: 'source', name: 'source', type: 'PgText' },
];
const MEMBER_COLUMNS: ColumnSpec[] = [
  { field: 'indexKey', name: 'index_key', type: 'PgText' },
  { field: 'family', name: 'family', type: 'PgText' },
  { field: 'ord', name: 'ord', type: 'PgInteger' },
  { field: 'member', name: 'member', type: 'PgText' },
  { field: 'targetKey', name: 'target_key', type: 'PgText' },
];

export interface DiscoveryContext {
  redis: RawRedis;
  session: SqlSession;
  state: RunState;
  prefix: string;
  batchSize: number;
  onProgress?: (done: number, total: number | undefined) => void;
}

/** A key name Postgres text can hold: valid UTF-8 without NUL. */
function keyText(bytes: Buffer): string | undefined {
  const text = decodeUtf8(bytes);
  return text === undefined || text.includes('\u0000') ? undefined : text;
}

/** Inserts keys with ON CONFLICT DO NOTHING (SCAN may return a key twice). */
async function insertKeys(
  session: SqlSession,
  rows: { key: string; family: string; entity: string; source: string }[],
) {
  if (rows.length === 0) return;
  await session.query(
    'CREATE TEMP TABLE IF NOT EXISTS bf_stage_keys (LIKE backfill_keys INCLUDING DEFAULTS)',
  );
  await session.query('DELETE FROM bf_stage_keys');
  await bulkInsert(session, 'bf_stage_keys', KEY_COLUMNS, [...new Map(rows.map((r) => [r.key, r])).values()]);
  await session.query(
    'INSERT INTO backfill_keys (key, family, entity, source) SELECT key, family, entity, source FROM bf_stage_keys ON CONFLICT (key) DO NOTHING',
  );
}

/**
 * SCAN over `prefix*`, classifying and storing every key; keys that are not legacy keys (or whose
 * name Postgres cannot hold) are quarantined at once. Resumes from the saved cursor.
 */
export async function scanKeys(ctx: DiscoveryContext): Promise<void> {
  const { redis, session, state, prefix } = ctx;
  const cp = await state.checkpoint('discover');
  if (cp.done) return;
  let cursor = cp.scanCursor ?? '0';
  let seen = cp.counts.returned ?? 0;
  const match = legacyKeys(prefix).all();
  // SCAN walks the whole keyspace (other prefixes included): visit many buckets per call, and
  // commit found keys together with the cursor once a batch is full or a second has passed.
  const count = Math.max(1000, ctx.batchSize * 4);
  let rows: { key: string; family: string; entity: string; source: string }[] = [];
  let rejected: QuarantineRow[] = [];
  let flushedAt = Date.now();
  const flush = async (next: string) => {
    const done = next === '0';
    await session.transaction(async () => {
      await insertKeys(session, rows);
      await state.quarantine(rejected);
      await state.save('discover', { scanCursor: next, lastKey: null, done, counts: { returned: seen } });
    });
    rows = [];
    rejected = [];
    flushedAt = Date.now();
    ctx.onProgress?.(seen, undefined);
  };
  do {
    const page = await redis.scan(cursor, { MATCH: match, COUNT: count });
    cursor = page.cursor.toString();
    for (const bytes of page.keys) {
      const text = keyText(bytes);
      if (text === undefined) {
        const key = `hex:${bytes.toString('hex')}`;
        rows.push({ key, family: 'unknown', entity: UNKNOWN_ENTITY, source: 'scan' });
        rejected.push({
          key,
          entity: UNKNOWN_ENTITY,
          field: '',
          reason: 'key name is not valid UTF-8 text (shown as hex)',
          raw: null,
        });
        continue;
      }
      const c: ClassifiedKey = classifyKey(text, prefix);
      rows.push({ key: text, family: c.family, entity: entityOf(c.family), source: 'scan' });
      if (c.family === 'unknown') {
        rejected.push({
          key: text,
          entity: UNKNOWN_ENTITY,
          field: '',
          reason: `not a legacy key: ${c.reason}`,
          raw: null,
        });
      }
    }
    seen += page.keys.length;
    if (cursor === '0' || rows.length >= ctx.batchSize || Date.now() - flushedAt > 1000) await flush(cursor);
  } while (cursor !== '0');
  // Fresh statistics, so paging by (entity, key) uses the index from the first page on.
  await session.query('ANALYZE backfill_keys');
}

/** Keys of one entity in byte order after `after`, `limit` at a time. */
export async function keyPage(session: SqlSession, entity: string, after: string, limit: number) {
  return session.query<{ key: string; family: string }>(
    `SELECT key, family FROM backfill_keys WHERE entity = $1 AND key COLLATE "C" > $2 ORDER BY key COLLATE "C" LIMIT ${Number(limit)}`,
    [entity, after],
  );
}

export async function countKeys(session: SqlSession, entity: string): Promise<number> {
  const r = await session.query<{ n: number | string }>(
    'SELECT count(*)::int AS n FROM backfill_keys WHERE entity = $1',
    [entity],
  );
  return Number(r[0]?.n ?? 0);
}

/**
 * Index keys that share their prefix with the records (§2c): a record whose id is `index` overwrote
 * the set with its own JSON, so the key holds that record and is migrated as one.
 */
const RECORD_AT_INDEX_KEY: Partial<Record<IndexFamily, KeyFamily>> = {
  scentsIndex: 'scent',
  baseOilsIndex: 'baseOil',
  containersIndex: 'container',
  calculatorWicksIndex: 'calculatorWick',
};

type MemberRow = { indexKey: string; family: string; ord: number; member: string; targetKey: string };

async function insertMembers(session: SqlSession, rows: MemberRow[]): Promise<void> {
  if (rows.length === 0) return;
  await session.query(
    'CREATE TEMP TABLE IF NOT EXISTS bf_stage_members (LIKE backfill_index_members INCLUDING DEFAULTS)',
  );
  await session.query('DELETE FROM bf_stage_members');
  await bulkInsert(session, 'bf_stage_members', MEMBER_COLUMNS, rows);
  await session.query(
    `INSERT INTO backfill_index_members (index_key, family, ord, member, target_key)
     SELECT DISTINCT index_key, family, ord, member, target_key FROM bf_stage_members ON CONFLICT DO NOTHING`,
  );
}

/**
 * Reads the members of every index key (SSCAN / LRANGE in chunks; `user:email:*` pointers with MGET)
 * into `backfill_index_members`, each with the record key it names. Index keys of the wrong Redis
 * type, and members Postgres cannot hold, are quarantined. Resumes after the last index key done.
 */
export async function readIndexes(ctx: DiscoveryContext, total: number): Promise<void> {
  const { redis, session, state, prefix, batchSize } = ctx;
  const keys = legacyKeys(prefix);
  const cp = await state.checkpoint('indexes');
  if (cp.done) return;
  let after = cp.lastKey ?? '';
  const counts = { ...cp.counts };
  for (;;) {
    const page = await keyPage(session, INDEXES_ENTITY, after, batchSize);
    if (page.length === 0) break;
    const rows: MemberRow[] = [];
    const rejected: QuarantineRow[] = [];
    const refiled: { key: string; family: string; entity: string }[] = [];
    const target = (family: IndexFamily, member: string) =>
      (keys[INDEX_TARGET[family]] as (id: string) => string)(member);
    const add = (indexKey: string, family: IndexFamily, ord: number, bytes: Buffer) => {
      const member = keyText(bytes);
      if (member === undefined) {
        rejected.push({
          key: `${indexKey}#${ord}:${bytes.toString('hex')}`,
          entity: INDEXES_ENTITY,
          field: '',
          reason: 'index member is not valid UTF-8 text',
          raw: bytes,
        });
        return;
      }
      rows.push({ indexKey, family, ord, member, targetKey: target(family, member) });
    };
    const pointers = page.filter((k) => k.family === 'userEmail');
    if (pointers.length > 0) {
      const values = await redis.mGet(pointers.map((p) => p.key));
      pointers.forEach((p, i) => {
        const v = values[i];
        if (v) add(p.key, 'userEmail', 0, v);
      });
    }
    for (const k of page.filter((x) => x.family !== 'userEmail')) {
      const family = k.family as IndexFamily;
      try {
        if (LIST_INDEX_FAMILIES.has(family)) {
          for await (const chunk of listMembers(redis, k.key, Math.max(batchSize, 100))) {
            for (const [i, b] of chunk.items.entries()) add(k.key, family, chunk.start + i, b);
          }
        } else {
          for await (const members of setMembers(redis, k.key, Math.max(batchSize, 100))) {
            for (const b of members) add(k.key, family, 0, b);
          }
        }
      } catch (err) {
        if (!/WRONGTYPE/.test(String(err))) throw err;
        const [type] = await keyTypes(redis, [k.key]);
        const record = RECORD_AT_INDEX_KEY[family];
        if (type === 'string' && record)
          refiled.push({ key: k.key, family: record, entity: entityOf(record) });
        else
          rejected.push({
            key: k.key,
            entity: INDEXES_ENTITY,
            field: '',
            reason: `index key is a Redis ${type}, expected a ${LIST_INDEX_FAMILIES.has(family) ? 'list' : 'set'}`,
            raw: null,
          });
      }
      // Flush large indexes as they go; the unique index makes a re-read after a crash harmless.
      if (rows.length >= 10_000) await insertMembers(session, rows.splice(0));
    }
    after = page[page.length - 1]?.key ?? after;
    counts.indexKeys = (counts.indexKeys ?? 0) + page.length;
    await session.transaction(async () => {
      await insertMembers(session, rows);
      await state.quarantine(rejected);
      for (const r of refiled) {
        await session.query('UPDATE backfill_keys SET family = $2, entity = $3, source = $4 WHERE key = $1', [
          r.key,
          r.family,
          r.entity,
          'index-key',
        ]);
      }
      await state.save('indexes', { scanCursor: null, lastKey: after, done: false, counts });
    });
    ctx.onProgress?.(counts.indexKeys, total);
  }
  await resolveDangling(ctx);
  await state.save('indexes', { scanCursor: null, lastKey: after, done: true, counts });
}

/**
 * Index entries naming a key SCAN did not return: if the record exists now (written during the
 * scan) it joins `backfill_keys` with source `index`; otherwise it stays a dangling id (§8.1).
 */
async function resolveDangling(ctx: DiscoveryContext): Promise<void> {
  const { session, redis, prefix } = ctx;
  let after = '';
  for (;;) {
    const rows = await session.query<{ target_key: string }>(
      `SELECT m.target_key FROM backfill_index_members m
        WHERE NOT EXISTS (SELECT 1 FROM backfill_keys k WHERE k.key = m.target_key)
          AND m.target_key COLLATE "C" > $1
        GROUP BY m.target_key ORDER BY m.target_key COLLATE "C" LIMIT 500`,
      [after],
    );
    if (rows.length === 0) return;
    const found: { key: string; family: string; entity: string; source: string }[] = [];
    const present = await Promise.all(rows.map((r) => redis.exists([r.target_key])));
    rows.forEach((r, i) => {
      if ((present[i] ?? 0) === 0) return;
      const c = classifyKey(r.target_key, prefix);
      if (c.family !== 'unknown')
        found.push({ key: r.target_key, family: c.family, entity: entityOf(c.family), source: 'index' });
    });
    await insertKeys(session, found);
    after = rows[rows.length - 1]?.target_key ?? after;
  }
}

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
