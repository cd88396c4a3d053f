/**
 * Extra Redis connections for the concurrency tests: each stands in for a separate app process
 * (its own socket, its own in-process state in the module under test).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll } from 'vitest';
import { openRedis, type RedisClient } from '../../src/backends/redis/client.js';
import { TEST_REDIS_URL } from '../support/env.js';

export function useRedisClients(count: number): RedisClient[] {
  const clients: RedisClient[] = [];
  beforeAll(async () => {
    for (let i = 0; i < count; i++) clients.push(await openRedis({ url: TEST_REDIS_URL }));
  });
  afterAll(async () => {
    for (const c of clients) if (c.isOpen) await c.quit();
  });
  return clients;
}

export { sleep };

/** Runs `n` copies of `task` at once (i = 0…n-1) and waits for all of them. */
export function inParallel<T>(n: number, task: (i: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => task(i)));
}
