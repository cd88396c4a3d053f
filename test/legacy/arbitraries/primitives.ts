/**
 * fast-check building blocks shaped like the store's data (legacy-redis-format.md §3–§4): primitives,
 * ids of every family, `extra` bags and explicit `null`s.
 */
import fc from 'fast-check';
import type { Extra } from '../../../src/domain/common.js';
import type { ObjectCodec } from '../../../src/legacy/codecs/object.js';

// ---- primitives ---------------------------------------------------------------------------------

/** Any string, lone surrogates included (JSON escapes and restores them). */
export const anyText = fc.string({ unit: 'binary', maxLength: 16 });
/** Mostly realistic, sometimes hostile text. */
export const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 16 }) },
  { weight: 1, arbitrary: anyText },
);
export const uuid = fc.uuid({ version: 4 });
export const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);
export const slug = fc.stringMatching(/^[a-z0-9]+(-[a-z0-9]+){0,3}$/);
export const email = fc.emailAddress();
/** Orders use the raw case of the address they were given (§3). */
export const rawCaseEmail = fc.oneof(
  email,
  email.map((e) => e.toUpperCase()),
  fc.constant(' Mixed@Example.COM '),
);

/** `toISOString()` output between 2020 and 2030. */
export const isoTimestamp = fc
  .date({
    min: new Date('2020-01-01T00:00:00.000Z'),
    max: new Date('2030-12-31T23:59:59.999Z'),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString());
export const isoDate = isoTimestamp.map((s) => s.slice(0, 10));

/** Any finite double (never `-0`, which JSON cannot carry). */
export const anyNumber = fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => x + 0);
export const wholeNumber = fc.integer({ min: -1_000_000, max: 1_000_000 });
export const count = fc.nat({ max: 100_000 });
export const cents = fc.nat({ max: 10_000_000 });
/** Dollar rates as the calculator stores them (e.g. 1.4705882352941178). */
export const dollarRate = fc.oneof(
  fc.double({ min: 0, max: 500, noNaN: true }).map((x) => x + 0),
  fc.constantFrom(1.4705882352941178, 157.64 / 720, 0.9705882352941176),
);
/** Purchase quantities / cents: fractional allowed (§4.5). */
export const fractional = fc.oneof(
  cents,
  fc.double({ min: 0, max: 100_000, noNaN: true }).map((x) => x + 0),
);

// ---- ids of every family ------------------------------------------------------------------------

export const orderId = fc.oneof(
  fc
    .tuple(fc.constantFrom('cs_live_', 'cs_test_'), fc.stringMatching(/^[A-Za-z0-9]{52,60}$/))
    .map((p) => p.join('')),
  fc.stringMatching(/^[0-9A-F]{32}$/).map((h) => `MS${h}`),
  fc.stringMatching(/^[0-9a-f]{32}$/).map((h) => `manual-${h}`),
  fc.stringMatching(/^[0-9A-Z]{16}$/).map((h) => `SQ${h}`),
  fc
    .tuple(
      fc.integer({ min: 1_733_000_000_000, max: 1_767_000_000_000 }),
      fc.stringMatching(/^[0-9a-z]{4,6}$/),
    )
    .map(([ms, s]) => `test_order_${ms}_${s}`),
);
export const promotionId = fc
  .tuple(fc.integer({ min: 1_733_000_000_000, max: 1_767_000_000_000 }), fc.stringMatching(/^[0-9a-z]{4,6}$/))
  .map(([ms, s]) => `promo_${ms}_${s}`);
/** Oil, container and wick ids; `index` is excluded because such a key is the index set (§2c). */
export const catalogueId = fc.stringMatching(/^[a-z0-9_-]{1,20}$/).filter((id) => id !== 'index');
/** Set/list member ids, including ones that look like JSON (§8.19): they must stay strings. */
export const memberId = fc.oneof(
  uuid,
  slug,
  orderId,
  fc.constantFrom('123', 'true', 'null', '[1]', '{"a":1}', ''),
  text,
);

// ---- `extra` bags -------------------------------------------------------------------------------

/** Any JSON value, normalised the way a JSON round trip would (fc.jsonValue can produce `-0`). */
export const jsonData = fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);

const extraKey = fc.oneof(
  fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9]{0,10}$/),
  anyText,
  fc.constant('__proto__'),
);

/** Unknown keys that do not collide with the keys the codec models. */
export function extraFor(codec: ObjectCodec<unknown>): fc.Arbitrary<Extra> {
  const known = new Set(codec.legacyNames);
  return fc
    .dictionary(extraKey, jsonData, { maxKeys: 3, noNullPrototype: true })
    .map((d) => Object.fromEntries(Object.entries(d).filter(([k]) => !known.has(k))));
}

/** Adds an `extra` bag to some records (omitted when empty, as the codec does). */
export function withExtra<T extends object>(
  base: fc.Arbitrary<T>,
  codec: ObjectCodec<unknown>,
): fc.Arbitrary<T> {
  return fc
    .tuple(base, fc.option(extraFor(codec), { nil: undefined, freq: 3 }))
    .map(([b, extra]) => (extra && Object.keys(extra).length > 0 ? { ...b, extra } : b));
}

/** A field value that may also be an explicit legacy `null`. */
export function orNull<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> {
  return fc.option(arb, { nil: null, freq: 4 });
}

/** `fc.record` where only `required` keys are always present (the rest are absent, never undefined). */
export function recordWith<T extends object>(
  model: { [K in Exclude<keyof T, 'extra'>]: fc.Arbitrary<Exclude<T[K], undefined>> },
  required: readonly Exclude<keyof T, 'extra'>[],
): fc.Arbitrary<T> {
  const anyModel = model as unknown as Record<string, fc.Arbitrary<unknown>>;
  return fc.record(anyModel, {
    requiredKeys: [...required] as string[],
    noNullPrototype: true,
  }) as unknown as fc.Arbitrary<T>;
}
