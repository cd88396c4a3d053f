/**
 * The least work any backfill of this dataset has to do, measured piece by piece in the bench's own
 * run, so the rate target can be checked against what the machine allows at all:
 * - Node: decode, validate, map and hash every record (what issue 5 requires of each record), timed
 *   on its own with the values already in memory: no I/O, no batching, no bookkeeping;
 * - Postgres: insert the rows the backfill wrote into empty business tables with one
 *   `INSERT … SELECT` per table, in dependency order, with the live schema's indexes, foreign keys
 *   and checks (rolled back afterwards). Inserting into empty tables is cheaper than merging into
 *   filled ones, so this understates the real cost;
 * - Redis: what the raw baseline's reads cost it (the caller passes it in).
 * Left out, so the bound stays low: discovery (SCAN of every key, the index audit), conflict checks,
 * checkpoints, quarantine, and the index keys' reads.
 */
import type postgres from 'postgres';
import { decodeLegacyValue } from '../../src/legacy/codecs/dispatch.js';
import { classifyKey, legacyKeys } from '../../src/legacy/keys.js';
import type { RedisClient } from '../../src/backends/redis/client.js';
import {
  INDEX_TARGET,
  LIST_INDEX_FAMILIES,
  RECORD_ENTITIES,
  type RecordEntity,
} from '../../src/migration/backfill/entities.js';
import { recordProblems } from '../../src/migration/backfill/records.js';
import { measureServers } from './server-cpu.js';

/**
 * Milliseconds the main thread spent decoding and mapping every record of `prefix`, and the index
 * keys met on the way (with their family), for {@link readIndexMembers}.
 */
export async function decodeAndMapMs(
  redis: RedisClient,
  prefix: string,
  batchSize: number,
): Promise<{ records: number; ms: number; indexKeys: { key: string; family: string }[] }> {
  const indexKeys: { key: string; family: string }[] = [];
  const byFamily = new Map<string, RecordEntity>(RECORD_ENTITIES.map((e) => [e.family, e]));
  let ms = 0;
  let records = 0;
  let keys: string[] = [];
  const run = async () => {
    if (keys.length === 0) return;
    const values = await redis.mGet(keys);
    const t = performance.now();
    for (const [i, key] of keys.entries()) {
      const raw = values[i];
      if (raw === null || raw === undefined) continue;
      const c = classifyKey(key, prefix);
      const entity = byFamily.get(c.family);
      if (!entity) continue;
      const decoded = decodeLegacyValue(c, raw);
      if (!decoded.ok) continue;
      recordProblems(entity, entity.rows(decoded.value.value, {}));
      records++;
    }
    ms += performance.now() - t;
    keys = [];
  };
  for await (const page of redis.scanIterator({ MATCH: legacyKeys(prefix).all(), COUNT: 2000 })) {
    for (const k of page) {
      const { family } = classifyKey(k, prefix);
      if (byFamily.has(family)) keys.push(k);
      else if (family in INDEX_TARGET) indexKeys.push({ key: k, family });
    }
    if (keys.length >= batchSize) await run();
  }
  await run();
  return { records, ms, indexKeys };
}

/**
 * Reads every member of every index key once (what discovery must read to compare the indexes with
 * SCAN), `concurrency` keys at a time, without storing them: Node and Redis CPU milliseconds.
 */
export async function readIndexMembers(
  redis: RedisClient,
  indexKeys: readonly { key: string; family: string }[],
  concurrency = 256,
): Promise<{ members: number; nodeMs: number; redisMs: number | undefined }> {
  let members = 0;
  const cpu0 = process.cpuUsage();
  const measured = await measureServers(async () => {
    for (let i = 0; i < indexKeys.length; i += concurrency) {
      const replies = await Promise.all(
        indexKeys.slice(i, i + concurrency).map(({ key, family }) => {
          // A record stored at an index key (§8.18) answers WRONGTYPE: nothing to count.
          const read =
            family === 'userEmail'
              ? redis.get(key).then((v) => (v === null ? 0 : 1))
              : LIST_INDEX_FAMILIES.has(family)
                ? redis.lRange(key, 0, -1).then((v) => v.length)
                : redis.sMembers(key).then((v) => v.length);
          return read.catch(() => 0);
        }),
      );
      for (const n of replies) members += n;
    }
  });
  const cpu = process.cpuUsage(cpu0);
  return { members, nodeMs: (cpu.user + cpu.system) / 1000, redisMs: measured.redisMs };
}

