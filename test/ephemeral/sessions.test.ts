import { describe, expect, it } from 'vitest';
import { legacyKeys } from '../../src/legacy/keys.js';
import { ephemeralKeys } from '../../src/ephemeral/keys.js';
import { adminSessionTtlSeconds } from '../../src/ephemeral/session-codec.js';
import { adminSessionStore, userSessionStore } from '../../src/ephemeral/sessions.js';
import { useRedis } from '../support/harness.js';
import { sleep } from './clients.js';

const redis = useRedis();
const uuid = () => crypto.randomUUID();

/** Writes a session exactly as the legacy app does (`kv.set(key, object, { ex })`), with no index entry. */
async function legacyUserSession(token: string, userId: string, email: string) {
  await redis.client.set(
    legacyKeys(redis.prefix).userSession(token),
    JSON.stringify({ userId, email, createdAt: '2025-12-18T21:40:05.123Z' }),
    { expiration: { type: 'EX', value: 2_592_000 } },
  );
}
const hex64 = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('hex');

describe('user sessions on the legacy key', () => {
  it('creates the value the store writes: JSON {userId,email,createdAt}, 64-hex token, 30-day TTL', async () => {
    const store = userSessionStore(redis.client, { prefix: redis.prefix });
    const userId = uuid();
    const created = await store.create({ userId, email: 'ada@example.com' });
    expect(created.token).toMatch(/^[0-9a-f]{64}$/);
    const key = legacyKeys(redis.prefix).userSession(created.token);
    const raw = await redis.client.get(key);
    expect(Object.keys(JSON.parse(raw!))).toEqual(['userId', 'email', 'createdAt']);
    expect(JSON.parse(raw!)).toMatchObject({ userId, email: 'ada@example.com' });
    expect(new Date(JSON.parse(raw!).createdAt).toISOString()).toBe(JSON.parse(raw!).createdAt);
    const ttl = await redis.client.ttl(key);
    expect(ttl).toBeGreaterThan(2_592_000 - 5);
    expect(ttl).toBeLessThanOrEqual(2_592_000);
    expect(await redis.client.sMembers(ephemeralKeys(redis.prefix).userSessionIndex(userId))).toEqual([
      created.token,
    ]);
  });

  it('reads sessions the legacy app wrote, and rejects malformed values and tokens', async () => {
    const store = userSessionStore(redis.client, { prefix: redis.prefix });
    const token = hex64();
    const userId = uuid();
    await legacyUserSession(token, userId, 'bo@example.com');
    expect(await store.get(token)).toEqual({
      userId,
      email: 'bo@example.com',
      createdAt: '2025-12-18T21:40:05.123Z',
    });
    const broken = hex64();
    await redis.client.set(legacyKeys(redis.prefix).userSession(broken), '{"userId":42}');
    expect(await store.get(broken)).toBeNull();
    // A token that could address another key family is never looked up.
    await redis.client.set(
      legacyKeys(redis.prefix).userSession('x:y'),
      JSON.stringify({ userId, email: 'e', createdAt: 'c' }),
    );
    expect(await store.get('x:y')).toBeNull();
    expect(await store.get(token.toUpperCase())).toBeNull();
  });

  it('fixed expiry: the session dies at its TTL even when it is used', async () => {
    const store = userSessionStore(redis.client, { prefix: redis.prefix, expiry: { ttlSeconds: 0.4 } });
    const { token } = await store.create({ userId: uuid(), email: 'f@example.com' });
    await sleep(150);
    expect(await store.get(token)).not.toBeNull();
    await sleep(450);
    expect(await store.get(token)).toBeNull();
  });

  it('sliding expiry: each use pushes the expiry out, idleness ends the session', async () => {
    const store = userSessionStore(redis.client, {
      prefix: redis.prefix,
      expiry: { ttlSeconds: 0.5, sliding: true },
    });
    const userId = uuid();
    const { token } = await store.create({ userId, email: 's@example.com' });
    for (let i = 0; i < 4; i++) {
      await sleep(250);
      expect(await store.get(token)).not.toBeNull(); // 1 s in total: well past the 500 ms TTL
    }
    const indexTtl = await redis.client.pTTL(ephemeralKeys(redis.prefix).userSessionIndex(userId));
    expect(indexTtl).toBeGreaterThan(300); // the index was extended with the session
    await sleep(700);
    expect(await store.get(token)).toBeNull();
  });

  it('destroy removes the session and its index entry', async () => {
    const store = userSessionStore(redis.client, { prefix: redis.prefix });
    const userId = uuid();
    const a = await store.create({ userId, email: 'd@example.com' });
    const b = await store.create({ userId, email: 'd@example.com' });
    expect(await store.destroy(a.token)).toBe(true);
    expect(await store.get(a.token)).toBeNull();
    expect(await store.destroy(a.token)).toBe(false);
    expect(await store.get(b.token)).not.toBeNull();
    expect(await redis.client.sMembers(ephemeralKeys(redis.prefix).userSessionIndex(userId))).toEqual([
      b.token,
    ]);
  });

  it('rotation on login destroys the previous session and creates a new one', async () => {
    const store = userSessionStore(redis.client, { prefix: redis.prefix });
    const before = uuid();
    const after = uuid();
    const old = await store.create({ userId: before, email: 'old@example.com' });
    const fresh = await store.rotate(old.token, { userId: after, email: 'new@example.com' });
    expect(fresh.token).not.toBe(old.token);
    expect(await store.get(old.token)).toBeNull();
    expect((await store.get(fresh.token))?.userId).toBe(after);
    const idx = ephemeralKeys(redis.prefix);
    expect(await redis.client.sMembers(idx.userSessionIndex(before))).toEqual([]);
    expect(await redis.client.sMembers(idx.userSessionIndex(after))).toEqual([fresh.token]);
    // Rotating away from a legacy session (no index entry) works too.
    const legacyToken = hex64();
    await legacyUserSession(legacyToken, after, 'new@example.com');
    const next = await store.rotate(legacyToken, { userId: after, email: 'new@example.com' });
    expect(await store.get(legacyToken)).toBeNull();
    expect(await store.get(next.token)).not.toBeNull();
  });

  it('revoke-all removes indexed and legacy sessions of one user only', async () => {
    const store = userSessionStore(redis.client, { prefix: redis.prefix });
    const victim = uuid();
    const bystander = uuid();
    const mine = await Promise.all(
      [1, 2, 3].map(() => store.create({ userId: victim, email: 'v@example.com' })),
    );
    const other = await store.create({ userId: bystander, email: 'b@example.com' });
    const legacyMine = [hex64(), hex64()];
    for (const t of legacyMine) await legacyUserSession(t, victim, 'v@example.com');
    const legacyOther = hex64();
    await legacyUserSession(legacyOther, bystander, 'b@example.com');

    const result = await store.revokeAllForUser(victim);
    expect(result.revoked).toBe(5);
    expect(result.legacyScanComplete).toBe(true);
    for (const s of [...mine.map((m) => m.token), ...legacyMine]) expect(await store.get(s)).toBeNull();
    expect(await store.get(other.token)).not.toBeNull();
    expect(await store.get(legacyOther)).not.toBeNull();
    expect(await store.revokeAllForUser(victim)).toMatchObject({ revoked: 0 });
  });

  it('revoke-all without the SCAN fallback leaves legacy sessions and says so', async () => {
    const store = userSessionStore(redis.client, { prefix: redis.prefix });
    const userId = uuid();
    const indexed = await store.create({ userId, email: 'n@example.com' });
    const legacy = hex64();
    await legacyUserSession(legacy, userId, 'n@example.com');
    const result = await store.revokeAllForUser(userId, { legacyScanLimit: 0 });
    expect(result).toMatchObject({ revoked: 1, legacyScanComplete: false });
    expect(await store.get(indexed.token)).toBeNull();
    expect(await store.get(legacy)).not.toBeNull();
  });
});

