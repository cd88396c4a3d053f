import { describe, expect, it } from 'vitest';
import {
  decodeLegacyValue,
  decodeMembers,
  encodeLegacyValue,
  encodeMembers,
} from '../../src/legacy/codecs/dispatch.js';
import { describeDecodeError } from '../../src/legacy/codecs/result.js';
import { classifyKey, KEY_FAMILIES, KEY_REDIS_TYPE } from '../../src/legacy/keys.js';
import { legacySamples, memberSamples } from './samples.js';

/** JSON texts are equal up to key order; plain texts must be identical. */
function sameLegacyText(actual: string, raw: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    expect(actual).toBe(raw);
    return;
  }
  if (typeof parsed === 'object' && parsed !== null) expect(JSON.parse(actual)).toStrictEqual(parsed);
  else expect(actual).toBe(raw);
}

describe('hand-written legacy samples (every §8 edge case and §9 drift variant)', () => {
  it('cover every one of the 47 key families', () => {
    const covered = new Set([
      ...legacySamples.map((s) => classifyKey(s.key).family),
      ...memberSamples.map((s) => classifyKey(s.key).family),
    ]);
    expect([...KEY_FAMILIES].filter((f) => !covered.has(f))).toEqual([]);
  });

  describe.each(legacySamples.map((s) => [s.name, s] as const))('%s', (_name, sample) => {
    const decoded = decodeLegacyValue(classifyKey(sample.key), sample.raw);

    it('decodes', () => {
      expect(decoded.ok ? 'ok' : describeDecodeError(decoded.error)).toBe('ok');
    });

    it('encodes back to the same JSON (up to key order)', () => {
      if (!decoded.ok) throw new Error(describeDecodeError(decoded.error));
      sameLegacyText(encodeLegacyValue(decoded.value), sample.raw);
    });

    it('holds what the spec says it holds', () => {
      if (!decoded.ok) throw new Error(describeDecodeError(decoded.error));
      const value = decoded.value.value;
      if ('value' in sample) expect(value).toStrictEqual(sample.value);
      for (const [path, expected] of Object.entries(sample.expect ?? {})) {
        expect(value).toHaveProperty(path.split('.'), expected);
      }
      for (const path of sample.absent ?? []) expect(value).not.toHaveProperty(path.split('.'));
    });
  });

  describe.each(memberSamples.map((s) => [s.name, s] as const))('%s', (_name, sample) => {
    it('decodes every member, keeps order and duplicates, and encodes back', () => {
      const key = classifyKey(sample.key);
      expect(KEY_REDIS_TYPE[key.family as (typeof KEY_FAMILIES)[number]]).not.toBe('string');
      const decoded = decodeMembers(key, sample.members);
      if (!decoded.ok) throw new Error(describeDecodeError(decoded.error));
      expect(decoded.value.errors).toEqual([]);
      expect(decoded.value.values).toHaveLength(sample.members.length);
      const encoded = encodeMembers(decoded.value);
      encoded.forEach((text, i) => {
        sameLegacyText(text, sample.members[i]!);
      });
    });
  });
});

describe('what the samples prove about the canonical form', () => {
  const decode = (name: string) => {
    const sample = legacySamples.find((s) => s.name.startsWith(name));
    if (!sample) throw new Error(`no sample "${name}"`);
    const r = decodeLegacyValue(classifyKey(sample.key), sample.raw);
    if (!r.ok) throw new Error(describeDecodeError(r.error));
    return r.value.value as unknown as Record<string, unknown>;
  };

  it('product dollars become integer cents and go back to the same float', () => {
    const product = decode('static product copied in');
    expect(product.priceCents).toBe(2499);
    expect(product).not.toHaveProperty('price');
  });

  it('set/list ids stay strings even when they look like JSON', () => {
    const sample = memberSamples.find((s) => s.key === 'products:index')!;
    const r = decodeMembers(classifyKey(sample.key), sample.members);
    expect(r.ok && r.value.values).toEqual(['titos-candle', '1800', 'true']);
  });

  it('admin:logs members decode into entries, newest first', () => {
    const sample = memberSamples.find((s) => s.key === 'admin:logs')!;
    const r = decodeMembers(classifyKey(sample.key), sample.members);
    expect(r.ok && r.value.values.map((e) => (e as { action: string }).action)).toEqual([
      'product.update',
      'login',
      'square.payment.completed',
    ]);
  });
});