/** Business tables holding rows, parents before the tables that reference them. */
async function businessTables(sql: postgres.Sql): Promise<string[]> {
  const tables = await sql<{ name: string }[]>`
    SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind = 'r'
       AND c.relname NOT LIKE 'backfill\\_%' AND c.relname NOT LIKE 'bench\\_%'
       AND c.relname NOT IN ('__drizzle_migrations', 'points_discrepancies')`;
  const edges = await sql<{ child: string; parent: string }[]>`
    SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent
      FROM pg_constraint WHERE contype = 'f' AND conrelid <> confrelid`;
  const withRows: string[] = [];
  for (const { name } of tables) {
    const [r] = await sql<{ any: boolean }[]>`SELECT EXISTS (SELECT 1 FROM ${sql(name)}) AS any`;
    if (r?.any) withRows.push(name);
  }
  const ordered: string[] = [];
  const visit = (t: string, path: Set<string>) => {
    if (ordered.includes(t) || path.has(t)) return;
    path.add(t);
    for (const e of edges) if (e.child === t && withRows.includes(e.parent)) visit(e.parent, path);
    ordered.push(t);
  };
  for (const t of withRows) visit(t, new Set());
  return ordered;
}

/** One measurement of {@link postgresInsertFloor}. */
export interface InsertFloor {
  rows: number;
  /** Postgres CPU (undefined where /proc is unreadable) and wall milliseconds of the inserts. */
  postgresMs: number | undefined;
  ms: number;
}

/**
 * Postgres CPU milliseconds to insert the business rows the backfill wrote into the emptied tables,
 * set-based, on one connection, rolled back at the end: once with the live schema, and once more
 * with every non-unique index dropped too (only primary keys, unique rules, foreign keys and checks
 * left), which shows what an index-light schema could save at most.
 */
export async function postgresInsertFloor(sql: postgres.Sql): Promise<{
  tables: number;
  live: InsertFloor;
  withoutSecondaryIndexes: InsertFloor;
  secondaryIndexes: number;
}> {
  const tables = await businessTables(sql);
  const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;
  const conn = await sql.reserve();
  try {
    const columns = new Map<string, string>();
    for (const t of tables) {
      const cols = await conn<{ name: string }[]>`
        SELECT attname AS name FROM pg_attribute
         WHERE attrelid = ${t}::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
         ORDER BY attnum`;
      columns.set(t, cols.map((c) => quoted(c.name)).join(', '));
      await conn.unsafe(`CREATE TEMP TABLE ${quoted(`floor_${t}`)} AS SELECT * FROM ${quoted(t)}`);
    }
    const secondary = await conn<{ name: string }[]>`
      SELECT i.indexrelid::regclass::text AS name FROM pg_index i
       WHERE i.indrelid = ANY(${tables}::regclass[]) AND NOT i.indisunique AND NOT i.indisprimary`;
    const measure = async (dropSecondary: boolean): Promise<InsertFloor> => {
      await conn.unsafe('BEGIN');
      try {
        await conn.unsafe(`TRUNCATE ${tables.map(quoted).join(', ')} CASCADE`);
        if (dropSecondary) for (const { name } of secondary) await conn.unsafe(`DROP INDEX ${name}`);
        let rows = 0;
        let ms = 0;
        const measured = await measureServers(async () => {
          const t0 = performance.now();
          for (const t of tables) {
            const list = columns.get(t) ?? '*';
            const r = await conn.unsafe(
              `INSERT INTO ${quoted(t)} (${list}) OVERRIDING SYSTEM VALUE SELECT ${list} FROM ${quoted(`floor_${t}`)}`,
            );
            rows += r.count;
          }
          ms = performance.now() - t0;
        });
        return { rows, postgresMs: measured.postgresMs, ms };
      } finally {
        await conn.unsafe('ROLLBACK');
      }
    };
    try {
      const live = await measure(false);
      const withoutSecondaryIndexes = await measure(true);
      return { tables: tables.length, live, withoutSecondaryIndexes, secondaryIndexes: secondary.length };
    } finally {
      for (const t of tables) await conn.unsafe(`DROP TABLE IF EXISTS ${quoted(`floor_${t}`)}`);
    }
  } finally {
    conn.release();
  }
}
