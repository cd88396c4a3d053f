import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeLegacyBatch, decodeLegacyValue, decodeMembers } from '../../src/legacy/codecs/dispatch.js';
import { decodeProduct } from '../../src/legacy/codecs/product.js';
import { type DecodeError, describeDecodeError } from '../../src/legacy/codecs/result.js';
import { classifyKey, KEY_FAMILIES, type KeyFamily, legacyKeys } from '../../src/legacy/keys.js';
import { legacySamples } from './samples.js';

const k = legacyKeys();

/** The first sample stored under `key`'s family, with `patch` applied to its parsed JSON. */
function patched(
  family: KeyFamily,
  patch: (doc: Record<string, unknown>) => void,
): { key: string; raw: string } {
  const sample = legacySamples.find((s) => classifyKey(s.key).family === family)!;
  const doc = JSON.parse(sample.raw) as Record<string, unknown>;
  patch(doc);
  return { key: sample.key, raw: JSON.stringify(doc) };
}

function errorOf(key: string, raw: string): DecodeError {
  const r = decodeLegacyValue(classifyKey(key), raw);
  if (r.ok) throw new Error(`${key} decoded although it should not: ${raw}`);
  expect(r.error.key).toBe(key);
  expect(r.error.raw).toBe(raw);
  return r.error;
}

