/**
 * Migrates one record entity: pages of keys in byte order, read from Redis ahead of the writer
 * (`concurrency` batches in flight, each one MGET), decoded by the codecs, mapped by the Postgres
 * mappers, validated, then written batch by batch; each batch commits together with its quarantine
 * rows and its checkpoint, so counts are exact across kills and resumes.
 */
import { rowsProblems } from '../../backends/postgres/mappers/representable.js';
import { decodeLegacyValue } from '../../legacy/codecs/dispatch.js';
import { type ClassifiedKey, classifyKey, type KeyFamily } from '../../legacy/keys.js';
import { countKeys, keyPage } from '../discovery.js';
import type { RecordEntity } from './entities.js';
import { decodeUtf8, keyTypes, pttls, type RawRedis } from './redis-read.js';
import type { SqlSession } from './session.js';
import type { Counts, QuarantineRow, RunState } from './state.js';
import type { ProgressEvent } from './types.js';
import { prepareStaging, type StagedRecord, writeRecords } from './write.js';

export interface StepContext {
  redis: RawRedis;
  session: SqlSession;
  /**
   * Extra connections that write batches of a {@link RecordEntity.parallel} entity concurrently (empty:
   * everything is written on `session`, as under PGlite and --dry-run).
   */
  writers: readonly SqlSession[];
  state: RunState;
  prefix: string;
  batchSize: number;
  concurrency: number;
  dryRun: boolean;
  now: () => Date;
  onProgress?: (event: ProgressEvent) => void;
}

/** One page of keys, read and mapped, ready for the writer. */
export interface PreparedBatch {
  /** The page holds the keys in (`after`, `lastKey`] of its entity, in byte order. */
  after: string;
  lastKey: string;
  readAt: Date;
  staged: StagedRecord[];
  quarantine: QuarantineRow[];
  scanned: number;
  expired: number;
}

/** A key with the family discovery filed it under. */
export interface KeyRef {
  key: string;
  family: string;
}

/**
 * The key as the codecs see it. Normally `classifyKey`; an index key that holds a record instead of
 * a set (a scent, oil, container or wick whose id is `index`, §8.18) was re-filed under the record
 * family by discovery, and decodes as that record with the id `index`.
 */
function classified(ref: KeyRef, prefix: string): ClassifiedKey {
  const c = classifyKey(ref.key, prefix);
  if (c.family === ref.family) return c;
  return { family: ref.family as KeyFamily, id: ref.key.slice(ref.key.lastIndexOf(':') + 1), key: ref.key };
}

const reasonOf = (field: string, problem: string) =>
  field === '' ? problem : `field "${field}": ${problem}`;

/** What keeps one record's parent and child rows out of Postgres (empty: they can be stored). */
export function recordProblems(
  entity: RecordEntity,
  rows: Pick<StagedRecord, 'parent' | 'children'>,
): string[] {
  return rowsProblems([
    { table: entity.write.parent.table, row: rows.parent },
    ...entity.write.children.flatMap((c) =>
      (rows.children[c.spec.name] ?? []).map((row) => ({ table: c.spec.table, row })),
    ),
  ]);
}

