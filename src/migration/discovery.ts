/**
 * Finds every legacy record twice (legacy-redis-format.md §2c, §8.1–§8.3): by SCAN over the whole
 * prefix, and through the index sets and lists (and the `user:email:*` pointers). Both land in
 * Postgres work tables (`backfill_keys`, `backfill_index_members`) so memory does not grow with the
 * dataset and a killed run resumes from the saved SCAN cursor or the last index key read. The
 * differences (unindexed records, dangling index ids, duplicate list entries) are then plain SQL.
 */
import { type ClassifiedKey, classifyKey, type KeyFamily, legacyKeys } from '../legacy/keys.js';
import {
  APP_EPHEMERAL_FAMILY,
  entityOf,
  INDEX_TARGET,
  type IndexFamily,
  INDEXES_ENTITY,
  isAppEphemeralKey,
  LIST_INDEX_FAMILIES,
  UNKNOWN_ENTITY,
} from './backfill/entities.js';
import { decodeUtf8, keyTypes, listMembers, type RawRedis, setMembers } from './backfill/redis-read.js';
import type { SqlSession } from './backfill/session.js';
import type { QuarantineRow, RunState } from './backfill/state.js';
import { eachLimit } from './journal/timeout.js';

export interface DiscoveryContext {
  redis: RawRedis;
  session: SqlSession;
  state: RunState;
  prefix: string;
  batchSize: number;
  /** Extra connections: the index step commits each page on one while it reads the next. */
  writers?: readonly SqlSession[];
  onProgress?: (done: number, total: number | undefined) => void;
}

/** A key name Postgres text can hold: valid UTF-8 without NUL. */
function keyText(bytes: Buffer): string | undefined {
  const text = decodeUtf8(bytes);
  return text === undefined || text.includes('\u0000') ? undefined : text;
}

/**
 * Inserts keys with ON CONFLICT DO NOTHING (SCAN may return a key twice). One statement over array
 * parameters: no staging table to create, truncate and fill per flush.
 */
async function insertKeys(
  session: SqlSession,
  rows: { key: string; family: string; entity: string; source: string }[],
) {
  if (rows.length === 0) return;
  const unique = [...new Map(rows.map((r) => [r.key, r])).values()];
  await session.query(
    `INSERT INTO backfill_keys (key, family, entity, source)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
     ON CONFLICT (key) DO NOTHING`,
    [
      unique.map((r) => r.key),
      unique.map((r) => r.family),
      unique.map((r) => r.entity),
      unique.map((r) => r.source),
    ],
  );
}

/**
 * Secondary indexes of the work tables, built in one pass once their step has loaded the table
 * instead of kept up row by row: at scale 1000 (a million keys, 1.1 million index members) keeping
 * them up cost more than the load itself. A step drops its index when it starts loading and builds
 * it (IF NOT EXISTS, so a resumed or already finished step does too) before anything reads through
 * it. A dry run's shadow tables keep theirs (they are small, and the names would not match).
 */
const DEFERRED_INDEX = {
  discover: {
    name: 'backfill_keys_entity_key_idx',
    create: 'ON backfill_keys USING btree (entity, key COLLATE "C")',
  },
  indexes: {
    name: 'backfill_index_members_target_idx',
    create: 'ON backfill_index_members USING btree (target_key)',
  },
} as const;

async function dropDeferredIndex(ctx: DiscoveryContext, step: keyof typeof DEFERRED_INDEX): Promise<void> {
  if (ctx.state.mode === 'dry-run') return;
  await ctx.session.query(`DROP INDEX IF EXISTS ${DEFERRED_INDEX[step].name}`);
}

async function buildDeferredIndex(ctx: DiscoveryContext, step: keyof typeof DEFERRED_INDEX): Promise<void> {
  if (ctx.state.mode === 'dry-run') return;
  const { name, create } = DEFERRED_INDEX[step];
  await ctx.session.query(`CREATE INDEX IF NOT EXISTS ${name} ${create}`);
}

/**
 * SCAN over `prefix*`, classifying and storing every key; keys that are not legacy keys (or whose
 * name Postgres cannot hold) are quarantined at once. Resumes from the saved cursor.
 */