describe('admin sessions on the legacy key', () => {
  it('reads the pre-2025-12-04 value `1` as a valid session of unknown user', async () => {
    const store = adminSessionStore(redis.client, { prefix: redis.prefix });
    const id = uuid();
    await redis.client.set(legacyKeys(redis.prefix).adminSession(id), '1', {
      expiration: { type: 'EX', value: 604_800 },
    });
    expect(await store.get(id)).toEqual({ kind: 'legacy-marker' });
  });

  it('creates {userId,email,role,createdAt} under a UUID with the clamped TTL', async () => {
    const k = legacyKeys(redis.prefix);
    const byDefault = await adminSessionStore(redis.client, { prefix: redis.prefix }).create({
      userId: uuid(),
      email: 'root@example.com',
      role: 'super_admin',
    });
    expect(byDefault.token).toMatch(/^[0-9a-f-]{36}$/);
    const raw = JSON.parse((await redis.client.get(k.adminSession(byDefault.token)))!);
    expect(Object.keys(raw)).toEqual(['userId', 'email', 'role', 'createdAt']);
    expect(await redis.client.ttl(k.adminSession(byDefault.token))).toBeGreaterThan(604_800 - 5);

    const tooShort = await adminSessionStore(redis.client, {
      prefix: redis.prefix,
      expiry: { ttlSeconds: 5 },
    }).create({ userId: uuid(), email: 'a@example.com', role: 'admin' });
    const ttl = await redis.client.ttl(k.adminSession(tooShort.token));
    expect(ttl).toBeGreaterThan(55);
    expect(ttl).toBeLessThanOrEqual(60);
  });

  it('rejects admin sessions with an unknown role', async () => {
    const store = adminSessionStore(redis.client, { prefix: redis.prefix });
    const id = uuid();
    await redis.client.set(
      legacyKeys(redis.prefix).adminSession(id),
      JSON.stringify({
        userId: uuid(),
        email: 'x@example.com',
        role: 'owner',
        createdAt: '2025-12-05T00:00:00.000Z',
      }),
    );
    expect(await store.get(id)).toBeNull();
  });

  it('revoke-all counts legacy `1` sessions it cannot attribute and leaves them', async () => {
    const store = adminSessionStore(redis.client, { prefix: redis.prefix });
    const userId = uuid();
    const s = await store.create({ userId, email: 'm@example.com', role: 'admin' });
    const marker = uuid();
    await redis.client.set(legacyKeys(redis.prefix).adminSession(marker), '1');
    const result = await store.revokeAllForUser(userId);
    expect(result.revoked).toBe(1);
    expect(result.unattributable).toBeGreaterThanOrEqual(1);
    expect(await store.get(s.token)).toBeNull();
    expect(await store.get(marker)).toEqual({ kind: 'legacy-marker' });
  });
});

describe('ADMIN_SESSION_TTL_SECONDS', () => {
  it('defaults to 604800 and clamps to [60, 2592000]', () => {
    expect(adminSessionTtlSeconds(undefined)).toBe(604_800);
    expect(adminSessionTtlSeconds('')).toBe(604_800);
    expect(adminSessionTtlSeconds('soon')).toBe(604_800);
    expect(adminSessionTtlSeconds('30')).toBe(60);
    expect(adminSessionTtlSeconds('3600.9')).toBe(3600);
    expect(adminSessionTtlSeconds('99999999')).toBe(2_592_000);
  });
});
