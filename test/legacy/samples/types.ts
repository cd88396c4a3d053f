import { legacyKeys } from '../../../src/legacy/keys.js';

/** Keys of the store's real data (no prefix). */
export const k = legacyKeys();

/**
 * One raw legacy string value, shaped exactly like legacy-redis-format.md, with what a reader of the
 * spec expects to find after decoding it.
 */
export interface LegacySample {
  /** The §8 edge case or §9 drift variant it shows. */
  name: string;
  key: string;
  /** The bytes in Redis (JSON written by `JSON.stringify`, or a plain string). */
  raw: string;
  /** The whole decoded value, for plain strings, counters and literals. */
  value?: unknown;
  /** Domain property paths (`items.0.quantity`) and the value each must have. */
  expect?: Record<string, unknown>;
  /** Domain property paths that must be absent (`undefined`). */
  absent?: string[];
}

/** The members of one set or list key, as SMEMBERS / LRANGE return them. */
export interface MemberSample {
  name: string;
  key: string;
  members: string[];
}

/** `JSON.stringify`, as the store writes objects. */
export const json = (value: unknown): string => JSON.stringify(value);

export const T0 = '2025-12-18T21:40:05.123Z';
export const USER_ID = '5b0f6c1e-8d2a-4c3b-9e4f-1a2b3c4d5e6f';
export const DELETED_USER_ID = '0d6e2c9a-1111-4222-8333-944455566677';
export const CS_ID = 'cs_live_a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuVwXyZ0123456789abcdefghijKL';
export const HEX64 = 'a3f1c2d4e5b60718293a4b5c6d7e8f90123456789abcdef0fedcba9876543210';
