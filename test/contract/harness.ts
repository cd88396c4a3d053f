/**
 * The contract suite runner: one suite per domain (`test/contract/<domain>.test.ts`), run once per
 * backend against real servers. Select backends with CONTRACT_BACKENDS=redis,postgres,pglite
 * (default: all three), the way Kysely filters its dialects.
 *
 *   runContract('users', (ctx) => {
 *     it('creates a user', async () => { const u = await ctx().layer.users.create(...); ... });
 *   });
 *
 * `ctx().store` names the store the raw inspectors read (what was actually written: legacy keys in
 * Redis, rows in Postgres). Domain files pick their raw reader with `rawFor(ctx(), usersRaw)`.
 *
 * The `router:<stage>` targets run the suite through the migration router with every domain in that
 * stage (test/router/contract-target.ts); `CONTRACT_BACKENDS=router` selects all six of them.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { openPostgres, type PgHandle } from '../../src/backends/postgres/client.js';
import { createPostgresDataLayer, postgresCapabilities } from '../../src/backends/postgres/index.js';
import type { RedisClient } from '../../src/backends/redis/client.js';
import { createRedisDataLayer, redisCapabilities } from '../../src/backends/redis/index.js';
import type { BackendCapabilities, DataLayer } from '../../src/domain/data-layer.js';
import { type LegacyKeys, legacyKeys } from '../../src/legacy/keys.js';
import { type PgFixture, usePglite, usePostgres, useRedis } from '../support/harness.js';
import { startNeonWsProxy, type WsProxy } from '../support/neon-ws-proxy.js';
import {
  isRouterTarget,
  mirrorSeeds,
  ROUTER_TARGETS,
  type RouterTarget,
  useRouterTarget,
} from '../router/contract-target.js';

export type StoreKind = 'redis' | 'postgres';
export type TargetName = 'redis' | 'postgres' | 'pglite' | 'neon-ws' | RouterTarget;

export interface ContractContext {
  name: string;
  store: StoreKind;
  layer: DataLayer;
  capabilities: BackendCapabilities;
  /** Set when store is `redis`: the raw client and the key builders of this file's prefix. */
  redis?: { client: RedisClient; keys: LegacyKeys };
  /** Set when store is `postgres`. */
  pg?: PgHandle;
  /**
   * Router targets whose stage writes both stores: the other store's context. `seed…` raw writes go
   * to both stores (see rawFor), as after the backfill.
   */
  mirror?: ContractContext;
}

/** Raw readers for one domain, one implementation per store (Auth.js style). */
export interface RawFactory<R> {
  redis(ctx: ContractContext): R;
  postgres(ctx: ContractContext): R;
}

export function rawFor<R>(ctx: ContractContext, factory: RawFactory<R>): R {
  const primary = factory[ctx.store](ctx);
  return ctx.mirror ? mirrorSeeds(primary, factory[ctx.mirror.store](ctx.mirror)) : primary;
}

export function selectedTargets(): TargetName[] {
  const all: TargetName[] = ['redis', 'postgres', 'pglite', 'neon-ws', ...ROUTER_TARGETS];
  const wanted = process.env.CONTRACT_BACKENDS?.split(',').map((s) => s.trim());
  return wanted
    ? all.filter((t) => wanted.includes(t) || (wanted.includes('router') && isRouterTarget(t)))
    : all;
}

/** Registers the fixtures of one target in the current describe block and returns a context getter. */
export function useTarget(target: TargetName, opts: { pgPoolSize?: number } = {}): () => ContractContext {
  const now = () => new Date();
  if (isRouterTarget(target)) return useRouterTarget(target, opts);
  if (target === 'redis') {
    const r = useRedis();
    let ctx: ContractContext | undefined;
    return () => {
      if (!ctx) {
        const keys = legacyKeys(r.prefix);
        ctx = {
          name: 'redis',
          store: 'redis',
          layer: createRedisDataLayer({ client: r.client, keys, now }),
          capabilities: redisCapabilities,
          redis: { client: r.client, keys },
        };
      }
      return ctx;
    };
  }
  const fx = target === 'pglite' ? usePglite() : usePostgres({ max: opts.pgPoolSize ?? 10 });
  if (target === 'neon-ws') {
    // Same fresh database, reached through the WebSocket Pool instead of postgres.js.
    let proxy: WsProxy | undefined;
    let neon: PgHandle | undefined;
    beforeAll(async () => {
      proxy = await startNeonWsProxy();
      neon = await openPostgres({
        url: (fx as PgFixture).url,
        driver: 'neon-ws',
        wsProxy: proxy.address,
        max: opts.pgPoolSize ?? 10,
      });
    });
    afterAll(async () => {
      await neon?.close();
      await proxy?.close();
    });
    let ctx: ContractContext | undefined;
    return () => {
      if (!neon) throw new Error('neon-ws target used before its beforeAll ran');
      ctx ??= {
        name: 'neon-ws',
        store: 'postgres',
        layer: createPostgresDataLayer({ pg: neon, now }),
        capabilities: postgresCapabilities(neon),
        pg: neon,
      };
      return ctx;
    };
  }
  let ctx: ContractContext | undefined;
  return () => {
    if (!ctx) {
      ctx = {
        name: target,
        store: 'postgres',
        layer: createPostgresDataLayer({ pg: fx.handle, now }),
        capabilities: postgresCapabilities(fx.handle),
        pg: fx.handle,
      };
    }
    return ctx;
  };
}

/** Runs one domain's suite once per selected backend. */
export function runContract(
  domain: string,
  suite: (ctx: () => ContractContext) => void,
  targets: TargetName[] = selectedTargets(),
): void {
  for (const target of targets) {
    describe(`${domain} contract [${target}]`, () => {
      suite(useTarget(target));
    });
  }
}
