/** The only module that imports the Redis client library. `rediss://` URLs (Upstash) use TLS. */
import { createClient } from 'redis';
import { redactUrl } from '../../config.js';

/** The client type of this project: RESP3 defaults, no modules, functions or scripts. */
export type RedisClient = Awaited<ReturnType<typeof openRedis>>;

export interface RedisOptions {
  url: string;
  /** Connect timeout in ms. */
  connectTimeoutMs?: number;
  /** Retry forever (services) or fail fast (CLI, tests). */
  reconnect?: boolean;
}

export async function openRedis(opts: RedisOptions) {
  const client = createClient({
    url: opts.url,
    socket: {
      connectTimeout: opts.connectTimeoutMs ?? 5000,
      reconnectStrategy: opts.reconnect ? (retries) => Math.min(50 * 2 ** retries, 2000) : false,
    },
  });
  // Without a listener node-redis throws errors from the socket as unhandled events.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    throw new Error(`cannot connect to Redis at ${redactUrl(opts.url)}: ${(err as Error).message}`);
  }
  return client;
}
