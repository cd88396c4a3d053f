/**
 * Writes a generated dataset into Redis: pipelined batches of a few thousand commands with a
 * couple of batches in flight, so a million keys take seconds, not minutes. Refuses to write
 * into a prefix that already holds keys unless asked to flush it first (SCAN + DEL of that prefix
 * only; never FLUSHDB).
 */
import type { RedisClient } from '../../backends/redis/client.js';
import { type KeyFamily, legacyKeys } from '../keys.js';
import { generateDataset } from './dataset.js';
import { MIN_NOW } from './timeline.js';
import type { GeneratorOptions, SeedManifest, WriteOp } from './types.js';

/** The prefix already holds keys and `flush` was not requested. */
export class PrefixNotEmptyError extends Error {
  constructor(readonly prefix: string) {
    super(`prefix "${prefix}" already holds keys`);
    this.name = 'PrefixNotEmptyError';
  }
}

/** The options cannot produce a dataset (e.g. `now` before 2025-12-19). */
export class InvalidSeedOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidSeedOptionsError';
  }
}

/** Generator options plus how to write them. */
export interface SeedOptions extends GeneratorOptions {
  /** Delete every key under the prefix first. */
  flush: boolean;
  /** Commands per pipeline (default 2000). */
  pipelineSize?: number;
  /** Pipelines in flight (default 3). */
  inFlight?: number;
}

export function validateOptions(o: GeneratorOptions): void {
  if (!Number.isInteger(o.scale) || o.scale < 1)
    throw new InvalidSeedOptionsError(`scale must be an integer ≥ 1 (got ${o.scale})`);
  if (!(o.edgeRate >= 0 && o.edgeRate <= 1))
    throw new InvalidSeedOptionsError(`edge rate must be between 0 and 1 (got ${o.edgeRate})`);
  const now = Date.parse(o.now);
  if (Number.isNaN(now)) throw new InvalidSeedOptionsError(`now is not an ISO timestamp: "${o.now}"`);
  if (now < MIN_NOW) {
    throw new InvalidSeedOptionsError(
      `now must not be earlier than ${new Date(MIN_NOW).toISOString()} (got ${o.now})`,
    );
  }
}

/** The Redis command for one operation. */
export function toCommand(op: WriteOp): string[] {
  switch (op.kind) {
    case 'set':
      return op.ttl === undefined
        ? ['SET', op.key, op.value]
        : ['SET', op.key, op.value, 'EX', String(op.ttl)];
    case 'sadd':
      return ['SADD', op.key, ...op.members];
    case 'lpush':
      return ['LPUSH', op.key, ...op.members];
    case 'ltrim':
      return ['LTRIM', op.key, String(op.start), String(op.stop)];
  }
}

/** Counts distinct keys per family. SET keys are unique by construction; collections may repeat. */
export class KeyTally {
  readonly families: Partial<Record<KeyFamily, number>> = {};
  private collections = new Set<string>();

  add(op: WriteOp): void {
    if (op.kind === 'ltrim') return;
    if (op.kind !== 'set') {
      if (this.collections.has(op.key)) return;
      this.collections.add(op.key);
    }
    this.families[op.family] = (this.families[op.family] ?? 0) + 1;
  }

  get total(): number {
    return Object.values(this.families).reduce((s, n) => s + (n ?? 0), 0);
  }
}

export async function prefixHasKeys(client: RedisClient, prefix: string): Promise<boolean> {
  for await (const keys of client.scanIterator({ MATCH: legacyKeys(prefix).all(), COUNT: 1000 })) {
    if (keys.length > 0) return true;
  }
  return false;
}

/** SCAN + DEL of every key under the prefix; returns how many were deleted. */
export async function deletePrefix(client: RedisClient, prefix: string): Promise<number> {
  let deleted = 0;
  for await (const keys of client.scanIterator({ MATCH: legacyKeys(prefix).all(), COUNT: 1000 })) {
    if (keys.length > 0) deleted += await client.del(keys);
  }
  return deleted;
}

/** Generates the dataset for `opts` and writes it; returns the manifest. */
export async function seedLegacyDataset(
  client: RedisClient,
  opts: SeedOptions,
  log: (line: string) => void = () => undefined,
): Promise<SeedManifest> {
  validateOptions(opts);
  const started = performance.now();
  if (await prefixHasKeys(client, opts.prefix)) {
    if (!opts.flush) throw new PrefixNotEmptyError(opts.prefix);
    log(`flushed ${await deletePrefix(client, opts.prefix)} key(s) under the prefix`);
  }
  const size = opts.pipelineSize ?? 2000;
  const maxInFlight = opts.inFlight ?? 3;
  const tally = new KeyTally();
  const dataset = generateDataset(opts);
  const inFlight = new Set<Promise<unknown>>();
  let multi = client.multi();
  let queued = 0;
  let sent = 0;
  let failure: unknown;
  const send = async () => {
    const p = multi.execAsPipeline();
    multi = client.multi();
    sent += queued;
    queued = 0;
    inFlight.add(p);
    p.then(
      () => inFlight.delete(p),
      (err: unknown) => {
        failure ??= err;
        inFlight.delete(p);
      },
    );
    if (inFlight.size >= maxInFlight) await Promise.race(inFlight).catch(() => undefined);
    if (failure) throw failure;
  };
  let nextReport = 100_000;
  for (const batch of dataset.batches) {
    for (const op of batch) {
      tally.add(op);
      multi.addCommand(toCommand(op));
      if (++queued >= size) await send();
    }
    if (sent >= nextReport) {
      log(`${sent} commands sent, ${tally.total} keys so far`);
      nextReport += 100_000;
    }
  }
  if (queued > 0) await send();
  await Promise.allSettled([...inFlight]);
  if (failure) throw failure;
  return {
    seed: opts.seed,
    scale: opts.scale,
    prefix: opts.prefix,
    now: new Date(Date.parse(opts.now)).toISOString(),
    keys: tally.total,
    families: tally.families,
    edgeCases: dataset.edgeCases,
    durationMs: Math.round(performance.now() - started),
  };
}
