/**
 * What happens to one call, by kind and stage (architecture.md "Stages"):
 * - write: the primary first (its result or error is the caller's); then, when the stage has a shadow,
 *   the touched records' state is copied to it, inline, with a time limit; a failure or timeout
 *   journals the records in the primary's store. Records the arguments name that are journaled the
 *   other way round (their newest state is on the store that is no longer primary, after a
 *   rollback) are reconciled before the write.
 * - read: from the stage's read store, except a journaled record (from the store that has it newest),
 *   and a read naming no record while the domain has journal entries (from the primary); a miss in
 *   `postgres-read` falls back to Redis; a sample is compared off the request path.
 * - primary-only: the primary, nothing else.
 */
import type { DataLayer } from '../../domain/data-layer.js';
import type { JournalIndex } from '../journal/journal-index.js';
import { errorText, withDeadline, withTimeout } from '../journal/timeout.js';
import { entityOfKey, refOfKey } from '../journal/refs.js';
import { type Journal, type RecordRef, uniqueRefs } from '../journal/types.js';
import type { StageView } from '../stage-store/poller.js';
import type { Breaker } from './breaker.js';
import { type Copier, CopyError } from './copier.js';
import type { MethodDecl, ReadDecl, TouchedKey, WriteDecl } from './declare.js';
import type { Fence } from './fence.js';
import type { RouterLog } from './log.js';
import type { Lookups } from './lookups.js';
import type { RecentWrites } from './recent-writes.js';
import type { ShadowReads } from './shadow-reads.js';
import { otherStore, planOf, type StoreName } from './stages.js';
import { invoke, type Route } from './wrap.js';

type AnyFn = (...args: never[]) => Promise<unknown>;

export interface ShadowWriteOptions {
  /** Inline copy limit; past it the records are journaled. Default 1000 ms. */
  timeoutMs: number;
  /** A journaled record is retried no sooner than this (a timed-out copy may still land). Default 2000 ms. */
  settleMs: number;
}

export interface EngineDeps {
  layers: Record<StoreName, DataLayer>;
  view: StageView;
  fence: Fence;
  copier: Copier;
  journals: Record<StoreName, Journal>;
  index: JournalIndex;
  shadowReads: ShadowReads;
  shadowWrites: ShadowWriteOptions;
  log: RouterLog;
  counters: EngineCounters;
  lookups: Lookups;
  breaker: Breaker;
  /** Records being written by this process (shadow reads do not count them as mismatches). */
  recentWrites: RecentWrites;
}

/** Per-process counters shown by `status()`. */
export interface EngineCounters {
  fallbacks: Map<string, number>;
  /** Of those fallbacks, the ones the primary store answered: data Postgres is missing. */
  fallbackHits: Map<string, number>;
  journaled: Map<string, number>;
  /** Journal writes that failed (the primary store failed right after a successful write). */
  lostJournalWrites: number;
}

