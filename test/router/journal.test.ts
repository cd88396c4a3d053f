/**
 * Both journal implementations (Redis sorted set while Redis is the source of truth, Postgres table
 * while Postgres is) against one suite, on the real servers.
 */
import { describe, expect, it } from 'vitest';
import { migrationKeys } from '../../src/migration/journal/keys.js';
import { createPostgresJournal } from '../../src/migration/journal/postgres-journal.js';
import { createRedisJournal } from '../../src/migration/journal/redis-journal.js';
import type { Journal, RecordRef } from '../../src/migration/journal/types.js';
import { classifyKey } from '../../src/legacy/keys.js';
import { usePostgres, useRedis } from '../support/harness.js';

const pg = usePostgres();
const redis = useRedis();

const journals: [string, () => Journal][] = [
  ['redis', () => createRedisJournal(redis.client, migrationKeys(redis.prefix))],
  ['postgres', () => createPostgresJournal(pg.handle)],
];

let n = 0;
const ref = (domain = 'orders', entity = 'orders'): RecordRef => ({
  domain,
  entity,
  id: `id:${++n}:${Math.random()}`,
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(journals)('%s journal', (source, make) => {
  it('keeps the first failure time of a record and makes it due after the settle delay', async () => {
    const j = make();
    const r = ref(`d-${source}-1`);
    await j.record([r], 'connection refused', 300);
    expect(await j.due(100)).not.toContainEqual(expect.objectContaining({ id: r.id }));
    const [first] = await j.list({ domain: r.domain });
    await sleep(20);
    await j.record([r], 'timed out', 0);
    const entries = await j.list({ domain: r.domain });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ ...r, source, lastError: 'timed out', parked: false });
    expect(entries[0]!.firstAt.getTime()).toBe(first!.firstAt.getTime());
    expect(entries[0]!.gen).toBeGreaterThan(first!.gen);
    expect(await j.due(1000)).toContainEqual(expect.objectContaining({ id: r.id }));
  });

  it('takes a record named twice in one failure once (a checkout names a product per line)', async () => {
    const j = make();
    const r = ref(`d-${source}-dup`);
    await j.record([r, { ...r }, ref(r.domain)], 'down', 0);
    const entries = await j.list({ domain: r.domain });
    expect(entries.map((e) => e.id).sort()).toHaveLength(2);
    expect(entries.filter((e) => e.id === r.id)).toHaveLength(1);
  });

  it('does not clear an entry that failed again after it was read', async () => {
    const j = make();
    const r = ref(`d-${source}-2`);
    await j.record([r], 'first', 0);
    const [read] = await j.list({ domain: r.domain });
    await j.record([r], 'second', 0);
    expect(await j.clear(read!)).toBe(false);
    const [now] = await j.list({ domain: r.domain });
    expect(now?.lastError).toBe('second');
    expect(await j.clear(now!)).toBe(true);
    expect(await j.list({ domain: r.domain })).toEqual([]);
  });

  it('counts attempts, parks with the last error, and reports lag per domain', async () => {
    const j = make();
    const domain = `d-${source}-3`;
    const a = ref(domain);
    const b = ref(domain);
    await j.record([a, b], 'down', 0);
    const [ea] = (await j.list({ domain })).filter((e) => e.id === a.id);
    await j.retryLater(ea!, 'still down', new Date(Date.now() + 60_000), true);
    const lag = (await j.lag()).find((l) => l.domain === domain);
    expect(lag).toMatchObject({ domain, source, depth: 2, parked: 1 });
    expect(lag!.oldestAt).toBeInstanceOf(Date);
    const parked = (await j.list({ domain })).find((e) => e.id === a.id);
    expect(parked).toMatchObject({ parked: true, attempts: 1, lastError: 'still down' });
    expect((await j.due(1000)).map((e) => e.id)).not.toContain(a.id);
    expect(await j.retryNow(domain)).toBe(2);
    expect((await j.due(1000)).map((e) => e.id)).toEqual(expect.arrayContaining([a.id, b.id]));
  });
});

describe('redis journal keys', () => {
  it('live under mig:, which no legacy key family matches', async () => {
    await createRedisJournal(redis.client, migrationKeys(redis.prefix)).record([ref('keys-test')], 'x', 0);
    const keys: string[] = [];
    for await (const batch of redis.client.scanIterator({ MATCH: `${redis.prefix}mig:*` }))
      keys.push(...batch.map(String));
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(classifyKey(key, redis.prefix).family).toBe('unknown');
  });
});
