/**
 * Payment-provider webhook events, claimed before processing. Legacy Redis only marked an event
 * done at the end (`webhook:event:{id}` = `true`, TTL 7 d), so two deliveries racing through the
 * handler both ran (§7.1). Here a worker first INSERTs a `claimed` row with a lease; a second
 * delivery sees the claim and backs off until `lease_until` passes (a crashed worker's claim can be
 * taken over, bumping `attempts`); on success the row becomes `done`. Rows expire like the TTL did.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { tstz } from './columns.js';
import { webhookEventStatus } from './enums.js';

export const webhookEvents = pgTable(
  'webhook_events',
  {
    /** The provider's event id (Stripe `evt_…`). */
    eventId: text('event_id').primaryKey(),
    status: webhookEventStatus('status').notNull().default('claimed'),
    claimedAt: tstz('claimed_at').notNull().defaultNow(),
    /** Until when the current claim is exclusive; NULL once done. */
    leaseUntil: tstz('lease_until'),
    /** Set when `done`. Unknown for markers migrated from Redis (their TTL is all that is left). */
    processedAt: tstz('processed_at'),
    /** When the row may be purged (the legacy 7-day TTL). */
    expiresAt: tstz('expires_at').notNull().default(sql`now() + interval '7 days'`),
    /** How many times the event was claimed (1 on the first claim). */
    attempts: integer('attempts').notNull().default(1),
  },
  (t) => [
    index('webhook_events_expires_at_idx').on(t.expiresAt),
    check('webhook_events_attempts_check', sql`${t.attempts} >= 0`),
    check('webhook_events_lease_check', sql`${t.status} <> 'claimed' OR ${t.leaseUntil} IS NOT NULL`),
  ],
);

export type WebhookEventRow = typeof webhookEvents.$inferSelect;
export type NewWebhookEventRow = typeof webhookEvents.$inferInsert;
