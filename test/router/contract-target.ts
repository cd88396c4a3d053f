/**
 * Contract-suite targets `router:<stage>`: the whole suite runs through the migration router with
 * every domain in one stage, on real Redis and Postgres (postgres.js: a fresh database per file from
 * the template is the cheapest). The raw inspectors read the stage's source of truth; seeds (legacy
 * records written directly) go to both stores while the stage keeps both written, as if the backfill
 * had copied them.
 */
import { afterAll, beforeAll } from 'vitest';
import { postgresCapabilities } from '../../src/backends/postgres/index.js';
import { redisCapabilities } from '../../src/backends/redis/index.js';
import { legacyKeys } from '../../src/legacy/keys.js';
import { createDataLayer, type RoutedDataLayer } from '../../src/migration/router/index.js';
import { silentLog } from '../../src/migration/router/log.js';
import { isStage, planOf, type Stage } from '../../src/migration/router/stages.js';
import type { ContractContext } from '../contract/harness.js';
import { usePostgres, useRedis } from '../support/harness.js';

export const ROUTER_TARGETS = [
  'router:redis',
  'router:dual-write',
  'router:shadow-read',
  'router:postgres-read',
  'router:postgres',
  'router:postgres-only',
] as const;
export type RouterTarget = (typeof ROUTER_TARGETS)[number];

export function isRouterTarget(target: string): target is RouterTarget {
  return (ROUTER_TARGETS as readonly string[]).includes(target);
}

/** Registers a router target's fixtures (database, key prefix, router) and returns a context getter. */
export function useRouterTarget(
  target: RouterTarget,
  opts: { pgPoolSize?: number } = {},
): () => ContractContext {
  const stage = target.slice('router:'.length);
  if (!isStage(stage)) throw new Error(`unknown router stage in ${target}`);
  const pg = usePostgres({ max: opts.pgPoolSize ?? 10 });
  const redis = useRedis();
  let layer: RoutedDataLayer | undefined;
  beforeAll(async () => {
    layer = await createDataLayer({
      redis: { client: redis.client, keys: legacyKeys(redis.prefix) },
      pg: pg.handle,
      env: { MIGRATION_STAGE: stage },
      log: silentLog,
      stages: { pollMs: 200, switchDelayMs: 400, quiesceMs: 400 },
      // Every read is compared, so the comparator runs over the whole suite too.
      shadowReads: { sampleRate: { default: 1 }, recheckMs: 50 },
      shadowWrites: { timeoutMs: 5000, settleMs: 200 },
      reconciler: { intervalMs: 200 },
    });
  });
  afterAll(async () => {
    await layer?.migration.close();
  });
  let ctx: ContractContext | undefined;
  return () => {
    if (!layer) throw new Error(`${target} used before its beforeAll ran`);
    ctx ??= routerContext(target, stage, layer, pg.handle, redis);
    return ctx;
  };
}

function routerContext(
  target: RouterTarget,
  stage: Stage,
  layer: RoutedDataLayer,
  pg: ContractContext['pg'] & object,
  redis: { client: NonNullable<ContractContext['redis']>['client']; prefix: string },
): ContractContext {
  const plan = planOf(stage);
  const onRedis = { redis: { client: redis.client, keys: legacyKeys(redis.prefix) } };
  const onPg = { pg };
  // Each context carries only its own store's connection, as the plain targets do.
  const side = (store: 'redis' | 'postgres') => ({
    name: target,
    store,
    layer,
    capabilities: { ...(store === 'redis' ? redisCapabilities : postgresCapabilities(pg)), name: target },
    ...(store === 'redis' ? onRedis : onPg),
  });
  const other = plan.primary === 'redis' ? 'postgres' : 'redis';
  return { ...side(plan.primary), ...(plan.shadow !== null ? { mirror: side(other) } : {}) };
}

/**
 * The source of truth's raw inspector, with every `seed…` method also applied to the other store
 * (legacy data present on both sides, as after the backfill).
 */
export function mirrorSeeds<R>(primary: R, mirror: R): R {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(primary as Record<string, unknown>)) {
    const other = (mirror as Record<string, unknown>)[name];
    out[name] =
      name.startsWith('seed') && typeof value === 'function' && typeof other === 'function'
        ? async (...args: unknown[]) => {
            const r = await (value as (...a: unknown[]) => Promise<unknown>)(...args);
            await (other as (...a: unknown[]) => Promise<unknown>)(...args);
            return r;
          }
        : value;
  }
  return out as R;
}
