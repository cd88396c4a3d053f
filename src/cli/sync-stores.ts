/** The Redis + Postgres pair that migrate:verify and migrate:repair work on. */
import { openPostgres, type PgHandle } from '../backends/postgres/client.js';
import { openRedis } from '../backends/redis/client.js';
import { type AppConfig, loadConfig } from '../config.js';
import { legacyKeys } from '../legacy/keys.js';
import { createSyncContext } from '../migration/entities/index.js';
import type { SyncContext } from '../migration/entities/types.js';
import { missingTables } from '../migration/verify/preflight.js';
import { messages } from './messages.js';

/** What {@link withSyncStores} hands to the command. */
export interface SyncStores {
  config: AppConfig;
  pg: PgHandle;
  ctx: SyncContext;
}

/**
 * Opens Redis and Postgres from the environment (no statement timeout: verify and repair read whole
 * tables), refuses a database without the migration tables (message on stderr, exit code 2), runs
 * `command` and closes both connections, whatever happens.
 */
export async function withSyncStores(command: (stores: SyncStores) => Promise<number>): Promise<number> {
  const config = loadConfig();
  const redis = await openRedis({ url: config.redisUrl });
  const pg = await openPostgres({ url: config.databaseUrl, dataDir: config.dataDir, statementTimeoutMs: 0 });
  try {
    const missing = await missingTables(pg);
    if (missing.length > 0) {
      console.error(messages.missingTables(pg.target, missing));
      return 2;
    }
    return await command({
      config,
      pg,
      ctx: createSyncContext({ redis, keys: legacyKeys(config.keyPrefix), pg }),
    });
  } finally {
    await pg.close();
    await redis.quit();
  }
}
