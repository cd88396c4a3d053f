/**
 * A short Redis lock for single-flight work across processes (token refresh, cache loads): `SET key
 * token NX PX ttl` to take it, a Lua compare-and-delete to release it, so a holder whose lock
 * expired can never delete the lock a later holder took. It is a mutual-exclusion *hint* with a
 * lease, not a fencing mechanism: work done under it must stay correct if two holders overlap after
 * a lease expires (both callers here only risk doing the work twice).
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisClient } from '../backends/redis/client.js';
import { defineScript, replyNumber, runScript } from './script.js';

const RELEASE = defineScript(
  'lock-release',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`,
);

/** A lock this process holds until `release` or until its lease runs out. */
export interface RedisLock {
  readonly key: string;
  readonly token: string;
  /** Deletes the lock if this holder still owns it; says whether it did. */
  release(): Promise<boolean>;
}

/** Takes the lock or returns null at once when someone else holds it. */
export async function tryAcquireLock(
  client: RedisClient,
  key: string,
  leaseMs: number,
): Promise<RedisLock | null> {
  const token = randomUUID();
  const ok = await client.set(key, token, {
    condition: 'NX',
    expiration: { type: 'PX', value: Math.max(1, Math.ceil(leaseMs)) },
  });
  if (ok !== 'OK') return null;
  return {
    key,
    token,
    release: async () => replyNumber(RELEASE, await runScript(client, RELEASE, [key], [token])) === 1,
  };
}

/**
 * Polls `check` every `intervalMs` (with a little jitter so waiters do not move in lock-step) until
 * it returns true or `timeoutMs` has passed; says which happened.
 */
export async function pollUntil(
  check: () => Promise<boolean>,
  opts: { timeoutMs: number; intervalMs: number },
): Promise<boolean> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(opts.intervalMs * (0.5 + Math.random()));
  }
}
