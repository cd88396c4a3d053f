/**
 * Builds the store API over a real backend (Redis legacy layout or Postgres), with sessions and the
 * rate limiter on this file's Redis prefix, and a small client that keeps cookies like a browser.
 */
import { createPostgresDataLayer } from '../../../src/backends/postgres/index.js';
import { createRedisDataLayer } from '../../../src/backends/redis/index.js';
import { bcryptHash, bcryptVerify } from '../../../src/api/bcrypt.js';
import { createStoreApi } from '../../../src/api/app.js';
import type { StoreApiDeps } from '../../../src/api/deps.js';
import type { DataLayer } from '../../../src/domain/data-layer.js';
import { rateLimiter } from '../../../src/ephemeral/rate-limit.js';
import { adminSessionStore, userSessionStore } from '../../../src/ephemeral/sessions.js';
import { legacyKeys } from '../../../src/legacy/keys.js';
import type { PgFixture, RedisFixture } from '../../support/harness.js';

export type StoreKind = 'redis' | 'postgres';

export function dataLayerFor(kind: StoreKind, pg: PgFixture, redis: RedisFixture, prefix: string): DataLayer {
  const now = () => new Date();
  return kind === 'redis'
    ? createRedisDataLayer({ client: redis.client, keys: legacyKeys(prefix), now })
    : createPostgresDataLayer({ pg: pg.handle, now });
}

/** Cost 4 keeps the tests fast; production uses 12. */
export const testPasswords = { hash: (p: string) => bcryptHash(p, 4), verify: bcryptVerify };

export function apiDeps(
  data: DataLayer,
  redis: RedisFixture,
  prefix: string,
  extra: Partial<StoreApiDeps> = {},
) {
  const infraErrors: unknown[] = [];
  const deps: StoreApiDeps = {
    data,
    userSessions: userSessionStore(redis.client, { prefix }),
    adminSessions: adminSessionStore(redis.client, { prefix }),
    limiter: rateLimiter(redis.client, { prefix }),
    passwords: testPasswords,
    trustedProxies: 1,
    secureCookies: false,
    onInfrastructureError: (err) => infraErrors.push(err),
    ...extra,
  };
  return { deps, app: createStoreApi(deps), infraErrors };
}

export interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: a JSON answer, checked field by field by each test
  body: any;
  headers: Headers;
}

/** A browser-like client: remembers cookies, sends JSON, comes from one IP. */
export class ApiClient {
  private cookies = new Map<string, string>();
  constructor(
    private readonly app: { request: (path: string, init?: RequestInit) => Response | Promise<Response> },
    private readonly ip: string,
  ) {}

  async call(method: string, path: string, body?: unknown): Promise<Answer> {
    const headers: Record<string, string> = { 'x-forwarded-for': this.ip };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await this.app.request(path, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = pair!.split('=');
      if (!value || /max-age=0/i.test(line)) this.cookies.delete(name!);
      else this.cookies.set(name!, value);
    }
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }
}
