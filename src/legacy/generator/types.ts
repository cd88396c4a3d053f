import type { KeyFamily } from '../keys.js';

/** What the generator is asked to produce. Same options → byte-identical dataset. */
export interface GeneratorOptions {
  /** Any string; hashed into the PRNG state. */
  seed: string;
  /** Integer ≥ 1. 1 ≈ the real store (§10); every further unit adds a slice of a grown store. */
  scale: number;
  /** Prepended to every key (see `legacyKeys`). */
  prefix: string;
  /** ISO instant every timestamp and TTL is derived from; not earlier than `MIN_NOW`. */
  now: string;
  /** Share of each planted edge-case kind (0 disables planting; otherwise at least one of each). */
  edgeRate: number;
}

/**
 * One Redis write, in the order the store would issue it. `family` is the key's family (§2), so the
 * manifest can be counted without classifying keys again. `lpush` members are in push order: the
 * last member ends up at the head of the list, exactly as a series of single LPUSHes.
 */
export type WriteOp =
  | { kind: 'set'; family: KeyFamily; key: string; value: string; ttl?: number }
  | { kind: 'sadd'; family: KeyFamily; key: string; members: string[] }
  | { kind: 'lpush'; family: KeyFamily; key: string; members: string[] }
  | { kind: 'ltrim'; family: KeyFamily; key: string; start: number; stop: number };

/**
 * The planted edge-case kinds, named after legacy-redis-format.md §8. `note` on each planted case
 * says which variant it is (e.g. which index a dangling id sits in).
 */
export const EDGE_CASE_KINDS = [
  'dangling-index-id', // §8.1 (every index kind)
  'unindexed-record', // §8.2 (crash between SET and SADD)
  'pre-index-order', // §8.2 (before 2025-12-03 19:45: no orders:index entry)
  'duplicate-list-entry', // §8.3
  'duplicate-earn', // §8.4
  'balance-mismatch', // §8.5
  'negative-balance', // §8.5
  'dangling-user-ref', // §8.6 deleted users still referenced
  'dangling-order-ref', // §8.6 deleted orders still referenced
  'dangling-product-ref', // §8.6 slugs that match no product in Redis (incl. unmapped-/square-)
  'dangling-name-ref', // §8.6 product alcoholType naming no alcohol type
  'fractional-value', // §8.12
  'null-field', // §8.13
  'unknown-extra-key', // §8.13
  'legacy-shape', // §8.14
  'case-whitespace', // §8.15
  'uniqueness-conflict', // §8.16
  'key-collision', // §8.18
  'json-looking-value', // §8.19
  'static-catalogue-ref', // §8.20
  'orphan-variant-key', // §8.21
  'expired-token', // §8.22
] as const;

export type EdgeCaseKind = (typeof EDGE_CASE_KINDS)[number];

/** One planted edge case: the key that carries it (prefix included) and what is special about it. */
export interface EdgeCase {
  kind: EdgeCaseKind;
  key: string;
  note: string;
}

/** What `npm run legacy:seed` prints on stdout. */
export interface SeedManifest {
  seed: string;
  scale: number;
  prefix: string;
  now: string;
  /** Distinct keys written. */
  keys: number;
  /** Distinct keys per family; families with no key are omitted. */
  families: Partial<Record<KeyFamily, number>>;
  edgeCases: EdgeCase[];
  durationMs: number;
}
