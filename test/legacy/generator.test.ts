import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RedisClient } from '../../src/backends/redis/client.js';
import { generateDataset } from '../../src/legacy/generator/dataset.js';
import { EDGE_CASE_KINDS, type SeedManifest } from '../../src/legacy/generator/types.js';
import { PrefixNotEmptyError, seedLegacyDataset } from '../../src/legacy/generator/writer.js';
import { classifyKey, type KeyFamily, LEGACY_TTL, legacyKeys } from '../../src/legacy/keys.js';
import { TEST_REDIS_URL } from '../support/env.js';
import { useRedis } from '../support/harness.js';

const redis = useRedis();
const NOW = '2026-01-15T10:00:00.000Z';
const base = { seed: 'dcw', scale: 1, now: NOW, edgeRate: 0.02, flush: false };

interface Entry {
  family: KeyFamily | 'unknown';
  type: string;
  /** GET value, sorted SMEMBERS, or LRANGE 0 -1. */
  value: string | string[];
  ttl: number;
}

/** Every key under `prefix`, read back without DUMP; keys with the prefix stripped. */
async function snapshot(client: RedisClient, prefix: string): Promise<Map<string, Entry>> {
  const keys: string[] = [];
  for await (const batch of client.scanIterator({ MATCH: legacyKeys(prefix).all(), COUNT: 1000 }))
    keys.push(...batch);
  const entries = await Promise.all(
    keys.map(async (key): Promise<[string, Entry]> => {
      const type = await client.type(key);
      const value =
        type === 'string'
          ? ((await client.get(key)) ?? '')
          : type === 'set'
            ? (await client.sMembers(key)).sort()
            : await client.lRange(key, 0, -1);
      return [
        key.slice(prefix.length),
        { family: classifyKey(key, prefix).family, type, value, ttl: await client.ttl(key) },
      ];
    }),
  );
  return new Map(entries.sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * Contents without the countdown: a TTL read a second later is a second lower, so the values,
 * members, order and TTL presence must match exactly, and the TTLs within a few seconds.
 */
function expectSameContents(a: Map<string, Entry>, b: Map<string, Entry>): void {
  const strip = (m: Map<string, Entry>) => [...m].map(([k, e]) => [k, { ...e, ttl: Math.sign(e.ttl) }]);
  expect(strip(a)).toEqual(strip(b));
  for (const [k, e] of a) expect(Math.abs(e.ttl - (b.get(k)?.ttl ?? Number.NaN)), k).toBeLessThanOrEqual(5);
}

const members = (e: Entry | undefined) => (Array.isArray(e?.value) ? e.value : []);

let first: SeedManifest;
let data: Map<string, Entry>;

beforeAll(async () => {
  first = await seedLegacyDataset(redis.client, { ...base, prefix: `${redis.prefix}a:` });
  data = await snapshot(redis.client, `${redis.prefix}a:`);
});

describe('legacy:seed at scale 1', () => {
  it('is deterministic: the same options give identical values, members and list order', async () => {
    await seedLegacyDataset(redis.client, { ...base, prefix: `${redis.prefix}b:` });
    const again = await snapshot(redis.client, `${redis.prefix}b:`);
    expectSameContents(again, data);
    await seedLegacyDataset(redis.client, { ...base, seed: 'other', prefix: `${redis.prefix}c:` });
    const other = await snapshot(redis.client, `${redis.prefix}c:`);
    expect([...other.entries()]).not.toEqual([...data.entries()]);
  });

  it('writes only keys of the 47 known families, and the manifest counts what SCAN finds', () => {
    const found: Record<string, number> = {};
    for (const e of data.values()) found[e.family] = (found[e.family] ?? 0) + 1;
    expect(found.unknown).toBeUndefined();
    expect(found).toEqual(first.families);
    expect(first.keys).toBe(data.size);
  });

  it('is about the size of the real store (§10)', () => {
    const n = (f: KeyFamily) => first.families[f] ?? 0;
    expect(n('alcoholType')).toBeGreaterThanOrEqual(8);
    expect(n('product')).toBeGreaterThanOrEqual(42);
    expect(n('purchase')).toBeGreaterThanOrEqual(25);
    expect(n('order')).toBeGreaterThanOrEqual(9);
    expect(data.size).toBeLessThan(600);
  });

  it('puts TTLs on ephemeral keys only, never longer than the store sets', () => {
    for (const [key, e] of data) {
      const limit = (LEGACY_TTL as Record<string, number>)[e.family];
      if (limit === undefined) expect(e.ttl, key).toBe(-1);
      else {
        expect(e.ttl, key).toBeGreaterThan(0);
        expect(e.ttl, key).toBeLessThanOrEqual(limit);
      }
    }
  });

  it('writes values as @vercel/kv does: JSON documents, unquoted plain strings, numbers as text', () => {
    const plain: Partial<Record<KeyFamily, RegExp>> = {
      userEmail: /^[0-9a-f-]{36}$/,
      passwordResetUser: /^[0-9a-f]{64}$/,
      admin2faSecret: /^[A-Z2-7]{16}$/,
      legacyStock: /^\d+$/,
      rateLimitLogin: /^\d+$/,
      webhookEvent: /^true$/,
    };
    for (const [key, e] of data) {
      if (e.type !== 'string') continue;
      const pattern = plain[e.family as KeyFamily];
      if (pattern) expect(e.value, key).toMatch(pattern);
      else if (e.family !== 'adminSession' || e.value !== '1')
        expect(() => JSON.parse(e.value as string), key).not.toThrow();
    }
    expect(JSON.parse(data.get('admin:2fa:backup_codes')?.value as string)).toHaveLength(10);
    expect(typeof JSON.parse(data.get('tiktok:shop:token')?.value as string).expiresAt).toBe('number');
  });

  it('covers every order-id family and keys guest lists by the lower-cased, untrimmed e-mail', () => {
    const orders = [...data.values()]
      .filter((e) => e.family === 'order')
      .map((e) => JSON.parse(e.value as string));
    for (const re of [
      /^cs_live_\w{58}$/,
      /^cs_test_\w{58}$/,
      /^MS[0-9A-F]{32}$/,
      /^manual-[0-9a-f]{32}$/,
      /^SQ[0-9A-Z]{16}$/,
      /^test_order_\d{13}_[0-9a-z]{4,6}$/,
    ]) {
      expect(
        orders.some((o) => re.test(o.id)),
        String(re),
      ).toBe(true);
    }
    const lost = new Set(
      first.edgeCases.filter((e) => e.kind === 'unindexed-record').map((e) => e.key.split(':').pop()),
    );
    const guests = orders.filter((o) => o.isGuest === true && !lost.has(o.id));
    expect(guests.length).toBeGreaterThan(0);
    for (const o of guests)
      expect(members(data.get(`orders:guest:${o.email.toLowerCase()}`)), o.id).toContain(o.id);
    expect(
      orders.some((o) => o.isGuest === undefined && o.pointsEarned === Math.floor(o.totalCents / 100)),
    ).toBe(true);
    expect(
      orders.some(
        (o) => o.paymentMethod === 'square' && o.items.some((i: { variantId?: string }) => i.variantId),
      ),
    ).toBe(true);
  });

  it('keeps every list newest first (LPUSH order)', () => {
    for (const [key, e] of data) {
      if (e.family !== 'pointsUser' && e.family !== 'adminLogs') continue;
      const times = members(e).flatMap((m) => {
        const doc = e.family === 'adminLogs' ? m : data.get(`points:transaction:${m}`)?.value;
        return typeof doc === 'string' ? [JSON.parse(doc).createdAt ?? JSON.parse(doc).timestamp] : [];
      });
      expect(times, key).toEqual([...times].sort().reverse());
    }
  });

  it('plants every §8 edge-case kind, on keys that exist', () => {
    const kinds = new Set(first.edgeCases.map((e) => e.kind));
    expect([...kinds].sort()).toEqual([...EDGE_CASE_KINDS].sort());
    const prefix = `${redis.prefix}a:`;
    for (const e of first.edgeCases)
      expect(data.has(e.key.slice(prefix.length)), `${e.kind} ${e.key}`).toBe(true);
  });

  it('leaves dangling ids in every kind of index and list', () => {
    const record: Partial<Record<KeyFamily, (id: string) => string>> = {
      usersIndex: (id) => `user:${id}`,
      ordersIndex: (id) => `order:${id}`,
      ordersUser: (id) => `order:${id}`,
      ordersGuest: (id) => `order:${id}`,
      orderRefunds: (id) => `refund:${id}`,
      refundsIndex: (id) => `refund:${id}`,
      pointsUser: (id) => `points:transaction:${id}`,
      productsIndex: (id) => `product:${id}`,
      purchasesIndex: (id) => `purchase:${id}`,
      purchasesVendor: (id) => `purchase:${id}`,
      purchasesDate: (id) => `purchase:${id}`,
      promotionsIndex: (id) => `promotion:${id}`,
      alcoholTypesIndex: (id) => `alcohol-type:${id}`,
      baseOilsIndex: (id) => `global:base_oils:${id}`,
      containersIndex: (id) => `containers:${id}`,
      calculatorWicksIndex: (id) => `calculator:wicks:${id}`,
      adminUsersIndex: (id) => `admin:user:${id}`,
    };
    for (const [family, toKey] of Object.entries(record)) {
      const dangling = [...data.values()].some(
        (e) => e.family === family && members(e).some((m) => !data.has(toKey(m))),
      );
      expect(dangling, family).toBe(true);
    }
  });

  it('plants the scent-id "index" collision: the scents index is a JSON string, not a set', () => {
    const e = data.get('global:scents:index');
    expect(e?.type).toBe('string');
    expect(JSON.parse(e?.value as string).id).toBe('index');
  });
});

describe('coverage does not depend on the seed (generated in memory)', () => {
  const seeds = ['1', '2', 'x', 'desert', '2026'];
  it.each(seeds)(
    'seed %s: every edge kind, order-id family, refund status and promotion type; no key set twice',
    (seed) => {
      const ds = generateDataset({ ...base, seed, prefix: '', scale: 2 });
      const sets = new Set<string>();
      const docs: Record<string, unknown>[] = [];
      for (const batch of ds.batches) {
        for (const op of batch) {
          if (op.kind !== 'set') continue;
          expect(sets.has(op.key), op.key).toBe(false);
          sets.add(op.key);
          if (op.family === 'order' || op.family === 'refund' || op.family === 'promotion')
            docs.push(JSON.parse(op.value));
        }
      }
      expect(new Set(ds.edgeCases.map((e) => e.kind)).size).toBe(EDGE_CASE_KINDS.length);
      const ids = docs.map((d) => String(d.id));
      for (const re of [/^cs_live_/, /^cs_test_/, /^MS/, /^manual-/, /^SQ/, /^test_order_/])
        expect(
          ids.some((i) => re.test(i)),
          String(re),
        ).toBe(true);
      const values = (field: string) => new Set(docs.map((d) => d[field]).filter((v) => v !== undefined));
      expect(values('status')).toEqual(new Set(['pending', 'completed', 'processing', 'failed']));
      expect(values('type')).toEqual(new Set(['percentage', 'fixed_amount', 'quantity_discount', 'bogo']));
      expect(values('userTargeting').size).toBe(6);
    },
  );
});

describe('legacy:seed options', () => {
  it('refuses a non-empty prefix without flush, and replaces its contents with flush', async () => {
    const prefix = `${redis.prefix}a:`;
    await redis.client.set(`${prefix}stray`, 'x');
    await expect(seedLegacyDataset(redis.client, { ...base, prefix })).rejects.toBeInstanceOf(
      PrefixNotEmptyError,
    );
    expect(await redis.client.get(`${prefix}stray`)).toBe('x');
    await seedLegacyDataset(redis.client, { ...base, prefix, flush: true });
    expectSameContents(await snapshot(redis.client, prefix), data);
  });

  it('plants nothing at edge rate 0: every index member has its record and scents are indexed', async () => {
    const prefix = `${redis.prefix}clean:`;
    const m = await seedLegacyDataset(redis.client, { ...base, prefix, edgeRate: 0 });
    const clean = await snapshot(redis.client, prefix);
    expect(clean.get('global:scents:index')?.type).toBe('set');
    for (const id of members(clean.get('orders:index'))) expect(clean.has(`order:${id}`), id).toBe(true);
    for (const id of members(clean.get('users:index'))) expect(clean.has(`user:${id}`), id).toBe(true);
    const planted = m.edgeCases.filter(
      (e) => !['pre-index-order', 'static-catalogue-ref', 'dangling-product-ref'].includes(e.kind),
    );
    expect(planted).toEqual([]);
  });

  it('grows linearly with the scale while the reference sets stay small; admin:logs is capped at 1000', async () => {
    const seed = (scale: number) =>
      seedLegacyDataset(redis.client, { ...base, scale, prefix: `${redis.prefix}s${scale}:` });
    const ten = await seed(10);
    for (const f of ['user', 'order', 'purchase', 'pointsTransaction'] as const) {
      expect(ten.families[f] ?? 0, f).toBeGreaterThan(5 * (first.families[f] ?? 0));
    }
    for (const f of ['alcoholType', 'scent', 'calculatorWick'] as const) {
      expect(ten.families[f], f).toBe(first.families[f]);
    }
    const forty = await seed(40);
    const perUnit = (ten.keys - first.keys) / 9;
    expect((forty.keys - ten.keys) / 30).toBeGreaterThan(0.9 * perUnit);
    expect((forty.keys - ten.keys) / 30).toBeLessThan(1.1 * perUnit);
    const logs = await redis.client.lRange(`${redis.prefix}s40:admin:logs`, 0, -1);
    expect(logs).toHaveLength(1000);
    const times = logs.map((l) => JSON.parse(l).timestamp as string);
    expect(times).toEqual([...times].sort().reverse());
  });

  it('runs as a CLI: manifest on stdout, exit 1 with a clear message on a non-empty prefix', async () => {
    const run = promisify(execFile);
    const prefix = `${redis.prefix}cli:`;
    const env = { ...process.env, REDIS_URL: TEST_REDIS_URL };
    const args = [
      'node_modules/.bin/tsx',
      'src/cli/legacy-seed.ts',
      '--scale',
      '1',
      '--seed',
      'dcw',
      '--now',
      NOW,
      '--prefix',
      prefix,
    ];
    const { stdout } = await run(args[0]!, args.slice(1), { env });
    const manifest = JSON.parse(stdout) as SeedManifest;
    expect(manifest.families).toEqual(first.families);
    expect(manifest.now).toBe(NOW);
    const refused = await run(args[0]!, args.slice(1), { env }).catch(
      (err: { code: number; stderr: string }) => err,
    );
    expect(refused).toMatchObject({ code: 1 });
    expect((refused as { stderr: string }).stderr).toContain('--flush');
  });
});
