/**
 * Raw reads from the legacy Redis: bytes in, never through the repositories (which may seed
 * defaults on read, §8.17). Values come back as Buffers so bytes that are not UTF-8 are detected
 * instead of silently turned into U+FFFD.
 */
import type { RedisClient } from '../../backends/redis/client.js';

/** RESP3 blob-string type code: map replies to Buffers instead of (lossy) strings. */
const RESP_BLOB_STRING = 36;

/** The subset of commands the backfill uses, with Buffer replies. */
export interface RawRedis {
  scan(cursor: string, opts: { MATCH: string; COUNT: number }): Promise<{ cursor: Buffer; keys: Buffer[] }>;
  mGet(keys: string[]): Promise<(Buffer | null)[]>;
  type(key: string): Promise<string | Buffer>;
  pTTL(key: string): Promise<number>;
  exists(keys: string[]): Promise<number>;
  sScan(key: string, cursor: string, opts: { COUNT: number }): Promise<{ cursor: Buffer; members: Buffer[] }>;
  lRange(key: string, start: number, stop: number): Promise<Buffer[]>;
  lLen(key: string): Promise<number>;
}

export function rawRedis(redis: RedisClient): RawRedis {
  return redis.withTypeMapping({ [RESP_BLOB_STRING]: Buffer } as never) as unknown as RawRedis;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The text of `bytes`, or undefined when they are not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Redis TYPE of each key (`none` when it is gone); commands are auto-pipelined. */
export async function keyTypes(r: RawRedis, keys: readonly string[]): Promise<string[]> {
  const types = await Promise.all(keys.map((k) => r.type(k)));
  return types.map((t) => t.toString());
}

/** Remaining lifetime in ms of each key: -1 without TTL, -2 when gone. */
export function pttls(r: RawRedis, keys: readonly string[]): Promise<number[]> {
  return Promise.all(keys.map((k) => r.pTTL(k)));
}

/** Every member of a set, SSCAN page by page (members may repeat; callers de-duplicate). */
export async function* setMembers(r: RawRedis, key: string, count: number): AsyncGenerator<Buffer[]> {
  let cursor = '0';
  do {
    const page = await r.sScan(key, cursor, { COUNT: count });
    cursor = page.cursor.toString();
    if (page.members.length > 0) yield page.members;
  } while (cursor !== '0');
}

/** Every element of a list with its position, in chunks of `count`. */
export async function* listMembers(
  r: RawRedis,
  key: string,
  count: number,
): AsyncGenerator<{ start: number; items: Buffer[] }> {
  for (let start = 0; ; start += count) {
    const items = await r.lRange(key, start, start + count - 1);
    if (items.length > 0) yield { start, items };
    if (items.length < count) return;
  }
}
