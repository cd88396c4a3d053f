/**
 * The dashboard's HTTP contract without a browser: token login (constant-time compare, throttled),
 * the signed cookie, stage changes (JSON only, same origin, refusals as 409 with reasons), and the
 * dashboard and store API mounted side by side on one server.
 */
import { describe, expect, it } from 'vitest';
import { createRedisDataLayer } from '../../src/backends/redis/index.js';
import { legacyKeys } from '../../src/legacy/keys.js';
import { createDashboard } from '../../src/ops/dashboard/app.js';
import { issueSessionCookie, sessionCookieValid, tokenMatches } from '../../src/ops/dashboard/auth.js';
import { mountApps } from '../../src/ops/server.js';
import { useRedis } from '../support/harness.js';
import { apiDeps } from '../api/support/api-fixture.js';
import { memoryControl, sampleState } from './support/memory-control.js';

const redis = useRedis();
const TOKEN = 'a-long-dashboard-token';

function dashboard() {
  const state = sampleState(new Date());
  const app = createDashboard({ control: memoryControl(state), token: TOKEN });
  return { app, state };
}

async function login(app: ReturnType<typeof createDashboard>, token: string) {
  return app.request('/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }).toString(),
  });
}

function cookieOf(res: Response): string {
  return res.headers.getSetCookie()[0]!.split(';')[0]!;
}

describe('dashboard authentication', () => {
  it('compares tokens by digest, so any length is safe to compare', () => {
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
    expect(tokenMatches('', TOKEN)).toBe(false);
    expect(tokenMatches(`${TOKEN}x`.repeat(50), TOKEN)).toBe(false);
  });

  it('accepts a signed cookie until it expires, and nothing forged', () => {
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    const { value } = issueSessionCookie(TOKEN, t0);
    expect(sessionCookieValid(value, TOKEN, t0 + 1000)).toBe(true);
    expect(sessionCookieValid(value, 'another-token', t0 + 1000)).toBe(false);
    expect(sessionCookieValid(value, TOKEN, t0 + 13 * 3600_000)).toBe(false);
    const [expiry, sig] = value.split('.');
    expect(sessionCookieValid(`${Number(expiry) + 1}.${sig}`, TOKEN, t0)).toBe(false);
  });

  it('refuses a wrong token with 401, lets the right one in, and sends anonymous visitors to the login', async () => {
    const { app } = dashboard();
    const anonymous = await app.request('/', { headers: { accept: 'text/html' } });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toBe('/login');
    const wrong = await login(app, 'guess');
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('not right');
    expect(wrong.headers.getSetCookie()).toEqual([]);
    const ok = await login(app, TOKEN);
    expect(ok.status).toBe(303);
    expect(ok.headers.getSetCookie()[0]).toMatch(/HttpOnly/i);
    expect(ok.headers.getSetCookie()[0]).toMatch(/SameSite=Strict/i);
    const page = await app.request('/', { headers: { cookie: cookieOf(ok) } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('id="domains"');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'nonce-");
  });

  it('throttles a client after ten wrong tokens, even when the eleventh is right', async () => {
    const { app } = dashboard();
    for (let i = 0; i < 10; i++) expect((await login(app, `guess-${i}`)).status).toBe(401);
    const locked = await login(app, TOKEN);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('stage changes over HTTP', () => {
  async function session() {
    const d = dashboard();
    const cookie = cookieOf(await login(d.app, TOKEN));
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      d.app.request('http://localhost/stage', {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    return { ...d, post };
  }

  it('applies a step, and answers a refusal with 409 and the guard-rail reasons', async () => {
    const { post, state } = await session();
    const back = await post({ domain: 'refunds', from: 'dual-write', to: 'redis' });
    expect(back.status).toBe(200);
    expect(state.domains.find((d) => d.domain === 'refunds')?.stage).toBe('redis');
    const refused = await post({ domain: 'orders', from: 'shadow-read', to: 'postgres-read' });
    expect(refused.status).toBe(409);
    const body = (await refused.json()) as { ok: boolean; stage: string; reasons: string[] };
    expect(body.ok).toBe(false);
    expect(body.stage).toBe('shadow-read');
    expect(body.reasons.join('\n')).toContain('products');
  });

  it('refuses a step based on a stale page instead of applying it', async () => {
    const { post } = await session();
    const res = await post({ domain: 'users', from: 'redis', to: 'dual-write' });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { reasons: string[] }).reasons[0]).toContain('reload');
  });

  it('refuses requests without the cookie, from another origin, or not in JSON', async () => {
    const { app, post } = await session();
    const noCookie = await app.request('/stage', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ domain: 'refunds', to: 'redis' }),
    });
    expect(noCookie.status).toBe(401);
    expect((await post({ domain: 'refunds', to: 'redis' }, { origin: 'https://evil.example' })).status).toBe(
      403,
    );
    expect((await post({ domain: 'refunds', to: 'sideways' })).status).toBe(400);
    expect((await post({ domain: 'refunds', to: 'redis' }, { 'content-type': 'text/plain' })).status).toBe(
      400,
    );
  });
});

describe('one server for the dashboard and the store API', () => {
  it('serves the API under /api and the dashboard under /ops without either seeing the other', async () => {
    const data = createRedisDataLayer({
      client: redis.client,
      keys: legacyKeys(redis.prefix),
      now: () => new Date(),
    });
    const { app: api } = apiDeps(data, redis, redis.prefix);
    const ops = createDashboard({
      control: memoryControl(sampleState(new Date())),
      token: TOKEN,
      basePath: '/ops',
    });
    const root = mountApps({ dashboard: ops, api });
    const products = await root.request('/api/products');
    expect(products.status).toBe(200);
    expect(((await products.json()) as { products: unknown[] }).products.length).toBeGreaterThan(0);
    const loginPage = await root.request('/ops/login');
    expect(loginPage.status).toBe(200);
    expect(await loginPage.text()).toContain('action="/ops/login"');
    const anonymous = await root.request('/ops/', { headers: { accept: 'text/html' } });
    expect(anonymous.headers.get('location')).toBe('/ops/login');
    expect((await root.request('/api/me')).status).toBe(401);
  });
});
