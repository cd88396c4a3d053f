import { describe, expect, it } from 'vitest';
import { EphemeralDecodeError, LockWaitTimeoutError } from '../../src/ephemeral/errors.js';
import { ephemeralKeys } from '../../src/ephemeral/keys.js';
import { decodeOAuthTokens } from '../../src/ephemeral/oauth-codec.js';
import { type OAuthTokens, oauthTokenStore } from '../../src/ephemeral/oauth-tokens.js';
import { legacyKeys } from '../../src/legacy/keys.js';
import { useRedis } from '../support/harness.js';
import { inParallel, sleep, useRedisClients } from './clients.js';

const redis = useRedis();
const processes = useRedisClients(4);

/** A fresh prefix per test, so tests do not share the single token key of a provider. */
let n = 0;
const isolated = () => `${redis.prefix}${++n}:`;

const expired = (): OAuthTokens => ({
  accessToken: 'old-access',
  refreshToken: 'refresh-1',
  expiresAt: Date.now() - 1000,
  refreshExpiresAt: Date.now() + 86_400_000,
  scope: 'seller.order.info',
});

describe('OAuth token store', () => {
  it('reads the legacy tiktok:shop:token JSON text and writes the same shape back', async () => {
    const prefix = isolated();
    const key = legacyKeys(prefix).tiktokToken();
    const legacyText =
      '{"accessToken":"ROW_abc","refreshToken":"ROW_ref","expiresAt":1766094005123,"refreshExpiresAt":1797630005123,"scope":"seller.authorization.info,seller.order.info"}';
    await redis.client.set(key, legacyText);
    const store = oauthTokenStore(redis.client, { prefix });
    const tokens = await store.get('tiktok');
    expect(tokens).toEqual({
      accessToken: 'ROW_abc',
      refreshToken: 'ROW_ref',
      expiresAt: 1_766_094_005_123,
      refreshExpiresAt: 1_797_630_005_123,
      scope: 'seller.authorization.info,seller.order.info',
    });
    await store.set('tiktok', tokens!);
    expect(await redis.client.get(key)).toBe(legacyText);
    expect(await redis.client.ttl(key)).toBe(-1); // the store never gave it a TTL
    await store.clear('tiktok');
    expect(await store.get('tiktok')).toBeNull();
  });

  it('keeps USPS tokens on their own key', async () => {
    const prefix = isolated();
    const store = oauthTokenStore(redis.client, { prefix });
    await store.set('usps', { accessToken: 'usps-1', expiresAt: Date.now() + 3_600_000 });
    expect(await redis.client.exists(legacyKeys(prefix).tiktokToken())).toBe(0);
    expect(await redis.client.exists(ephemeralKeys(prefix).oauthToken('usps'))).toBe(1);
    expect((await store.get('usps'))?.accessToken).toBe('usps-1');
  });

  it('returns a fresh token without refreshing, and refreshes one inside the skew margin', async () => {
    const prefix = isolated();
    const store = oauthTokenStore(redis.client, { prefix, skewMs: 60_000 });
    let refreshes = 0;
    const refresh = async () => {
      refreshes++;
      return { accessToken: `new-${refreshes}`, expiresAt: Date.now() + 3_600_000 };
    };
    await store.set('usps', { accessToken: 'valid', expiresAt: Date.now() + 600_000 });
    expect((await store.getValid('usps', refresh)).accessToken).toBe('valid');
    expect(refreshes).toBe(0);
    await store.set('usps', { accessToken: 'almost', expiresAt: Date.now() + 30_000 });
    expect((await store.getValid('usps', refresh)).accessToken).toBe('new-1');
    expect(refreshes).toBe(1);
  });

  it('single flight: 20 concurrent callers in 4 processes cause one refresh', async () => {
    const prefix = isolated();
    const stores = processes.map((c) => oauthTokenStore(c, { prefix, pollMs: 10 }));
    await stores[0]!.set('tiktok', expired());
    const seen: (OAuthTokens | null)[] = [];
    const refresh = async (current: OAuthTokens | null) => {
      seen.push(current);
      await sleep(150);
      return {
        ...current!,
        accessToken: 'new-access',
        refreshToken: 'refresh-2',
        expiresAt: Date.now() + 86_400_000,
      };
    };
    const results = await inParallel(20, (i) => stores[i % stores.length]!.getValid('tiktok', refresh));
    expect(seen).toHaveLength(1);
    expect(seen[0]?.refreshToken).toBe('refresh-1');
    expect(new Set(results.map((r) => r.accessToken))).toEqual(new Set(['new-access']));
    expect((await stores[3]!.get('tiktok'))?.refreshToken).toBe('refresh-2');
  });

  it('a failed refresh reaches its caller and does not leave the lock behind', async () => {
    const prefix = isolated();
    const store = oauthTokenStore(redis.client, { prefix });
    await store.set('tiktok', expired());
    await expect(
      store.getValid('tiktok', async () => {
        throw new Error('TikTok 500');
      }),
    ).rejects.toThrow('TikTok 500');
    expect(await redis.client.exists(ephemeralKeys(prefix).oauthLock('tiktok'))).toBe(0);
    const ok = await store.getValid('tiktok', async () => ({
      accessToken: 'b',
      expiresAt: Date.now() + 3_600_000,
    }));
    expect(ok.accessToken).toBe('b');
  });

  it('waits out a crashed holder (its lock lease expires), then refreshes once', async () => {
    const prefix = isolated();
    const store = oauthTokenStore(redis.client, { prefix, pollMs: 10 });
    await store.set('usps', { accessToken: 'stale', expiresAt: 0 });
    await redis.client.set(ephemeralKeys(prefix).oauthLock('usps'), 'someone-dead', {
      expiration: { type: 'PX', value: 300 },
    });
    let refreshes = 0;
    const started = Date.now();
    const t = await store.getValid('usps', async () => {
      refreshes++;
      return { accessToken: 'after-crash', expiresAt: Date.now() + 3_600_000 };
    });
    expect(t.accessToken).toBe('after-crash');
    expect(refreshes).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('gives up with LockWaitTimeoutError when the holder never finishes', async () => {
    const prefix = isolated();
    const store = oauthTokenStore(redis.client, { prefix, waitTimeoutMs: 200, pollMs: 10 });
    await store.set('usps', { accessToken: 'stale', expiresAt: 0 });
    await redis.client.set(ephemeralKeys(prefix).oauthLock('usps'), 'stuck', {
      expiration: { type: 'PX', value: 10_000 },
    });
    await expect(store.getValid('usps', async () => expired())).rejects.toBeInstanceOf(LockWaitTimeoutError);
  });

  it('reports a malformed stored token instead of treating it as absent', async () => {
    const prefix = isolated();
    await redis.client.set(legacyKeys(prefix).tiktokToken(), '{"accessToken":"x","expiresAt":"tomorrow"}');
    const store = oauthTokenStore(redis.client, { prefix });
    await expect(store.get('tiktok')).rejects.toBeInstanceOf(EphemeralDecodeError);
  });
});

describe('OAuth token codec', () => {
  it('accepts JSON text stored once or twice encoded and rejects wrong field types', () => {
    const t = { accessToken: 'a', refreshToken: 'r', expiresAt: 1, refreshExpiresAt: 2, scope: 's' };
    expect(decodeOAuthTokens(JSON.stringify(t))).toEqual({ ok: true, tokens: t });
    expect(decodeOAuthTokens(JSON.stringify(JSON.stringify(t)))).toEqual({ ok: true, tokens: t });
    expect(decodeOAuthTokens('{"accessToken":"a","expiresAt":1}')).toEqual({
      ok: true,
      tokens: { accessToken: 'a', expiresAt: 1 },
    });
    expect(decodeOAuthTokens('{"accessToken":"a"}').ok).toBe(false);
    expect(decodeOAuthTokens('{"accessToken":"a","expiresAt":1,"scope":7}').ok).toBe(false);
    expect(decodeOAuthTokens('not json').ok).toBe(false);
    expect(decodeOAuthTokens('[1]').ok).toBe(false);
  });
});
