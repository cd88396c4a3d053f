import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../src/domain/canonical.js';
import {
  decodeLegacyValue,
  decodeMembers,
  encodeLegacyValue,
  encodeMembers,
  type LegacyMembers,
  type LegacyValue,
} from '../../src/legacy/codecs/dispatch.js';
import { ID_FIELDS, type MemberFamily, type StringFamily } from '../../src/legacy/codecs/families.js';
import { classifyKey, type KeyFamily, legacyKeys } from '../../src/legacy/keys.js';
import { MEMBER_VALUE_ARBITRARIES, STRING_VALUE_ARBITRARIES } from './arbitraries.js';

const PREFIX = 'rt:';
const keys = legacyKeys(PREFIX);

/** The key a value lives under: records that carry their id get it from the record itself. */
function keyOf(family: KeyFamily, value: unknown): string {
  const idField = ID_FIELDS[family as StringFamily];
  const id = idField ? String((value as Record<string, unknown>)[idField]) : 'some-id';
  return (keys[family] as (id?: string) => string)(id);
}

/** Rebuilds a JSON text with every object's keys in reverse order. */
function reverseKeyOrder(text: string): string {
  const flip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(flip);
    if (v === null || typeof v !== 'object') return v;
    const entries = Object.entries(v).reverse();
    const out = {};
    for (const [k, x] of entries)
      Object.defineProperty(out, k, { value: flip(x), enumerable: true, writable: true });
    return out;
  };
  return JSON.stringify(flip(JSON.parse(text)));
}

const RUNS = { numRuns: 150 };

describe('every string family: decode(encode(x)) gives x back', () => {
  for (const family of Object.keys(STRING_VALUE_ARBITRARIES) as StringFamily[]) {
    it(family, () => {
      fc.assert(
        fc.property(STRING_VALUE_ARBITRARIES[family] as fc.Arbitrary<unknown>, (value) => {
          const tagged = { family, value } as LegacyValue;
          const text = encodeLegacyValue(tagged);
          const decoded = decodeLegacyValue(classifyKey(keyOf(family, value), PREFIX), text);
          expect(decoded).toEqual({ ok: true, value: tagged });
          if (!decoded.ok) return;
          // Explicit nulls and absent fields stay distinct, and re-encoding writes the same bytes.
          expect(canonicalize(decoded.value.value)).toBe(canonicalize(value));
          expect(encodeLegacyValue(decoded.value)).toBe(text);
        }),
        RUNS,
      );
    });
  }
});

describe('every JSON family: key order in Redis does not matter', () => {
  // The plain-text families (ids, secrets, counters, the literal `true`) have no keys to reorder.
  const plain = new Set([
    'userEmail',
    'admin2faSecret',
    'legacyStock',
    'passwordResetUser',
    'webhookEvent',
    'rateLimitLogin',
  ]);
  const jsonFamilies = (Object.keys(STRING_VALUE_ARBITRARIES) as StringFamily[]).filter((f) => !plain.has(f));

  for (const family of jsonFamilies) {
    it(family, () => {
      fc.assert(
        fc.property(STRING_VALUE_ARBITRARIES[family] as fc.Arbitrary<unknown>, (value) => {
          const text = encodeLegacyValue({ family, value } as LegacyValue);
          const decoded = decodeLegacyValue(classifyKey(keyOf(family, value), PREFIX), reverseKeyOrder(text));
          expect(decoded).toEqual({ ok: true, value: { family, value } });
        }),
        { numRuns: 50 },
      );
    });
  }
});

describe('every set and list family: decodeMembers(encodeMembers(xs)) gives xs back', () => {
  for (const family of Object.keys(MEMBER_VALUE_ARBITRARIES) as MemberFamily[]) {
    it(family, () => {
      const arb = fc.array(MEMBER_VALUE_ARBITRARIES[family] as fc.Arbitrary<unknown>, { maxLength: 6 });
      fc.assert(
        fc.property(arb, (values) => {
          const members = encodeMembers({ family, values } as LegacyMembers);
          const decoded = decodeMembers(classifyKey(keyOf(family, undefined), PREFIX), members);
          // Order and duplicates are kept; ids stay strings even when they look like JSON.
          expect(decoded).toEqual({ ok: true, value: { family, values, errors: [] } });
        }),
        { numRuns: 80 },
      );
    });
  }
});