export function createEngine(deps: EngineDeps): { route: Route; journalKeys: JournalWriter } {
  const { layers, log } = deps;
  const journalKeys = createJournalWriter(deps);

  async function write(domain: string, path: readonly string[], decl: WriteDecl<AnyFn>, args: unknown[]) {
    const ticket = await deps.fence.enter(domain);
    const tracker = deps.recentWrites.begin([domain, ...(decl.touches ?? [])]);
    try {
      const plan = planOf(ticket.stage);
      const args_ = args as never;
      const preKeys = decl.preKeys?.(args_) ?? [];
      // Marked before the primary is written: a comparison from now on may see the stores differ.
      if (plan.shadow !== null) tracker.touch(preKeys);
      await reconcileReversed(preKeys, plan.primary, path);
      const before =
        plan.shadow !== null && decl.before
          ? await decl.before(args_, { store: plan.primary, lookups: deps.lookups }).catch((err: unknown) => {
              log.warn(
                `${path.join('.')}: records to remove from the shadow could not be looked up: ${errorText(err)}`,
              );
              return [] as TouchedKey[];
            })
          : [];
      const result = await invoke(layers[plan.primary], path, args);
      if (plan.shadow === null) return result;
      let keys: TouchedKey[];
      try {
        keys = [...before, ...(await decl.keys(args_, result as never, { source: layers[plan.primary] }))];
      } catch (err) {
        log.error(
          `${path.join('.')}: the touched records could not be determined, the shadow copy is skipped: ${errorText(err)}`,
        );
        return result;
      }
      if (keys.length === 0) return result;
      tracker.touch(keys);
      if (!deps.breaker.allow(plan.shadow)) {
        await journalKeys(
          keys,
          plan.primary,
          `${plan.shadow} is unavailable (circuit open after repeated failures)`,
        );
        return result;
      }
      try {
        await withDeadline(
          // Compare first: rewriting an unchanged record is not free (Postgres' updated_at trigger would
          // move a timestamp the record did not change, e.g. the user of an order completed twice).
          deps.copier.copy(plan.primary, plan.shadow, keys, { compareFirst: true, maxRounds: 3 }),
          deps.shadowWrites.timeoutMs,
          `shadow copy of ${path.join('.')}`,
          () => void journalKeys(keys, plan.primary, 'a timed-out copy landed late'),
        );
        deps.breaker.success(plan.shadow);
      } catch (err) {
        // A record that cannot be copied as it is says nothing about the store's health.
        if (!(err instanceof CopyError)) deps.breaker.failure(plan.shadow);
        await journalKeys(keys, plan.primary, errorText(err));
      }
      return result;
    } finally {
      tracker.end();
      ticket.release();
    }
  }

  // Records whose newest state is on the other store are copied to the primary before it is written,
  // so the write does not start from a stale record. If that copy fails the write goes ahead: the
  // primary is up and the caller is served; the entry stays journaled.
  async function reconcileReversed(keys: TouchedKey[], primary: StoreName, path: readonly string[]) {
    const reversed = keys.filter((k) => deps.index.sourceOf(entityOfKey(k), k.id) === otherStore(primary));
    if (reversed.length === 0) return;
    try {
      await withDeadline(
        deps.copier.copy(otherStore(primary), primary, reversed, { compareFirst: true, maxRounds: 3 }),
        deps.shadowWrites.timeoutMs,
        'repair before write',
        () => void journalKeys(reversed, otherStore(primary), 'a timed-out repair landed late'),
      );
    } catch (err) {
      log.warn(
        `${path.join('.')}: journaled records could not be brought up to date first: ${errorText(err)}`,
      );
    }
  }

  // One line per domain and second at most: a backfill gap could otherwise flood the log.
  const lastFallbackLog = new Map<string, number>();
  function logFallback(domain: string, message: string) {
    const at = Date.now();
    if (at - (lastFallbackLog.get(domain) ?? 0) < 1000) return;
    lastFallbackLog.set(domain, at);
    log.warn(`${message}; ${deps.counters.fallbacks.get(domain)} fallback(s) in ${domain} so far`);
  }

  async function read(domain: string, path: readonly string[], decl: ReadDecl<AnyFn>, args: unknown[]) {
    const plan = planOf(deps.view.stageOf(domain));
    const keys = decl.keys?.(args as never) ?? [];
    let from = plan.reads;
    const journaledAt = keys
      .map((k) => deps.index.sourceOf(entityOfKey(k), k.id))
      .find((s) => s !== undefined);
    if (journaledAt) from = journaledAt;
    else if (from !== plan.primary && keys.length === 0 && deps.index.hasEntries(domain)) from = plan.primary;
    const at = Date.now();
    let result = await invoke(layers[from], path, args);
    const notFound = decl.notFound ? decl.notFound(result as never) : result === null;
    if (plan.readFallback && from !== plan.primary && notFound) {
      deps.counters.fallbacks.set(domain, (deps.counters.fallbacks.get(domain) ?? 0) + 1);
      logFallback(domain, `${path.join('.')}: not found in ${from}, served from ${plan.primary} (fallback)`);
      from = plan.primary;
      result = await invoke(layers[from], path, args);
      if (!(decl.notFound ? decl.notFound(result as never) : result === null))
        deps.counters.fallbackHits.set(domain, (deps.counters.fallbackHits.get(domain) ?? 0) + 1);
    }
    if (plan.compareReads) {
      deps.shadowReads.offer({
        domain,
        method: path.join('.'),
        args,
        decl,
        result,
        servedFrom: from,
        primary: plan.primary,
        at,
        run: (store) => invoke(layers[store], path, args),
      });
    }
    return result;
  }

  const route: Route = (domain, path, decl: MethodDecl<AnyFn>, args) => {
    if (decl.kind === 'write') return write(domain, path, decl, args);
    if (decl.kind === 'read') return read(domain, path, decl, args);
    return invoke(layers[planOf(deps.view.stageOf(domain)).primary], path, args);
  };
  return { route, journalKeys };
}

/** Journals records whose copy failed; entries the store refused are kept and retried on each tick. */
export interface JournalWriter {
  (keys: TouchedKey[], source: StoreName, error: string): Promise<void>;
  /** Retries the entries that could not be written (called with every poll). */
  retry(): Promise<void>;
  /** Entries waiting to be written. */
  backlog(): number;
}

const MAX_BACKLOG = 100_000;

function createJournalWriter(deps: EngineDeps): JournalWriter {
  const backlog: { refs: RecordRef[]; source: StoreName; error: string }[] = [];

  const write = async (refs: RecordRef[], source: StoreName, error: string): Promise<boolean> => {
    try {
      await withTimeout(
        deps.journals[source].record(refs, error, deps.shadowWrites.settleMs),
        5000,
        'journal write',
      );
      return true;
    } catch (err) {
      deps.log.error(
        `journal entry for ${refs.map((r) => `${r.entity}:${r.id}`).join(', ')} could not be written to ${source} ` +
          `(${errorText(err)}); kept in memory and retried`,
      );
      return false;
    }
  };

  const writer = (async (keys: TouchedKey[], source: StoreName, error: string) => {
    const refs: RecordRef[] = uniqueRefs(keys.map(refOfKey));
    deps.index.add(refs, source);
    for (const r of refs)
      deps.counters.journaled.set(r.domain, (deps.counters.journaled.get(r.domain) ?? 0) + 1);
    if (await write(refs, source, error)) return;
    // The primary answered the write a moment ago; it should take the entry again shortly. Past the
    // cap (or if the process dies first) the record stays different until verify finds it.
    if (backlog.length < MAX_BACKLOG) backlog.push({ refs, source, error });
    else deps.counters.lostJournalWrites++;
  }) as JournalWriter;
  writer.retry = async () => {
    for (const item of backlog.splice(0, backlog.length)) {
      if (!(await write(item.refs, item.source, item.error))) backlog.push(item);
    }
  };
  writer.backlog = () => backlog.length;
  return writer;
}
