/**
 * The state one generation run threads through its sections: options, the key builders, the
 * output buffer of write operations, the index buffer, and the list of planted edge cases.
 */
import { type KeyFamily, type LegacyKeys, legacyKeys } from '../keys.js';
import { type Catalogue, buildCatalogue } from './catalogue.js';
import { type EntityCounts, entityCounts } from './counts.js';
import { type Rng, rngFor } from './prng.js';
import type { EdgeCase, EdgeCaseKind, GeneratorOptions, WriteOp } from './types.js';

/** Collects write operations until the generator hands them to the writer. */
export class OpBuffer {
  ops: WriteOp[] = [];

  /** A plain value: strings are stored as they are (no quotes), as `@vercel/kv` does. */
  set(family: KeyFamily, key: string, value: string, ttl?: number): void {
    this.ops.push(
      ttl === undefined ? { kind: 'set', family, key, value } : { kind: 'set', family, key, value, ttl },
    );
  }

  /** An object written through `@vercel/kv`: `JSON.stringify`, so `undefined` fields are dropped. */
  json(family: KeyFamily, key: string, value: unknown, ttl?: number): void {
    this.set(family, key, JSON.stringify(value), ttl);
  }

  sadd(family: KeyFamily, key: string, members: string[]): void {
    if (members.length > 0) this.ops.push({ kind: 'sadd', family, key, members });
  }

  /** Members in push order (oldest first), so the newest ends up at the head. */
  lpush(family: KeyFamily, key: string, members: string[]): void {
    if (members.length > 0) this.ops.push({ kind: 'lpush', family, key, members });
  }

  ltrim(family: KeyFamily, key: string, start: number, stop: number): void {
    this.ops.push({ kind: 'ltrim', family, key, start, stop });
  }

  get size(): number {
    return this.ops.length;
  }

  take(): WriteOp[] {
    const ops = this.ops;
    this.ops = [];
    return ops;
  }
}

/**
 * Index-set members wait here and are added in chunks. Every member's record has already been
 * pushed to the output, so "record first, then index" holds for every chunk.
 */
export class IndexBuffer {
  private pending = new Map<string, { family: KeyFamily; members: string[] }>();

  constructor(
    private readonly out: OpBuffer,
    private readonly chunk = 1000,
  ) {}

  add(family: KeyFamily, key: string, member: string): void {
    let entry = this.pending.get(key);
    if (!entry) {
      entry = { family, members: [] };
      this.pending.set(key, entry);
    }
    entry.members.push(member);
    if (entry.members.length >= this.chunk) {
      this.out.sadd(family, key, entry.members);
      entry.members = [];
    }
  }

  flush(): void {
    for (const [key, { family, members }] of this.pending) this.out.sadd(family, key, members);
    this.pending.clear();
  }
}

/** Everything a section needs; one per run, created by `createContext`. */
export interface GenContext {
  readonly opts: GeneratorOptions;
  readonly nowMs: number;
  readonly keys: LegacyKeys;
  readonly counts: EntityCounts;
  readonly catalogue: Catalogue;
  readonly out: OpBuffer;
  readonly index: IndexBuffer;
  readonly edges: EdgeCase[];
  /** Whether edge cases are planted at all (`edgeRate > 0`). */
  readonly planting: boolean;
  rng(...path: (string | number)[]): Rng;
  edge(kind: EdgeCaseKind, key: string, note: string): void;
  /** How many of one edge variant to plant for a population: 0 when not planting, else ≥ 1. */
  quota(population: number, weight?: number): number;
  /** Seconds from `now` until `expiresAtMs`, at least 1 (a TTL must be positive). */
  ttlUntil(expiresAtMs: number): number;
}

export function createContext(opts: GeneratorOptions): GenContext {
  const nowMs = Date.parse(opts.now);
  const out = new OpBuffer();
  const edges: EdgeCase[] = [];
  const planting = opts.edgeRate > 0;
  return {
    opts,
    nowMs,
    keys: legacyKeys(opts.prefix),
    counts: entityCounts(opts.scale),
    catalogue: buildCatalogue(opts.seed, opts.scale),
    out,
    index: new IndexBuffer(out),
    edges,
    planting,
    rng: (...path) => rngFor(opts.seed, ...path),
    edge: (kind, key, note) => {
      edges.push({ kind, key, note });
    },
    quota: (population, weight = 1) =>
      planting ? Math.max(1, Math.round(opts.edgeRate * population * weight)) : 0,
    ttlUntil: (expiresAtMs) => Math.max(1, Math.ceil((expiresAtMs - nowMs) / 1000)),
  };
}
