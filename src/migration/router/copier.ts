/**
 * Copies the STATE of records from one store to the other with the entity sync layer: load from the
 * source, write to the target, then re-read the source and copy again if it changed meanwhile (a
 * concurrent writer may have copied an older state after ours). Replaying the operation instead would
 * diverge: generated ids, timestamps and read-modify-writes come out differently on each store.
 */
import { canonicalHash } from '../../domain/canonical.js';
import { eachLimit } from '../journal/timeout.js';
import type { DataLayer } from '../../domain/data-layer.js';
import type { AnyEntitySync, SyncContext } from '../entities/types.js';
import { type CollectionKey, isCollectionKey, type RecordKey, type TouchedKey } from './declare.js';
import type { StoreName } from './stages.js';

export interface CopierDeps {
  ctx: SyncContext;
  entities: ReadonlyMap<string, AnyEntitySync>;
  /** The two raw backends (collections are listed through their reads). */
  layers: Record<StoreName, DataLayer>;
  /** Newest ledger entries looked at after an inline write (a checkout adds two). */
  ledgerWindow: number;
  /** Newest admin-log entries compared after an append. */
  adminLogWindow: number;
}

export interface CopyOptions {
  /** Load the target first and skip records that are equal already (reconciler, repair-on-touch). */
  compareFirst: boolean;
  /** Give up after this many rounds of "the source changed while copying". */
  maxRounds: number;
  /** List collections completely instead of their newest window. */
  full?: boolean;
}

/** Records of one entity written at the same time. */
const WRITE_CONCURRENCY = 4;

export interface CopyReport {
  written: number;
  unchanged: number;
}

/** A record that cannot be copied as it is (undecodable source, unknown entity, token never seen). */
export class CopyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CopyError';
  }
}

interface Loaded {
  record: unknown;
  hash: string;
}

export interface Copier {
  copy(from: StoreName, to: StoreName, keys: readonly TouchedKey[], opts: CopyOptions): Promise<CopyReport>;
  /**
   * Dependency rank of an entity (parents first, as the sync layer lists them; collections last).
   * Copying parents first lets a child row link its `*_ref` column to a parent copied with it.
   */
  rank(entity: string): number;
}