/** Reads, decodes, maps and validates one page of keys (no Postgres access). */
export async function prepareBatch(
  ctx: StepContext,
  entity: RecordEntity,
  { after, keys: page }: KeyPage,
): Promise<PreparedBatch> {
  const keys = page.map((p) => p.key);
  const readAt = ctx.now();
  const [values, ttls] = await Promise.all([
    ctx.redis.mGet([...keys]),
    entity.token ? pttls(ctx.redis, keys) : Promise.resolve(undefined),
  ]);
  const batch: PreparedBatch = {
    after,
    lastKey: keys[keys.length - 1] ?? after,
    readAt,
    staged: [],
    quarantine: [],
    scanned: keys.length,
    expired: 0,
  };
  const quarantine = (key: string, reason: string, raw: Uint8Array | null, field = ''): void => {
    batch.quarantine.push({ key, entity: entity.name, field, reason, raw });
  };

  const missing = keys.filter((_, i) => values[i] === null);
  const types = missing.length > 0 ? await keyTypes(ctx.redis, missing) : [];
  const typeOf = new Map(missing.map((k, i) => [k, types[i] ?? 'none']));

  const one = (key: string, i: number): void => {
    const raw = values[i];
    if (raw === null || raw === undefined) {
      const type = typeOf.get(key) ?? 'none';
      if (type === 'none') batch.expired++;
      else quarantine(key, `is a Redis ${type}, expected a string holding JSON`, null);
      return;
    }
    const text = decodeUtf8(raw);
    if (text === undefined) {
      quarantine(key, 'value is not valid UTF-8', raw);
      return;
    }
    const decoded = decodeLegacyValue(classified(page[i] as KeyRef, ctx.prefix), text);
    if (!decoded.ok) {
      quarantine(key, reasonOf(decoded.error.field, decoded.error.problem), raw, decoded.error.field);
      return;
    }

    let expiresAt: Date | undefined;
    if (entity.token) {
      const ttl = ttls?.[i] ?? -2;
      const own = Date.parse((decoded.value.value as { expiresAt: string }).expiresAt);
      // Gone, or past its own expiresAt (the app deletes such tokens lazily, §8.22): not migrated.
      if (ttl === -2 || own <= readAt.getTime()) {
        batch.expired++;
        return;
      }
      if (ttl >= 0) expiresAt = new Date(readAt.getTime() + ttl);
    }
    const rows = entity.rows(decoded.value.value, { expiresAt });
    const problems = recordProblems(entity, rows);
    if (problems.length > 0) {
      quarantine(key, `cannot be stored in Postgres: ${problems.join('; ')}`, raw);
      return;
    }
    batch.staged.push({ key, raw, ...rows });
  };
  for (const [i, key] of keys.entries()) one(key, i);
  return batch;
}

