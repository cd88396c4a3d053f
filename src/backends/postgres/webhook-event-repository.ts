/**
 * Webhook claims in `webhook_events` (claimed with a lease, then done; expires like the legacy 7-day
 * marker). The claim logic lives in `src/ephemeral/webhook-dedup-postgres.ts`; this is the repository
 * face of it.
 */
import type { WebhookEventRepository } from '../../domain/webhook-event.js';
import { requireText } from '../../domain/field-rules.js';
import { postgresWebhookDeduplicator } from '../../ephemeral/webhook-dedup-postgres.js';
import type { WebhookDedupOptions } from '../../ephemeral/webhook-dedup.js';
import type { PgDeps } from './index.js';

export function createPostgresWebhookEventRepository(
  deps: PgDeps,
  opts: WebhookDedupOptions = {},
): WebhookEventRepository {
  const dedup = postgresWebhookDeduplicator(deps.pg, opts);
  return {
    claim: async (eventId) => dedup.claim(requireText('eventId', eventId, { max: 255 })),
    markDone: (claim) => dedup.markDone(claim),
    release: (claim) => dedup.release(claim),
    isProcessed: (eventId) => dedup.isProcessed(eventId),
  };
}
