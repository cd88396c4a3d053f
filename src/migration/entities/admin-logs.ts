/**
 * The admin audit log (legacy-redis-format.md §4.12): the list `admin:logs` (LPUSH, newest first,
 * LTRIM to 1000) on Redis; `admin_logs` (every entry, kept forever) on Postgres. Entries have no id,
 * so an entry's id is derived from its content: `{timestamp} {canonicalHash}#{n}`, n counting identical
 * entries oldest first (the backfill's dedupe key is `{canonicalHash}#{n}`). Identical entries share
 * their timestamp, so counting among the rows of one timestamp is counting among all of them. Live
 * Postgres writes have no dedupe key, which is why the id is computed from the row, not read from it.
 */
import { inArray, sql } from 'drizzle-orm';
import { fromAdminLogRow, toAdminLogRow } from '../../backends/postgres/mappers/admin.js';
import { type AdminLogRow, adminLogs } from '../../backends/postgres/schema/admin.js';
import type { AdminLogEntry } from '../../domain/admin.js';
import { canonicalHash } from '../../domain/canonical.js';
import { adminLogValue } from '../../legacy/codecs/admin.js';
import { redisUnit } from './redis-io.js';
import type { EntitySync, PgWriter, RedisEntry, SyncContext } from './types.js';

/** How many entries the store keeps (`LTRIM 0 999`). */
export const ADMIN_LOG_KEEP = 1000;

/** Numbers identical entries oldest first; feed entries in that order. */
class Occurrences {
  private readonly seen = new Map<string, number>();
  next(base: string): string {
    const n = this.seen.get(base) ?? 0;
    this.seen.set(base, n + 1);
    return `${base}#${n}`;
  }
}

function entryBase(entry: AdminLogEntry): string {
  return `${entry.timestamp} ${canonicalHash(entry)}`;
}

/** Parses `{timestamp} {hash}#{n}`. */
function parseId(id: string): { timestamp: string; hash: string; n: number } | undefined {
  const m = /^(\S+) ([0-9a-f]{64})#(\d+)$/.exec(id);
  return m ? { timestamp: m[1]!, hash: m[2]!, n: Number(m[3]) } : undefined;
}

interface RedisLogEntry {
  id: string;
  raw: string;
  entry: RedisEntry<AdminLogEntry>;
}

/** The whole list (at most ~1000 entries), oldest first, with ids. */
async function readRedisLog(ctx: SyncContext): Promise<RedisLogEntry[]> {
  const key = ctx.keys.adminLogs();
  const raws = (await ctx.redis.lRange(key, 0, -1)).map(String).reverse();
  const occ = new Occurrences();
  return raws.map((raw) => {
    const r = adminLogValue.decode(key, raw);
    if (!r.ok)
      return { id: occ.next(`? ${canonicalHash(raw)}`), raw, entry: { ok: false, key, error: r.error } };
    return { id: occ.next(entryBase(r.value)), raw, entry: { ok: true, key, record: r.value } };
  });
}

/** Rows (with their ids) sharing the timestamps of `ids`. */
async function rowsFor(
  db: PgWriter,
  ids: readonly string[],
): Promise<{ id: string; pk: number; record: AdminLogEntry }[]> {
  const stamps = [...new Set(ids.map((id) => parseId(id)?.timestamp).filter((t): t is string => !!t))];
  if (stamps.length === 0) return [];
  const rows = (await db
    .select()
    .from(adminLogs)
    .where(
      inArray(
        adminLogs.loggedAt,
        stamps.map((t) => new Date(t)),
      ),
    )
    .orderBy(adminLogs.id)) as AdminLogRow[];
  const occ = new Occurrences();
  return rows.map((row) => {
    const record = fromAdminLogRow(row);
    return { id: occ.next(entryBase(record)), pk: row.id, record };
  });
}

export const adminLogsEntity: EntitySync<AdminLogEntry> = {
  name: 'admin_logs',
  domain: 'admin',
  redisPattern: 'admin:logs',

  async *listRedisIds(ctx, batchSize) {
    const ids = (await readRedisLog(ctx)).map((e) => e.id);
    for (let i = 0; i < ids.length; i += batchSize) yield ids.slice(i, i + batchSize);
  },

  async *listPostgresIds(ctx, batchSize) {
    const occ = new Occurrences();
    let last = 0;
    for (;;) {
      const rows = (await ctx.pg.db
        .select()
        .from(adminLogs)
        .where(sql`${adminLogs.id} > ${last}`)
        .orderBy(adminLogs.id)
        .limit(batchSize)) as AdminLogRow[];
      if (rows.length > 0) yield rows.map((row) => occ.next(entryBase(fromAdminLogRow(row))));
      if (rows.length < batchSize) return;
      last = rows[rows.length - 1]!.id;
    }
  },

  async loadRedis(ctx, ids) {
    const wanted = new Set(ids);
    const out = new Map<string, RedisEntry<AdminLogEntry>>();
    for (const e of await readRedisLog(ctx)) if (wanted.has(e.id)) out.set(e.id, e.entry);
    return out;
  },

  async loadPostgres(ctx, ids) {
    const wanted = new Set(ids);
    const out = new Map<string, AdminLogEntry>();
    for (const r of await rowsFor(ctx.pg.db, ids)) if (wanted.has(r.id)) out.set(r.id, r.record);
    return out;
  },

  compareFormRedis: (r) => r,
  compareFormPostgres: (r) => r,

  async absenceExpected(ctx, record, presentOn) {
    if (presentOn !== 'postgres') return undefined;
    const key = ctx.keys.adminLogs();
    if ((await ctx.redis.lLen(key)) < ADMIN_LOG_KEEP) return undefined;
    const oldest = await ctx.redis.lIndex(key, -1);
    const r = oldest === null ? undefined : adminLogValue.decode(key, String(oldest));
    return r?.ok && record.timestamp <= r.value.timestamp
      ? `older than the ${ADMIN_LOG_KEEP} entries Redis keeps (LTRIM); Postgres keeps every entry`
      : undefined;
  },

  async writePostgres(_ctx, db, id, record) {
    const existing = (await rowsFor(db, [id])).find((r) => r.id === id);
    if (record === null) {
      if (!existing) return 'absent';
      await db.delete(adminLogs).where(sql`${adminLogs.id} = ${existing.pk}`);
      return 'deleted';
    }
    if (!existing) {
      const n = parseId(id)?.n ?? 0;
      await db
        .insert(adminLogs)
        .values(toAdminLogRow(record, n))
        .onConflictDoNothing({ target: adminLogs.dedupeKey });
    }
    return 'written';
  },

  async writeRedis(ctx, id, record) {
    const key = ctx.keys.adminLogs();
    const current = (await readRedisLog(ctx)).find((e) => e.id === id);
    return redisUnit(ctx, `copy admin log entry ${id}`, async (uow) => {
      if (record === null) {
        if (!current) return 'absent';
        uow.push({ op: 'lrem', key, member: current.raw });
        return 'deleted';
      }
      // logAdminAction's LPUSH + LTRIM: right for the entries a live write adds (the newest).
      if (!current) {
        uow.push({ op: 'lpush', key, member: adminLogValue.encode(record) });
        uow.push({ op: 'ltrim', key, start: 0, stop: ADMIN_LOG_KEEP - 1 });
      }
      return 'written';
    });
  },
};
