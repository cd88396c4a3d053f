/**
 * Router test fixtures: a fresh database and key prefix per file (real servers), and routers built on
 * them with fast polling so stage changes show up within a test.
 */
import { openPostgres, type PgHandle } from '../../src/backends/postgres/client.js';
import { openRedis, type RedisClient } from '../../src/backends/redis/client.js';
import { type LegacyKeys, legacyKeys } from '../../src/legacy/keys.js';
import {
  createDataLayer,
  type RoutedDataLayer,
  type RouterConfig,
} from '../../src/migration/router/index.js';
import { silentLog } from '../../src/migration/router/log.js';
import type { Stage } from '../../src/migration/router/stages.js';
import type { PgFixture, RedisFixture } from '../support/harness.js';

/** Fast timings for tests: 50 ms polls, switches 150 ms after a change. */
export const FAST = {
  stages: { pollMs: 50, switchDelayMs: 150, quiesceMs: 150 },
  shadowWrites: { timeoutMs: 1000, settleMs: 100 },
  reconciler: { intervalMs: 100, baseBackoffMs: 100, maxBackoffMs: 1000, timeoutMs: 2000 },
} satisfies Partial<RouterConfig>;

export interface RouterOptions extends Partial<Omit<RouterConfig, 'redis' | 'pg'>> {
  /** Default stage of every domain (env default; nothing stored). */
  stage?: Stage;
  /** Clients to use instead of the fixture's (e.g. through a TCP proxy). */
  redis?: RedisClient;
  pg?: PgHandle;
}

export async function buildRouter(
  pg: PgFixture,
  redis: RedisFixture,
  opts: RouterOptions = {},
): Promise<RoutedDataLayer> {
  const { stage, redis: client, pg: handle, ...rest } = opts;
  return createDataLayer({
    ...FAST,
    log: silentLog,
    shadowReads: { sampleRate: { default: 0 } },
    ...rest,
    env: stage ? { MIGRATION_STAGE: stage } : (rest.env ?? {}),
    redis: { client: client ?? redis.client, keys: legacyKeys(redis.prefix) },
    pg: handle ?? pg.handle,
  });
}

export function keysOf(redis: RedisFixture): LegacyKeys {
  return legacyKeys(redis.prefix);
}

export async function openExtraPg(url: string, max = 5): Promise<PgHandle> {
  return openPostgres({ url, max, driver: 'postgres-js' });
}

export async function openExtraRedis(url: string): Promise<RedisClient> {
  return openRedis({ url });
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
