import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type PgHandle } from '../../src/backends/postgres/client.js';
import { legacyKeys } from '../../src/legacy/keys.js';
import {
  runOnce,
  type WebhookDeduplicator,
  type WebhookDedupOptions,
} from '../../src/ephemeral/webhook-dedup.js';
import { postgresWebhookDeduplicator } from '../../src/ephemeral/webhook-dedup-postgres.js';
import { redisWebhookDeduplicator } from '../../src/ephemeral/webhook-dedup-redis.js';
import { usePostgres, useRedis } from '../support/harness.js';
import { inParallel, sleep, useRedisClients } from './clients.js';

const redis = useRedis();
const redisConnections = useRedisClients(5);
const pg = usePostgres({ max: 10 });
const pgHandles: PgHandle[] = [];
beforeAll(async () => {
  // A second pool, standing in for another app instance.
  pgHandles.push(pg.handle, await openPostgres({ url: pg.url, max: 10, driver: 'postgres-js' }));
});
afterAll(async () => {
  await pgHandles[1]?.close();
});

const eventId = () => `evt_${crypto.randomUUID().replaceAll('-', '')}`;

interface Backend {
  name: string;
  /** One deduplicator per connection (separate processes). */
  make(opts?: WebhookDedupOptions): WebhookDeduplicator[];
}

const backends: Backend[] = [
  {
    name: 'redis',
    make: (opts) =>
      redisConnections.map((c) => redisWebhookDeduplicator(c, { prefix: redis.prefix, ...opts })),
  },
  { name: 'postgres', make: (opts) => pgHandles.map((h) => postgresWebhookDeduplicator(h, opts)) },
];

describe.each(backends)('webhook deduplication on $name', (backend) => {
  it('50 concurrent deliveries of one event: exactly one is processed', async () => {
    const dedups = backend.make();
    const id = eventId();
    let runs = 0;
    const results = await inParallel(50, (i) =>
      runOnce(dedups[i % dedups.length]!, id, async () => {
        runs++;
        await sleep(50);
        return 'ok';
      }),
    );
    expect(runs).toBe(1);
    expect(results.filter((r) => r.status === 'processed')).toHaveLength(1);
    expect(results.every((r) => r.status !== 'processed' || !r.leaseLost)).toBe(true);
    expect(await runOnce(dedups[0]!, id, async () => runs++)).toEqual({ status: 'already-processed' });
    expect(await dedups[1]!.isProcessed(id)).toBe(true);
    expect(runs).toBe(1);
  });

  it('a claim that crashed blocks retries until its lease expires, then can be taken over', async () => {
    const [a, b] = backend.make({ leaseMs: 300 });
    const id = eventId();
    const first = await a!.claim(id);
    expect(first.status).toBe('claimed');
    const busy = await b!.claim(id);
    expect(busy.status).toBe('in-progress');
    if (busy.status === 'in-progress') expect(busy.retryAfterMs).toBeLessThanOrEqual(300);
    expect(await b!.isProcessed(id)).toBe(false);

    await sleep(400);
    const second = await b!.claim(id);
    expect(second.status).toBe('claimed');
    if (second.status !== 'claimed' || first.status !== 'claimed') return;
    expect(second.claim.fence).not.toBe(first.claim.fence);
    // The crashed worker comes back late: its claim is no longer current.
    expect(await a!.release(first.claim)).toBe(false);
    expect(await b!.markDone(second.claim)).toEqual({ leaseLost: false });
    expect(await a!.markDone(first.claim)).toEqual({ leaseLost: true });
    expect((await a!.claim(id)).status).toBe('already-processed');
  });

  it('a failed handler releases its claim so the retry runs at once', async () => {
    const [dedup] = backend.make();
    const id = eventId();
    await expect(
      runOnce(dedup!, id, async () => {
        throw new Error('stripe timeout');
      }),
    ).rejects.toThrow('stripe timeout');
    expect(await dedup!.isProcessed(id)).toBe(false);
    const retry = await runOnce(dedup!, id, async () => 'second try');
    expect(retry).toEqual({ status: 'processed', result: 'second try', leaseLost: false });
  });

  it('the done marker expires after its TTL (7 days by default)', async () => {
    const [dedup] = backend.make({ doneTtlMs: 300 });
    const id = eventId();
    await runOnce(dedup!, id, async () => undefined);
    expect((await dedup!.claim(id)).status).toBe('already-processed');
    await sleep(400);
    expect(await dedup!.isProcessed(id)).toBe(false);
    expect((await dedup!.claim(id)).status).toBe('claimed');
  });
});

describe('webhook deduplication shares the legacy marker in Redis', () => {
  it('treats the legacy `true` marker as done and writes exactly `true` with a 7-day TTL', async () => {
    const dedup = redisWebhookDeduplicator(redis.client, { prefix: redis.prefix });
    const key = (id: string) => legacyKeys(redis.prefix).webhookEvent(id);
    const legacyDone = eventId();
    await redis.client.set(key(legacyDone), 'true', { expiration: { type: 'EX', value: 604_800 } });
    expect(await dedup.claim(legacyDone)).toEqual({ status: 'already-processed' });

    const id = eventId();
    const claimed = await dedup.claim(id);
    // While claimed, the legacy app's EXISTS check already skips the event.
    expect(await redis.client.exists(key(id))).toBe(1);
    if (claimed.status === 'claimed') await dedup.markDone(claimed.claim);
    expect(await redis.client.get(key(id))).toBe('true');
    expect(await redis.client.ttl(key(id))).toBeGreaterThan(604_800 - 5);
  });
});

describe('webhook deduplication rows in Postgres', () => {
  it('records claims and completion in webhook_events', async () => {
    const dedup = postgresWebhookDeduplicator(pg.handle, { leaseMs: 200 });
    const id = eventId();
    const row = async () =>
      (
        await pg.handle.query<{
          status: string;
          attempts: number;
          lease_open: boolean | null;
          processed: boolean;
          ttl_days: number;
        }>(
          `select status::text, attempts, lease_until > now() as lease_open, processed_at is not null as processed,
                  round(extract(epoch from expires_at - now()) / 86400)::int as ttl_days
             from webhook_events where event_id = $1`,
          [id],
        )
      )[0];
    await dedup.claim(id);
    expect(await row()).toMatchObject({ status: 'claimed', attempts: 1, lease_open: true, processed: false });
    await sleep(300);
    const again = await dedup.claim(id);
    expect(await row()).toMatchObject({ status: 'claimed', attempts: 2 });
    if (again.status === 'claimed') await dedup.markDone(again.claim);
    expect(await row()).toEqual({
      status: 'done',
      attempts: 2,
      lease_open: null,
      processed: true,
      ttl_days: 7,
    });
  });
});
