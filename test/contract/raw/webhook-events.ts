/**
 * Raw readers for webhook claims (Redis: the legacy `webhook:event:{id}` value; Postgres: the
 * `webhook_events` row). `seedDone` writes what the live store writes at the end of a webhook.
 */
import { eq, sql } from 'drizzle-orm';
import { webhookEvents } from '../../../src/backends/postgres/schema.js';
import { LEGACY_TTL } from '../../../src/legacy/keys.js';
import type { ContractContext, RawFactory } from '../harness.js';

export interface WebhookEventsRaw {
  /** `done`, `claimed`, or null when the store has no marker. */
  state(eventId: string): Promise<'done' | 'claimed' | null>;
  /** Seconds until the marker expires (Redis TTL; Postgres `expires_at`), null without one. */
  ttlSeconds(eventId: string): Promise<number | null>;
  /** A processed-event marker as the legacy app leaves it (`true`, 7-day TTL). */
  seedDone(eventId: string): Promise<void>;
}

export const webhookEventsRaw: RawFactory<WebhookEventsRaw> = {
  redis(ctx: ContractContext): WebhookEventsRaw {
    const { client, keys } = ctx.redis!;
    return {
      state: async (id) => {
        const v = await client.get(keys.webhookEvent(id));
        return v === null ? null : v === 'true' ? 'done' : 'claimed';
      },
      ttlSeconds: async (id) => {
        const ttl = await client.ttl(keys.webhookEvent(id));
        return ttl < 0 ? null : ttl;
      },
      seedDone: async (id) => {
        await client.set(keys.webhookEvent(id), 'true', {
          expiration: { type: 'EX', value: LEGACY_TTL.webhookEvent },
        });
      },
    };
  },
  postgres(ctx: ContractContext): WebhookEventsRaw {
    const db = ctx.pg!.db;
    const row = async (id: string) =>
      (await db.select().from(webhookEvents).where(eq(webhookEvents.eventId, id)))[0];
    return {
      state: async (id) => (await row(id))?.status ?? null,
      ttlSeconds: async (id) => {
        const r = await row(id);
        return r ? Math.round((r.expiresAt.getTime() - Date.now()) / 1000) : null;
      },
      seedDone: async (id) => {
        await db.insert(webhookEvents).values({
          eventId: id,
          status: 'done',
          leaseUntil: null,
          expiresAt: sql`now() + interval '7 days'`,
        });
      },
    };
  },
};