export function createCopier(deps: CopierDeps): Copier {
  const { ctx } = deps;
  const order = new Map([...deps.entities.keys()].map((name, i) => [name, i]));
  const rank = (name: string) => order.get(name) ?? order.size;

  const entity = (name: string): AnyEntitySync => {
    const e = deps.entities.get(name);
    if (!e) throw new CopyError(`no sync-layer entity named ${name}`);
    return e;
  };

  async function load(store: StoreName, e: AnyEntitySync, ids: readonly string[], strict: boolean) {
    const out = new Map<string, Loaded>();
    if (ids.length === 0) return out;
    if (store === 'postgres') {
      for (const [id, record] of await e.loadPostgres(ctx, ids)) {
        out.set(id, { record, hash: canonicalHash(e.compareFormPostgres(record)) });
      }
      return out;
    }
    for (const [id, entry] of await e.loadRedis(ctx, ids)) {
      if (entry.ok)
        out.set(id, { record: entry.record, hash: canonicalHash(e.compareFormRedis(entry.record)) });
      else if (strict)
        throw new CopyError(`${entry.key} does not decode (${entry.error.problem}); repair it by hand`);
      else out.set(id, { record: null, hash: 'undecodable' });
    }
    return out;
  }

  async function writeOne(store: StoreName, e: AnyEntitySync, id: string, record: unknown): Promise<void> {
    // The sync layer writes one aggregate in its own transaction (parent + child rows).
    if (store === 'redis') await e.writeRedis(ctx, id, record);
    else await e.writePostgres(ctx, ctx.pg.db, id, record);
  }

  async function copyEntity(
    from: StoreName,
    to: StoreName,
    e: AnyEntitySync,
    ids: string[],
    opts: CopyOptions,
  ) {
    const report: CopyReport = { written: 0, unchanged: 0 };
    let pending = ids;
    for (let round = 0; round < opts.maxRounds; round++) {
      const source = await load(from, e, pending, true);
      const target = opts.compareFirst || round > 0 ? await load(to, e, pending, false) : undefined;
      const changed = pending.filter((id) => !(target && target.get(id)?.hash === source.get(id)?.hash));
      if (round === 0) report.unchanged += pending.length - changed.length;
      // Records are independent: a few are written at once (a reconciler chunk can hold a hundred).
      await eachLimit(changed, WRITE_CONCURRENCY, (id) =>
        writeOne(to, e, id, source.get(id)?.record ?? null),
      );
      const written = changed;
      report.written += written.length;
      if (written.length === 0) return report;
      const again = await load(from, e, written, true);
      pending = written.filter((id) => again.get(id)?.hash !== source.get(id)?.hash);
      if (pending.length === 0) return report;
    }
    throw new CopyError(`${e.name} ${pending.join(', ')} kept changing while being copied`);
  }

  async function ledgerIds(from: StoreName, userId: string, full: boolean): Promise<string[]> {
    const points = deps.layers[from].points;
    if (!full) return (await points.history(userId, { limit: deps.ledgerWindow })).map((t) => t.id);
    const ids: string[] = [];
    for (let offset = 0; ; offset += 1000) {
      const page = await points.history(userId, { limit: 1000, offset });
      ids.push(...page.map((t) => t.id));
      if (page.length < 1000) return ids;
    }
  }

  // Admin log entries have no id: compare the newest entries of both stores as multisets of their
  // canonical form and append the missing ones to the target, oldest first.
  async function syncAdminLogs(from: StoreName, to: StoreName, full: boolean): Promise<CopyReport> {
    const limit = full ? 1000 : deps.adminLogWindow;
    const [source, target] = await Promise.all([
      deps.layers[from].admin.listLogs({ limit }),
      deps.layers[to].admin.listLogs({ limit }),
    ]);
    const have = new Map<string, number>();
    for (const entry of target) have.set(canonicalHash(entry), (have.get(canonicalHash(entry)) ?? 0) + 1);
    const missing: number[] = [];
    source.forEach((entry, i) => {
      const h = canonicalHash(entry);
      const n = have.get(h) ?? 0;
      if (n > 0) have.set(h, n - 1);
      else missing.push(i);
    });
    // Into Postgres an entry goes through the sync layer with the backfill's dedupe key (its hash and
    // its occurrence among identical entries, oldest first): appended without one, a backfill that
    // runs afterwards would insert the same entry a second time.
    const occurrence: number[] = [];
    const seen = new Map<string, number>();
    for (let i = source.length - 1; i >= 0; i--) {
      const h = canonicalHash(source[i]!);
      occurrence[i] = seen.get(h) ?? 0;
      seen.set(h, occurrence[i]! + 1);
    }
    const logs = to === 'postgres' ? deps.entities.get('admin_logs') : undefined;
    // A target that lags by more than the window only sees the newest ones; the rest is older than
    // the oldest compared entry and is repaired by `migrate:repair` (admin_logs entity).
    for (const i of missing.reverse()) {
      const entry = source[i]!;
      if (logs) {
        await writeOne(
          'postgres',
          logs,
          `${entry.timestamp} ${canonicalHash(entry)}#${occurrence[i]}`,
          entry,
        );
      } else {
        const { extra: _extra, ...rest } = entry;
        await deps.layers[to].admin.appendLog(rest);
      }
    }
    return { written: missing.length, unchanged: source.length - missing.length };
  }

  return {
    async copy(from, to, keys, opts) {
      const total: CopyReport = { written: 0, unchanged: 0 };
      const add = (r: CopyReport) => {
        total.written += r.written;
        total.unchanged += r.unchanged;
      };
      const records: RecordKey[] = [];
      for (const key of keys) {
        if (!isCollectionKey(key)) records.push(key);
        else if (key.collection === 'adminLogs') add(await syncAdminLogs(from, to, opts.full === true));
        else records.push(...(await resolveLedger(from, key, opts.full === true)));
      }
      const byEntity = new Map<string, Set<string>>();
      for (const key of records) {
        if (key.token !== undefined) {
          // Bounded: a token learnt here only saves a SCAN later (tokens expire within 30 days anyway).
          if (ctx.tokenKeys.size > 100_000) ctx.tokenKeys.clear();
          ctx.tokenKeys.set(key.id, key.token);
        }
        const ids = byEntity.get(key.entity) ?? new Set<string>();
        byEntity.set(key.entity, ids);
        ids.add(key.id);
      }
      const ranked = [...byEntity].sort(([a], [b]) => rank(a) - rank(b));
      for (const [name, ids] of ranked) add(await copyEntity(from, to, entity(name), [...ids], opts));
      return total;
    },
    rank: (name) => (name.startsWith('@') ? order.size + 1 : rank(name)),
  };

  async function resolveLedger(from: StoreName, key: CollectionKey, full: boolean): Promise<RecordKey[]> {
    return (await ledgerIds(from, key.id, full)).map((id) => ({ entity: 'points_transactions', id }));
  }
}
