import { describe, expect, it } from 'vitest';
import {
  checkEmail,
  checkPointsAmount,
  nextTimestamp,
  normalizeEmail,
} from '../../src/domain/account-rules.js';
import { checkAdminLogEntry, checkBackupCodes } from '../../src/domain/admin-rules.js';
import { ValidationError } from '../../src/domain/errors.js';
import { isLiveToken, isTokenFormat, tokenTimes } from '../../src/domain/token-rules.js';

describe('e-mail rules (the register route, legacy §3)', () => {
  it('normalises like the store: lower-case, then trim', () => {
    expect(normalizeEmail('  Jane.Doe+Candles@Example.COM ')).toBe('jane.doe+candles@example.com');
    expect(checkEmail('email', ' Jane_Doe%1@Mail.Example.co ')).toBe('jane_doe%1@mail.example.co');
  });

  it.each([
    ['a@b.c', 'is not an e-mail address'],
    ['a b@example.com', 'is not an e-mail address'],
    ['a,b@example.com', 'contains one of the characters'],
    ['a@b..com', 'contains ".."'],
    ['.a@example.com', 'starting or ending with "."'],
    ['@example.com', 'local part of 1 to 64'],
  ])('refuses %j saying what is wrong', (email, problem) => {
    expect(() => checkEmail('email', email)).toThrow(ValidationError);
    expect(() => checkEmail('email', email)).toThrow(problem);
  });

  it('accepts the store placeholders, which pass its own validation (§7.6)', () => {
    expect(checkEmail('email', 'manual-sale@admin.local')).toBe('manual-sale@admin.local');
    expect(checkEmail('email', 'square-pos@admin.local')).toBe('square-pos@admin.local');
  });
});

describe('nextTimestamp', () => {
  const now = new Date('2025-12-18T21:40:05.123Z');
  it('is now when now follows every previous value', () => {
    expect(nextTimestamp(now, '2025-12-18T21:40:05.122Z', undefined, null)).toBe('2025-12-18T21:40:05.123Z');
  });
  it('moves 1 ms past the latest previous value it does not follow', () => {
    expect(nextTimestamp(now, '2025-12-18T21:40:05.123Z')).toBe('2025-12-18T21:40:05.124Z');
    expect(nextTimestamp(now, '2025-12-18T21:40:05.100Z', '2025-12-18T21:40:06.000Z')).toBe(
      '2025-12-18T21:40:06.001Z',
    );
  });
});

describe('points amounts', () => {
  it('allows 0 only where asked', () => {
    expect(checkPointsAmount('amount', 0, { allowZero: true })).toBe(0);
    expect(() => checkPointsAmount('amount', 0, { allowZero: false })).toThrow('must be positive');
    expect(() => checkPointsAmount('amount', 1.5, { allowZero: true })).toThrow('not a whole number');
    expect(() => checkPointsAmount('amount', '5', { allowZero: true })).toThrow(ValidationError);
  });
});

describe('admin rules', () => {
  it('refuses malformed backup codes naming the position', () => {
    expect(() => checkBackupCodes(['ABCD1234', 'abc'])).toThrow('twoFactorBackupCodes[1]');
    expect(checkBackupCodes([])).toEqual([]);
  });

  it('fills the log timestamp and keeps details as JSON', () => {
    const entry = checkAdminLogEntry(
      { action: 'login', ip: '', userAgent: 'ua', success: true, details: { at: undefined, n: 1 } },
      '2025-12-18T21:40:05.123Z',
    );
    expect(entry).toEqual({
      timestamp: '2025-12-18T21:40:05.123Z',
      action: 'login',
      ip: '',
      userAgent: 'ua',
      success: true,
      details: { n: 1 },
    });
  });
});

describe('token rules', () => {
  it('recognises only 64 lower-case hex characters', () => {
    expect(isTokenFormat('a'.repeat(64))).toBe(true);
    expect(isTokenFormat('A'.repeat(64))).toBe(false);
    expect(isTokenFormat('a'.repeat(63))).toBe(false);
    expect(isTokenFormat(42)).toBe(false);
  });

  it('a token is live until its expiresAt, not at it', () => {
    const issued = new Date('2025-12-18T00:00:00.000Z');
    const t = tokenTimes(issued, 3600);
    expect(t).toEqual({ createdAt: '2025-12-18T00:00:00.000Z', expiresAt: '2025-12-18T01:00:00.000Z' });
    expect(isLiveToken(t, new Date('2025-12-18T00:59:59.999Z'))).toBe(true);
    expect(isLiveToken(t, new Date('2025-12-18T01:00:00.000Z'))).toBe(false);
  });
});
