import { describe, expect, it } from 'vitest';
import { ipSubject } from '../../src/ephemeral/client-ip.js';
import { rateLimiter } from '../../src/ephemeral/rate-limit.js';
import { useRedis } from '../support/harness.js';
import { inParallel, sleep, useRedisClients } from './clients.js';

const redis = useRedis();
const others = useRedisClients(4);

describe('rate limiter', () => {
  it('admits exactly `limit` of 100 parallel attempts from several connections', async () => {
    const limit = 7;
    const limiters = others.map((c) =>
      rateLimiter(c, { prefix: redis.prefix, policies: { login: { limit, windowMs: 60_000 } } }),
    );
    const subject = ipSubject('203.0.113.50');
    const decisions = await inParallel(100, (i) => limiters[i % limiters.length]!.attempt('login', subject));
    const allowed = decisions.filter((d) => d.allowed);
    expect(allowed).toHaveLength(limit);
    expect(allowed.map((d) => d.remaining).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    for (const d of decisions.filter((x) => !x.allowed)) {
      expect(d.remaining).toBe(0);
      expect(d.retryAfterMs).toBeGreaterThan(55_000);
      expect(d.retryAfterMs).toBeLessThanOrEqual(60_000);
    }
  });

  it('keeps the legacy login policy by default: 5 per 15 minutes', async () => {
    const limiter = rateLimiter(redis.client, { prefix: redis.prefix });
    const subject = ipSubject('198.51.100.5');
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await limiter.attempt('login', subject));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, true, true, false]);
    expect(results[5]!.retryAfterMs).toBeGreaterThan(899_000);
  });

  it('is a sliding window: attempts become possible again as old ones age out', async () => {
    const limiter = rateLimiter(redis.client, {
      prefix: redis.prefix,
      policies: { checkout: { limit: 2, windowMs: 400 } },
    });
    const s = 'cart-owner';
    expect((await limiter.attempt('checkout', s)).allowed).toBe(true);
    await sleep(200);
    expect((await limiter.attempt('checkout', s)).allowed).toBe(true);
    const refused = await limiter.attempt('checkout', s);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(200);
    await sleep(refused.retryAfterMs + 30);
    expect((await limiter.attempt('checkout', s)).allowed).toBe(true); // the first attempt aged out
    expect((await limiter.attempt('checkout', s)).allowed).toBe(false); // the second has not
  });

  it('separates actions and subjects', async () => {
    const limiter = rateLimiter(redis.client, {
      prefix: redis.prefix,
      policies: { registration: { limit: 1 }, passwordReset: { limit: 1 } },
    });
    expect((await limiter.attempt('registration', 'ip4:192.0.2.1')).allowed).toBe(true);
    expect((await limiter.attempt('registration', 'ip4:192.0.2.1')).allowed).toBe(false);
    expect((await limiter.attempt('registration', 'ip4:192.0.2.2')).allowed).toBe(true);
    expect((await limiter.attempt('passwordReset', 'ip4:192.0.2.1')).allowed).toBe(true);
  });

  it('resets on success where the legacy store did (login, registration), not for password reset', async () => {
    const limiter = rateLimiter(redis.client, {
      prefix: redis.prefix,
      policies: { login: { limit: 1 }, passwordReset: { limit: 1 } },
    });
    const s = ipSubject('192.0.2.77');
    await limiter.attempt('login', s);
    expect((await limiter.attempt('login', s)).allowed).toBe(false);
    await limiter.recordSuccess('login', s);
    expect((await limiter.attempt('login', s)).allowed).toBe(true);

    await limiter.attempt('passwordReset', s);
    await limiter.recordSuccess('passwordReset', s);
    expect((await limiter.attempt('passwordReset', s)).allowed).toBe(false);
    await limiter.reset('passwordReset', s);
    expect((await limiter.attempt('passwordReset', s)).allowed).toBe(true);
  });

  it('keeps subject text out of the key, so a header cannot add key segments', async () => {
    const limiter = rateLimiter(redis.client, { prefix: redis.prefix, policies: { login: { limit: 1 } } });
    await limiter.attempt('login', 'evil:*:login\r\nFLUSHALL');
    const keys: string[] = [];
    for await (const batch of redis.client.scanIterator({ MATCH: `${redis.prefix}eph:rl:login:*` })) {
      keys.push(...batch);
    }
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) expect(k.slice(`${redis.prefix}eph:rl:login:`.length)).toMatch(/^[0-9a-f]{32}$/);
  });
});