/** Adds `b` to `a` key by key. */
export function addCounts(a: Counts, b: Counts): Counts {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/**
 * Reads ahead: keeps up to `depth` prepared batches in flight while the consumer writes, in order.
 * Key pages are fetched one after another (each needs the previous page's last key).
 */
export async function* readAhead<P, T>(
  pages: AsyncGenerator<P>,
  prepare: (page: P) => Promise<T>,
  depth: number,
): AsyncGenerator<T> {
  const queue: Promise<T>[] = [];
  let exhausted = false;
  const fill = async () => {
    while (!exhausted && queue.length < depth) {
      const next = await pages.next();
      if (next.done) exhausted = true;
      else {
        const p = prepare(next.value);
        p.catch(() => undefined); // surfaced when awaited in order
        queue.push(p);
      }
    }
  };
  await fill();
  while (queue.length > 0) {
    const head = queue.shift() as Promise<T>;
    const fillNext = fill();
    yield await head;
    await fillNext;
  }
}

/** Key pages fetched per query: each query waits for the writer's transaction on the one connection. */
const PAGES_PER_QUERY = 4;

/** Keys in (`after`, last key of `keys`], in byte order. */
export interface KeyPage {
  after: string;
  keys: KeyRef[];
}

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * Pages of keys of `entity` after `after`, `size` keys each (fetched several pages at a time),
 * skipping the ranges of `done` (batches already committed beyond the checkpoint). A page never
 * straddles such a range: it ends at the range's start, so the pages and the committed ranges chain.
 */
export async function* keyPages(
  session: SqlSession,
  entity: string,
  after: string,
  size: number,
  done: readonly { after: string; last: string }[] = [],
): AsyncGenerator<KeyPage> {
  const skip = [...done].sort((a, b) => byteOrder(a.after, b.after));
  let last = after;
  for (;;) {
    while (skip[0] && byteOrder(skip[0].after, last) <= 0) {
      const range = skip.shift() as { last: string };
      if (byteOrder(range.last, last) > 0) last = range.last;
    }
    const limit = size * PAGES_PER_QUERY;
    let keys: KeyRef[] = await keyPage(session, entity, last, limit);
    const full = keys.length === limit;
    const bound = skip[0];
    let cut = false;
    if (bound) {
      const j = keys.findIndex((k) => byteOrder(k.key, bound.after) > 0);
      if (j >= 0) {
        keys = keys.slice(0, j);
        cut = true;
      }
    }
    for (let i = 0; i < keys.length; i += size) {
      const page = keys.slice(i, i + size);
      yield { after: last, keys: page };
      last = page[page.length - 1]?.key ?? last;
    }
    if (!cut && !full) return;
    if (cut) last = bound?.after ?? last; // == the last key yielded: the range follows it directly
  }
}

/** Batches read ahead of the writers: `concurrency`, but no more than ~2000 records in memory. */
export function readAheadDepth(concurrency: number, batchSize: number): number {
  return Math.max(1, Math.min(concurrency, Math.floor(2000 / batchSize)));
}

/** Writes one prepared batch in one transaction on `session`, with its quarantine rows and checkpoint. */
async function writeBatch(
  ctx: StepContext,
  entity: RecordEntity,
  session: SqlSession,
  b: PreparedBatch,
): Promise<Counts> {
  return session.transaction(async () => {
    const w = await writeRecords(session, entity.write, b.staged, b.readAt, ctx.dryRun);
    const rejected = w.rejected.map((r) => ({
      key: r.record.key,
      entity: entity.name,
      field: '',
      reason: r.reason,
      raw: r.record.raw,
    }));
    await ctx.state.quarantine([...b.quarantine, ...rejected], session);
    const delta = {
      scanned: b.scanned,
      migrated: w.migrated,
      unchanged: w.unchanged,
      liveNewer: w.liveNewer,
      quarantined: b.quarantine.length + rejected.length,
      expired: b.expired,
    };
    await ctx.state.commitBatch(session, entity.name, { after: b.after, last: b.lastKey, counts: delta });
    return delta;
  });
}

/**
 * Migrates every key of `entity`, resuming after its checkpoint. Batches of a `parallel` entity are
 * written on several connections at once; each commits with its checkpoint entry, and the checkpoint
 * only advances over batches committed without a gap (see {@link RunState.commitBatch}).
 */
export async function migrateRecordEntity(ctx: StepContext, entity: RecordEntity): Promise<void> {
  const { session, state } = ctx;
  const cp = await state.checkpoint(entity.name);
  if (cp.done) return;
  const resume = await state.progress(entity.name);
  const writers = entity.parallel && ctx.writers.length > 0 ? [...ctx.writers] : [session];
  for (const w of writers) await w.exclusive(() => prepareStaging(w, entity.write));
  // The row commitBatch locks and updates.
  await state.save(entity.name, {
    scanCursor: resume.pending.length > 0 ? JSON.stringify(resume.pending) : null,
    lastKey: resume.lastKey,
    done: false,
    counts: resume.counts,
  });
  const total = await countKeys(session, entity.name);
  let counts = resume.pending.reduce((a, p) => addCounts(a, p.counts), resume.counts);
  const progress = () => ctx.onProgress?.({ step: entity.name, done: counts.scanned ?? 0, total });
  progress();
  const batches = readAhead(
    keyPages(session, entity.name, resume.lastKey, ctx.batchSize, resume.pending),
    (page) => prepareBatch(ctx, entity, page),
    readAheadDepth(ctx.concurrency, ctx.batchSize),
  );
  const idle = [...writers];
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  try {
    for await (const b of batches) {
      while (idle.length === 0) await Promise.race(inFlight);
      if (failure) break;
      const writer = idle.pop() as SqlSession;
      const job: Promise<void> = writeBatch(ctx, entity, writer, b)
        .then(
          (delta) => {
            counts = addCounts(counts, delta);
            progress();
          },
          (error: unknown) => {
            failure ??= { error };
          },
        )
        .finally(() => {
          inFlight.delete(job);
          idle.push(writer);
        });
      inFlight.add(job);
    }
  } finally {
    await Promise.allSettled([...inFlight]);
  }
  if (failure) throw failure.error;
  const final = await state.progress(entity.name);
  if (final.pending.length > 0) throw new Error(`${entity.name}: batches left unchained after the last one`);
  await state.save(entity.name, {
    scanCursor: null,
    lastKey: final.lastKey,
    done: true,
    counts: final.counts,
  });
}
