/**
 * Webhook claims on the legacy key `webhook:event:{id}` (`true` = done, as the store writes it), so
 * the live store and this project skip each other's events. The claim logic lives in
 * `src/ephemeral/webhook-dedup-redis.ts`; this is the repository face of it.
 */
import type { WebhookEventRepository } from '../../domain/webhook-event.js';
import { requireText } from '../../domain/field-rules.js';
import { redisWebhookDeduplicator } from '../../ephemeral/webhook-dedup-redis.js';
import type { WebhookDedupOptions } from '../../ephemeral/webhook-dedup.js';
import type { RedisDeps } from './index.js';

export function createRedisWebhookEventRepository(
  deps: RedisDeps,
  opts: WebhookDedupOptions = {},
): WebhookEventRepository {
  const dedup = redisWebhookDeduplicator(deps.client, { ...opts, prefix: deps.keys.prefix });
  return {
    claim: async (eventId) => dedup.claim(requireText('eventId', eventId, { max: 255 })),
    markDone: (claim) => dedup.markDone(claim),
    release: (claim) => dedup.release(claim),
    isProcessed: (eventId) => dedup.isProcessed(eventId),
  };
}
