/**
 * What `migrate:stage` and `migrate:status` open: both stores from the environment (DATABASE_URL or
 * the embedded PGlite database, REDIS_URL, KEY_PREFIX) and a router over them with its background
 * reconciler off (a status command changes nothing unless asked to drain).
 */
import { openPostgres, type PgHandle } from '../../backends/postgres/client.js';
import { openRedis, type RedisClient } from '../../backends/redis/client.js';
import type { AppConfig } from '../../config.js';
import { legacyKeys } from '../../legacy/keys.js';
import { createDataLayer, type RoutedDataLayer } from './index.js';
import { silentLog } from './log.js';

export interface CliSession {
  layer: RoutedDataLayer;
  pg: PgHandle;
  redis: RedisClient;
  close(): Promise<void>;
}

export async function openCliSession(config: AppConfig, env: NodeJS.ProcessEnv): Promise<CliSession> {
  const pg = await openPostgres({ url: config.databaseUrl, dataDir: config.dataDir, max: 2 });
  let redis: RedisClient;
  try {
    redis = await openRedis({ url: config.redisUrl });
  } catch (err) {
    await pg.close();
    throw err;
  }
  try {
    const layer = await createDataLayer({
      redis: { client: redis, keys: legacyKeys(config.keyPrefix) },
      pg,
      env,
      log: silentLog,
      reconciler: { enabled: false },
      shadowReads: { sampleRate: { default: 0 } },
    });
    return {
      layer,
      pg,
      redis,
      async close() {
        await layer.migration.close();
        await redis.quit().catch(() => undefined);
        await pg.close();
      },
    };
  } catch (err) {
    await redis.quit().catch(() => undefined);
    await pg.close();
    throw err;
  }
}