describe('a bad value is an error naming the key, the field and the problem', () => {
  it('fractional product stock', () => {
    const raw = JSON.stringify({ slug: 'foo', name: 'Foo', price: 24.99, sku: 'DCW-0100', stock: 2.5 });
    const r = decodeProduct('product:foo', raw);
    expect(!r.ok && describeDecodeError(r.error)).toBe(
      'product:foo: field "stock": 2.5 is not a whole number',
    );
  });

  it.each([
    [
      'fractional variant stock',
      (d: Record<string, unknown>) => {
        d.variantConfig = { wickTypes: [], variantData: { 'wood-vanilla': { stock: 1.5 } } };
      },
      'variantConfig.variantData["wood-vanilla"].stock',
      '1.5 is not a whole number',
    ],
    [
      'negative stock',
      (d: Record<string, unknown>) => {
        d.stock = -1;
      },
      'stock',
      '-1 is negative',
    ],
    [
      'a price that is not whole cents',
      (d: Record<string, unknown>) => {
        d.price = 24.999;
      },
      'price',
      '24.999 is not a whole number of cents',
    ],
    [
      'a float-sum price (0.1 + 0.2)',
      (d: Record<string, unknown>) => {
        d.price = 0.1 + 0.2;
      },
      'price',
      '0.30000000000000004 is not a whole number of cents',
    ],
    [
      'a materialCost that is not whole cents',
      (d: Record<string, unknown>) => {
        d.materialCost = 1.005;
      },
      'materialCost',
      '1.005 is not a whole number of cents',
    ],
    [
      'a price written as text',
      (d: Record<string, unknown>) => {
        d.price = '24.99';
      },
      'price',
      'expected a number, got string "24.99"',
    ],
    [
      'a missing name',
      (d: Record<string, unknown>) => {
        delete d.name;
      },
      'name',
      'is missing',
    ],
  ])('product with %s', (_what, patch, field, problem) => {
    const { key, raw } = patched('product', patch);
    expect(errorOf(key, raw)).toMatchObject({ field, problem });
  });

  it.each([
    [
      'a timestamp without milliseconds',
      (d: Record<string, unknown>) => {
        d.createdAt = '2025-12-18T21:40:05Z';
      },
      'createdAt',
      'string "2025-12-18T21:40:05Z" is not an ISO-8601 UTC timestamp with milliseconds',
    ],
    [
      'an impossible date',
      (d: Record<string, unknown>) => {
        d.completedAt = '2025-02-30T00:00:00.000Z';
      },
      'completedAt',
      'string "2025-02-30T00:00:00.000Z" is not an ISO-8601 UTC timestamp with milliseconds',
    ],
    [
      'a fractional item quantity',
      (d: Record<string, unknown>) => {
        (d.items as Record<string, unknown>[])[0]!.quantity = 1.5;
      },
      'items[0].quantity',
      '1.5 is not a whole number',
    ],
    [
      'a status the store never writes',
      (d: Record<string, unknown>) => {
        d.status = 'refunded';
      },
      'status',
      'string "refunded" is not one of "pending", "completed", "cancelled"',
    ],
    [
      'a missing e-mail',
      (d: Record<string, unknown>) => {
        delete d.email;
      },
      'email',
      'is missing',
    ],
    [
      'null where the store never writes null',
      (d: Record<string, unknown>) => {
        d.userId = null;
      },
      'userId',
      'expected a string, got null',
    ],
  ])('order with %s', (_what, patch, field, problem) => {
    const { key, raw } = patched('order', patch);
    expect(errorOf(key, raw)).toMatchObject({ field, problem });
  });

  it('a shipping address with an unknown key (the store builds it field by field)', () => {
    const key = k.order('cs_test_b1');
    const sample = legacySamples.find((s) => s.key === key)!;
    const doc = JSON.parse(sample.raw) as { shippingAddress: Record<string, unknown> };
    doc.shippingAddress.zip = '85701';
    expect(errorOf(key, JSON.stringify(doc))).toMatchObject({
      field: 'shippingAddress.zip',
      problem: 'is not a known field',
    });
  });

  it('a malformed purchase date from a CSV year "25"', () => {
    const { key, raw } = patched('purchase', (d) => {
      d.purchaseDate = '25-12-01';
    });
    expect(errorOf(key, raw)).toMatchObject({
      field: 'purchaseDate',
      problem: 'string "25-12-01" is not a YYYY-MM-DD date',
    });
  });

  it('malformed JSON', () => {
    const error = errorOf(k.user('u1'), '{"id":"u1","email":');
    expect(error.field).toBe('');
    expect(error.problem).toMatch(/^is not valid JSON \(/);
    expect(describeDecodeError(error)).toMatch(/^user:u1: is not valid JSON/);
  });

  it.each([
    [k.user('u1'), '[1,2]', 'expected an object, got an array'],
    [k.adminSession('s1'), '2', 'expected an object, got number 2'],
    [k.rateLimitLogin('unknown'), 'abc', '"abc" is not an integer'],
    [k.rateLimitLogin('unknown'), '1.5', '"1.5" is not an integer'],
    [k.webhookEvent('evt_1'), 'false', 'expected true, got "false"'],
    [k.admin2faBackupCodes(), '{"codes":[]}', 'expected an array, got an object'],
  ])('%s = %s', (key, raw, problem) => {
    expect(errorOf(key, raw)).toMatchObject({ field: '', problem });
  });

  it('a record whose own id differs from the id in its key', () => {
    const { raw } = patched('product', () => undefined);
    expect(errorOf(k.product('other-slug'), raw)).toMatchObject({
      field: 'slug',
      problem: '"titos-candle" differs from the key\'s id "other-slug"',
    });
  });

  it('a set key or an unknown key passed to decodeLegacyValue', () => {
    expect(errorOf(k.ordersIndex(), 'x').problem).toBe('is a Redis set; decode it with decodeMembers');
    expect(errorOf('global:reviews:1', '{}').problem).toMatch(/^is not a legacy key: matches none/);
  });
});

describe('batches never throw and never drop a value silently', () => {
  it('decodes the good values and reports each bad one', () => {
    const good = legacySamples.slice(0, 5);
    const entries = [
      ...good.map((s) => ({ key: classifyKey(s.key), raw: s.raw })),
      { key: classifyKey(k.product('foo')), raw: '{"slug":"foo"' },
      {
        key: classifyKey(k.product('foo')),
        raw: JSON.stringify({ slug: 'foo', name: 'F', price: 1, sku: 'S', stock: 0.5 }),
      },
      { key: classifyKey('mystery:key'), raw: '1' },
    ];
    const batch = decodeLegacyBatch(entries);
    expect(batch.values.map((v) => v.key.key)).toEqual(good.map((s) => s.key));
    expect(batch.errors.map((e) => [e.key, e.field])).toEqual([
      ['product:foo', ''],
      ['product:foo', 'stock'],
      ['mystery:key', ''],
    ]);
  });

  it('reports bad admin:logs members by position and keeps the good ones in order', () => {
    const entry = (action: string, timestamp = '2025-12-18T21:40:05.123Z') =>
      JSON.stringify({ timestamp, action, ip: 'unknown', userAgent: 'ua', success: true });
    const members = [entry('login'), entry('logout', 'yesterday'), 'not json', entry('product.update')];
    const r = decodeMembers(classifyKey(k.adminLogs()), members);
    if (!r.ok) throw new Error(describeDecodeError(r.error));
    expect(r.value.values.map((v) => (v as { action: string }).action)).toEqual(['login', 'product.update']);
    expect(r.value.errors.map(describeDecodeError)).toEqual([
      'admin:logs: field "[1].timestamp": string "yesterday" is not an ISO-8601 UTC timestamp with milliseconds',
      expect.stringMatching(/^admin:logs: field "\[2\]": is not valid JSON/),
    ]);
  });

  it('decodes arbitrary text for every key family without throwing', () => {
    const raw = fc.oneof(
      fc.string(),
      fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null'),
    );
    fc.assert(
      fc.property(fc.constantFrom(...KEY_FAMILIES), raw, (family, text) => {
        const key = classifyKey((k[family] as (id?: string) => string)('x'));
        // One of the two calls is the wrong one for the family; both must answer with a Result.
        expect(typeof decodeLegacyValue(key, text).ok).toBe('boolean');
        expect(typeof decodeMembers(key, [text, text]).ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });
});
