import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalHash, canonicalize, canonicallyEqual } from '../../src/domain/canonical.js';
import { jsonData, order, product } from './arbitraries.js';

describe('canonical form (the one comparison verify, shadow reads and contracts use)', () => {
  it('sorts keys at every depth, so key order never makes two records differ', () => {
    const a = { id: 'o1', items: [{ quantity: 1, productSlug: 's' }], extra: { z: 1, a: 2 } };
    const b = { extra: { a: 2, z: 1 }, items: [{ productSlug: 's', quantity: 1 }], id: 'o1' };
    expect(canonicalize(a)).toBe(
      '{"extra":{"a":2,"z":1},"id":"o1","items":[{"productSlug":"s","quantity":1}]}',
    );
    expect(canonicalHash(a)).toBe(canonicalHash(b));
  });

  it('treats undefined as absent but keeps null distinct from absent', () => {
    expect(canonicalize({ a: undefined, b: null })).toBe('{"b":null}');
    expect(canonicallyEqual({ stock: null }, {})).toBe(false);
    expect(canonicallyEqual({ stock: undefined }, {})).toBe(true);
  });

  it('keeps array order and tells values apart', () => {
    expect(canonicallyEqual([1, 2], [2, 1])).toBe(false);
    expect(canonicallyEqual({ priceCents: 2499 }, { priceCents: 2500 })).toBe(false);
    expect(canonicallyEqual({ n: 1 }, { n: '1' })).toBe(false);
  });

  it('gives a SHA-256 hex digest', () => {
    expect(canonicalHash({ a: 1 })).toMatch(/^[0-9a-f]{64}$/);
    expect(canonicalHash({ a: 1 })).not.toBe(canonicalHash({ a: 2 }));
  });

  it('keeps a legacy key named __proto__ as data', () => {
    const parsed = JSON.parse('{"__proto__":{"x":1},"a":0}') as unknown;
    expect(canonicalize(parsed)).toBe('{"__proto__":{"x":1},"a":0}');
  });

  it('is valid JSON holding the same data, for any JSON value', () => {
    fc.assert(
      fc.property(jsonData, (value) => {
        expect(JSON.parse(canonicalize(value))).toStrictEqual(value);
      }),
    );
  });

  it('is the same for a record and its copy with keys in any order', () => {
    const shuffle = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(shuffle);
      if (v === null || typeof v !== 'object') return v;
      return Object.fromEntries(
        Object.entries(v)
          .reverse()
          .map(([k, x]) => [k, shuffle(x)]),
      );
    };
    fc.assert(
      fc.property(fc.oneof(order, product), (record) => {
        expect(canonicalHash(shuffle(record))).toBe(canonicalHash(record));
      }),
      { numRuns: 100 },
    );
  });
});
