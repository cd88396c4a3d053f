/**
 * The metrics wrapper: implements any repository interface by wrapping the one it is given, so it
 * composes with every backend and with the router (wrap the backends with `store: 'redis'` /
 * `'postgres'` and the router's data layer with `store: 'router'`). It counts every call by outcome
 * and times it; it never changes arguments, results or errors.
 */
import type { DataLayer } from '../domain/data-layer.js';
import { errorKind } from './error-kind.js';
import type { OpsMetrics, Outcome } from './metrics.js';
import type { PoolTracker } from './pg-pool.js';

export interface InstrumentOptions {
  metrics: OpsMetrics;
  /** `domain` label: the DataLayer member (`orders`, `users`, …). */
  domain: string;
  /** `store` label: `redis`, `postgres`, `router`, … */
  store: string;
  /** When the repository talks to Postgres: counts in-flight operations and statement timeouts. */
  pool?: PoolTracker;
}

function outcomeOf(result: unknown): Outcome {
  return result === null ? 'not_found' : 'ok';
}

function errorOutcome(err: unknown): Outcome {
  const kind = errorKind(err);
  return kind === 'domain' ? 'domain_error' : kind === 'timeout' ? 'timeout' : 'error';
}

function isPlainObject(v: unknown): v is object {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Wraps every method of `repo` (own and inherited, and those of nested plain-object members such
 * as `catalogue.scents`, whose method label becomes `scents.list`). Properties that are not
 * functions pass through. The wrapped functions are created once per method.
 */
export function instrumentRepository<T extends object>(repo: T, opts: InstrumentOptions, path = ''): T {
  const cache = new Map<PropertyKey, unknown>();
  const { metrics, domain, store, pool } = opts;

  const wrapMethod = (name: string, fn: (...args: unknown[]) => unknown) =>
    function instrumented(this: unknown, ...args: unknown[]): unknown {
      const labels = { domain, store, method: name };
      const end = metrics.operationSeconds.startTimer(labels);
      const settle = (outcome: Outcome) => {
        end();
        metrics.operations.inc({ ...labels, outcome });
      };
      const fail = (err: unknown): never => {
        pool?.noteError(err, domain);
        settle(errorOutcome(err));
        throw err;
      };
      const call = () => fn.apply(repo, args);
      let result: unknown;
      try {
        result = pool ? pool.run(async () => call()) : call();
      } catch (err) {
        return fail(err);
      }
      if (result instanceof Promise) {
        return result.then((value) => {
          settle(outcomeOf(value));
          return value;
        }, fail);
      }
      settle(outcomeOf(result));
      return result;
    };

  return new Proxy(repo, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof prop === 'symbol') return value;
      if (cache.has(prop)) return cache.get(prop);
      const name = path ? `${path}.${prop}` : prop;
      let wrapped: unknown = value;
      if (typeof value === 'function' && prop !== 'constructor') {
        wrapped = wrapMethod(name, value as (...args: unknown[]) => unknown);
      } else if (isPlainObject(value)) {
        wrapped = instrumentRepository(value, opts, name);
      } else {
        return value;
      }
      cache.set(prop, wrapped);
      return wrapped;
    },
  });
}

/** Wraps every member of a data layer; the member name becomes the `domain` label. */
export function instrumentDataLayer(layer: DataLayer, opts: Omit<InstrumentOptions, 'domain'>): DataLayer {
  const out: Record<string, unknown> = {};
  for (const [domain, repo] of Object.entries(layer) as [string, unknown][]) {
    out[domain] =
      typeof repo === 'object' && repo !== null ? instrumentRepository(repo, { ...opts, domain }) : repo;
  }
  return out as DataLayer;
}