export async function scanKeys(ctx: DiscoveryContext): Promise<void> {
  const { redis, session, state, prefix } = ctx;
  const cp = await state.checkpoint('discover');
  if (cp.done) {
    await buildDeferredIndex(ctx, 'discover');
    return;
  }
  await dropDeferredIndex(ctx, 'discover');
  let cursor = cp.scanCursor ?? '0';
  let seen = cp.counts.returned ?? 0;
  const match = legacyKeys(prefix).all();
  // SCAN walks the whole keyspace (other prefixes included): visit many buckets per call, and
  // commit found keys together with the cursor once enough have piled up or two seconds passed.
  const count = Math.min(10_000, Math.max(2000, ctx.batchSize * 8));
  const flushAt = Math.max(5000, ctx.batchSize * 5);
  let rows: { key: string; family: string; entity: string; source: string }[] = [];
  let rejected: QuarantineRow[] = [];
  let flushedAt = Date.now();
  // Flushes insert their keys on the writer connections in parallel while SCAN goes on (keys and
  // quarantine rows are idempotent: ON CONFLICT). The cursor is saved strictly in order, each only
  // once every key before it is committed, so a resume never skips a key (it may re-insert some).
  const writers = ctx.writers && ctx.writers.length > 0 ? [...ctx.writers] : [session];
  const idle = [...writers];
  const inFlight = new Set<Promise<void>>();
  let saved: Promise<void> = Promise.resolve();
  let failure: { error: unknown } | undefined;
  const flush = async (next: string) => {
    const done = next === '0';
    // Sorted: neighbouring btree pages, fewer of them touched per statement.
    const batch = rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const bad = rejected;
    const returned = seen;
    rows = [];
    rejected = [];
    flushedAt = Date.now();
    while (idle.length === 0) await Promise.race(inFlight);
    if (failure) throw failure.error;
    const w = idle.pop() as SqlSession;
    const inserted = w.transaction(async () => {
      await insertKeys(w, batch);
      await state.quarantine(bad, w);
    });
    const job: Promise<void> = inserted.then(
      () => undefined,
      (error: unknown) => {
        failure ??= { error };
      },
    );
    inFlight.add(job);
    void job.finally(() => {
      inFlight.delete(job);
      idle.push(w);
    });
    const previous = saved;
    saved = (async () => {
      await previous;
      await inserted;
      await state.save('discover', { scanCursor: next, lastKey: null, done, counts: { returned } });
      ctx.onProgress?.(returned, undefined);
    })();
    saved.catch(() => undefined); // surfaced below
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
      if (isAppEphemeralKey(text, prefix)) {
        rows.push({
          key: text,
          family: APP_EPHEMERAL_FAMILY,
          entity: entityOf(APP_EPHEMERAL_FAMILY),
          source: 'scan',
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
    if (cursor === '0' || rows.length >= flushAt || Date.now() - flushedAt > 2000) await flush(cursor);
  } while (cursor !== '0');
  await Promise.allSettled([...inFlight]);
  await saved;
  await buildDeferredIndex(ctx, 'discover');
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

/** Index keys read at the same time (node-redis pipelines them); more only buffers more members. */
const INDEX_READERS = 32;
/** Members buffered before they are written (the rest of a page's members commit with its checkpoint). */
const MEMBER_FLUSH = 5000;

type MemberRow = { indexKey: string; family: string; ord: number; member: string; targetKey: string };

async function insertMembers(session: SqlSession, rows: MemberRow[]): Promise<void> {
  if (rows.length === 0) return;
  // SSCAN may return a member twice: keep one, or the INSERT would hit the same key twice.
  const unique = [...new Map(rows.map((r) => [`${r.indexKey}\u0000${r.ord}\u0000${r.member}`, r])).values()];
  await session.query(
    `INSERT INTO backfill_index_members (index_key, family, ord, member, target_key)
     SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[]) ON CONFLICT DO NOTHING`,
    [
      unique.map((r) => r.indexKey),
      unique.map((r) => r.family),
      unique.map((r) => r.ord),
      unique.map((r) => r.member),
      unique.map((r) => r.targetKey),
    ],
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
  if (cp.done) {
    await buildDeferredIndex(ctx, 'indexes');
    return;
  }
  await dropDeferredIndex(ctx, 'indexes');
  let after = cp.lastKey ?? '';
  const counts = { ...cp.counts };
  // Page N commits (members, quarantine, checkpoint) on a writer connection while page N+1 is read
  // from Redis; commits stay in page order, so the checkpoint never passes an uncommitted page.
  const writer = ctx.writers?.[0] ?? session;
  let committing: Promise<void> = Promise.resolve();
  for (;;) {
    // Index keys are mostly tiny (one list per customer): larger pages amortise each commit.
    const page = await keyPage(session, INDEXES_ENTITY, after, Math.max(batchSize, 2000));
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
    // Index keys are read concurrently (node-redis pipelines the commands), each in chunks, and
    // members are flushed as they accumulate: one huge index never has to fit in memory.
    const readOne = async (k: { key: string; family: string }) => {
      const family = k.family as IndexFamily;
      const chunk = Math.max(batchSize, 100);
      try {
        if (LIST_INDEX_FAMILIES.has(family)) {
          for await (const part of listMembers(redis, k.key, chunk)) {
            for (const [i, b] of part.items.entries()) add(k.key, family, part.start + i, b);
            if (rows.length >= MEMBER_FLUSH) await insertMembers(session, rows.splice(0));
          }
        } else {
          for await (const members of setMembers(redis, k.key, chunk)) {
            for (const b of members) add(k.key, family, 0, b);
            if (rows.length >= MEMBER_FLUSH) await insertMembers(session, rows.splice(0));
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
    };
    await eachLimit(
      page.filter((x) => x.family !== 'userEmail'),
      INDEX_READERS,
      readOne,
    );
    after = page[page.length - 1]?.key ?? after;
    counts.indexKeys = (counts.indexKeys ?? 0) + page.length;
    const checkpoint = { scanCursor: null, lastKey: after, done: false, counts: { ...counts } };
    await committing;
    committing = writer.transaction(async () => {
      await insertMembers(writer, rows);
      await state.quarantine(rejected, writer);
      for (const r of refiled) {
        await writer.query('UPDATE backfill_keys SET family = $2, entity = $3, source = $4 WHERE key = $1', [
          r.key,
          r.family,
          r.entity,
          'index-key',
        ]);
      }
      await state.save('indexes', checkpoint, writer);
      ctx.onProgress?.(checkpoint.counts.indexKeys ?? 0, total);
    });
    committing.catch(() => undefined); // surfaced by the next await
  }
  await committing;
  await buildDeferredIndex(ctx, 'indexes');
  await resolveDangling(ctx);
  await state.save('indexes', { scanCursor: null, lastKey: after, done: true, counts });
}

/**
 * Index entries naming a key SCAN did not return: if the record exists now (written during the
 * scan) it joins `backfill_keys` with source `index`; otherwise it stays a dangling id (§8.1). The
 * candidates are found in one anti-join into a session-local table, then checked page by page.
 */
async function resolveDangling(ctx: DiscoveryContext): Promise<void> {
  const { session, redis, prefix } = ctx;
  await session.query('DROP TABLE IF EXISTS bf_dangling');
  await session.query(
    `CREATE TEMP TABLE bf_dangling AS
       SELECT DISTINCT m.target_key FROM backfill_index_members m
        WHERE NOT EXISTS (SELECT 1 FROM backfill_keys k WHERE k.key = m.target_key)`,
  );
  await session.query('CREATE INDEX ON bf_dangling (target_key COLLATE "C")');
  let after = '';
  for (;;) {
    const rows = await session.query<{ target_key: string }>(
      `SELECT target_key FROM bf_dangling WHERE target_key COLLATE "C" > $1
        ORDER BY target_key COLLATE "C" LIMIT 500`,
      [after],
    );
    if (rows.length === 0) break;
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
  // (After a failure the session's release drops it with every other temp table.)
  await session.query('DROP TABLE bf_dangling');
}
