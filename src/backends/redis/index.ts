/** Builds the Redis (legacy layout) implementation of every repository. */
import type { LegacyKeys } from '../../legacy/keys.js';
import type { BackendCapabilities, DataLayer } from '../../domain/data-layer.js';
import type { RedisClient } from './client.js';
// REDIS-IMPORTS (one line per domain; keep this marker)

export interface RedisDeps {
  client: RedisClient;
  keys: LegacyKeys;
  /** Injected clock, so tests and the migration engine control timestamps. */
  now: () => Date;
}

export const redisCapabilities: BackendCapabilities = {
  name: 'redis',
  atomicMultiRecordWrites: true,
  listsByScanningIndex: true,
};

export function createRedisDataLayer(deps: RedisDeps): DataLayer {
  return {
    // REDIS-MEMBERS (one line per domain; keep this marker)
  };
}
