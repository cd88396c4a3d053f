/**
 * The shared input checks (field-checks.ts) and the rule families built on them: one voice for
 * messages, and each family keeps what it accepts (limits, storability of text).
 */
import { describe, expect, it } from 'vitest';
import { checkText, checkString as checkAccountString } from '../../src/domain/account-rules.js';
import { compareNewestFirst, nextTimestamp } from '../../src/domain/common.js';
import { ValidationError } from '../../src/domain/errors.js';
import {
  checkExtra,
  checkNumber,
  checkOneOf,
  checkString,
  checkTimestamp,
  isIsoDate,
  isIsoTimestamp,
} from '../../src/domain/field-checks.js';
import { requireExtra, requireInt, requireText } from '../../src/domain/field-rules.js';
import { nextUpdatedAt } from '../../src/domain/promotion-rules.js';
import { validateNewRefund } from '../../src/domain/refund-rules.js';

function problem(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).message;
  }
  throw new Error('expected a ValidationError');
}

describe('strings', () => {
  it('names the field, the problem and the bad value', () => {
    expect(problem(() => checkString('name', 5, 10))).toBe('name: must be a string, got the number 5');
    expect(problem(() => requireText('notes', null))).toBe('notes: must be a string, got null');
    expect(problem(() => checkText('action', '  '))).toBe('action: must not be empty');
    expect(problem(() => checkAccountString('ip', 'x'.repeat(11), 10))).toBe(
      'ip: is 11 characters long, at most 10',
    );
  });

  it('refuses text Postgres cannot store in every family, so both backends accept the same input', () => {
    const nul = 'a\u0000b';
    expect(problem(() => checkString('name', nul, 10))).toContain('U+0000');
    expect(problem(() => checkString('name', '\uD800', 10))).toContain('lone UTF-16 surrogate');
    expect(problem(() => requireText('notes', nul))).toBe(
      'notes: contains U+0000 or a lone UTF-16 surrogate',
    );
    expect(problem(() => checkText('action', nul))).toContain('U+0000');
    expect(problem(() => checkAccountString('ip', '\uDC00', 10))).toContain('lone UTF-16 surrogate');
    expect(problem(() => checkExtra('extra', { k: nul }, []))).toContain('U+0000');
    expect(problem(() => requireExtra('extra', { k: nul }, new Set()))).toContain('U+0000');
  });

  it('keeps each family limit', () => {
    expect(requireText('notes', 'x'.repeat(2000))).toHaveLength(2000);
    expect(problem(() => requireText('notes', 'x'.repeat(2001)))).toContain('at most 2000');
    expect(checkText('description', 'x'.repeat(500))).toHaveLength(500);
    expect(problem(() => checkText('description', 'x'.repeat(501)))).toContain('at most 500');
  });
});

describe('numbers, enums, timestamps', () => {
  it('says what a whole number field expected', () => {
    expect(problem(() => requireInt('quantity', '3'))).toBe(
      'quantity: must be a whole number, got the string "3"',
    );
    expect(problem(() => requireInt('quantity', 1.5))).toBe('quantity: 1.5 is not a whole number');
    expect(problem(() => requireInt('quantity', 0, { min: 1 }))).toBe('quantity: must be at least 1, got 0');
    expect(problem(() => checkNumber('load', 2, { max: 1 }))).toBe('load: must be at most 1, got 2');
    expect(problem(() => checkNumber('ratio', 0, { exclusiveMin: 0 }))).toBe(
      'ratio: must be greater than 0, got 0',
    );
    expect(Object.is(checkNumber('n', -0), 0)).toBe(true);
  });

  it('lists the allowed values', () => {
    expect(checkOneOf('role', 'admin', ['admin', 'super_admin'])).toBe('admin');
    expect(problem(() => checkOneOf('role', 'root', ['admin', 'super_admin']))).toBe(
      'role: the string "root" is not one of "admin", "super_admin"',
    );
  });

  it('accepts only toISOString() output and real calendar days', () => {
    expect(isIsoTimestamp('2025-12-18T21:40:05.123Z')).toBe(true);
    for (const bad of ['2025-12-18T21:40:05Z', '2025-02-30T00:00:00.000Z', '2025-12-18 21:40:05.123Z']) {
      expect(isIsoTimestamp(bad)).toBe(false);
    }
    expect(problem(() => checkTimestamp('createdAt', 17))).toContain('the number 17 is not an ISO-8601');
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('25-12-01')).toBe(false);
  });
});

describe('extra', () => {
  it('refuses a key that names a modelled field, and a value that is not an object', () => {
    expect(problem(() => requireExtra('extra', { status: 'x' }, new Set(['status'])))).toBe(
      'extra.status: names a modelled field; set the field itself',
    );
    expect(problem(() => checkExtra('extra', ['a'], ['status']))).toBe(
      'extra: must be an object of unknown legacy keys',
    );
    const item = { productSlug: 's', productName: 'S', quantity: 1, refundAmountCents: 100 };
    const refund = (extra: unknown) =>
      validateNewRefund({
        orderId: 'o1',
        reason: 'other',
        items: [{ ...item, extra: extra as Record<string, unknown> }],
      });
    expect(problem(() => refund({ quantity: 2 }))).toBe(
      'items[0].extra.quantity: names a modelled field; set the field itself',
    );
    expect(problem(() => refund('ab'))).toBe('items[0].extra: must be an object of unknown legacy keys');
    expect(() => refund(null)).not.toThrow();
    expect(() => refund({ giftWrap: true })).not.toThrow();
  });
});

describe('write times and list order', () => {
  const now = new Date('2025-12-18T21:40:05.123Z');
  it('moves promotions past their stored updatedAt like every other record', () => {
    expect(nextUpdatedAt({ updatedAt: '2025-12-18T21:40:05.123Z' }, now)).toBe('2025-12-18T21:40:05.124Z');
    expect(nextUpdatedAt({ updatedAt: '2025-12-18T21:40:05.000Z' }, now)).toBe(now.toISOString());
    expect(nextUpdatedAt({ updatedAt: 'not a time' }, now)).toBe(nextTimestamp(now, 'not a time'));
  });

  it('sorts newest first, then by id descending', () => {
    const rows = [
      { createdAt: '2025-01-01T00:00:00.000Z', id: 'a' },
      { createdAt: '2025-01-02T00:00:00.000Z', id: 'a' },
      { createdAt: '2025-01-01T00:00:00.000Z', id: 'b' },
    ];
    expect(rows.sort(compareNewestFirst).map((r) => `${r.createdAt.slice(8, 10)}${r.id}`)).toEqual([
      '02a',
      '01b',
      '01a',
    ]);
  });
});
