/**
 * Webhook deduplication on the legacy key `webhook:event:{id}`, so the live store and this project
 * see each other's events during the migration. Values: `true` = done (what the store writes, TTL 7 d;
 * the store only checks EXISTS, so it also skips an event this project has merely claimed, which is
 * what we want); `claimed:{uuid}` = a claim with a lease (PX). Any other value counts as done: an
 * unknown marker must never cause a second run.
 */
import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../backends/redis/client.js';
import { legacyKeys } from '../legacy/keys.js';
import { defineScript, replyArray, replyNumber, replyString, runScript } from './script.js';
import {
  type ClaimResult,
  DEFAULT_WEBHOOK_DONE_TTL_MS,
  DEFAULT_WEBHOOK_LEASE_MS,
  type WebhookClaim,
  type WebhookDeduplicator,
  type WebhookDedupOptions,
} from './webhook-dedup.js';

const CLAIM_PREFIX = 'claimed:';
const DONE = 'true';

// KEYS: marker. ARGV: claim value, lease ms. Returns {'claimed'} | {'done'} | {'busy', pttl}.
const CLAIM = defineScript(
  'webhook-claim',
  `if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {'claimed'} end
local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, ${CLAIM_PREFIX.length}) == '${CLAIM_PREFIX}' then
  return {'busy', redis.call('PTTL', KEYS[1])}
end
return {'done'}`,
);

// KEYS: marker. ARGV: claim value, done ttl ms. Returns 1 when another worker had taken the event over
// (a lapsed lease that nobody reclaimed is not a loss: nobody else can have run the event).
const MARK_DONE = defineScript(
  'webhook-mark-done',
  `local v = redis.call('GET', KEYS[1])
if v == ARGV[1] or not v or string.sub(v, 1, ${CLAIM_PREFIX.length}) == '${CLAIM_PREFIX}' then
  redis.call('SET', KEYS[1], '${DONE}', 'PX', ARGV[2])
end
if v == ARGV[1] or not v then return 0 end
return 1`,
);

// KEYS: marker. ARGV: claim value. Compare-and-delete.
const RELEASE = defineScript(
  'webhook-release',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`,
);

export function redisWebhookDeduplicator(
  client: RedisClient,
  opts: WebhookDedupOptions & { prefix?: string } = {},
): WebhookDeduplicator {
  const keys = legacyKeys(opts.prefix);
  const leaseMs = Math.max(1, Math.round(opts.leaseMs ?? DEFAULT_WEBHOOK_LEASE_MS));
  const doneTtlMs = Math.max(1, Math.round(opts.doneTtlMs ?? DEFAULT_WEBHOOK_DONE_TTL_MS));

  return {
    async claim(eventId): Promise<ClaimResult> {
      const fence = `${CLAIM_PREFIX}${randomUUID()}`;
      const reply = replyArray(
        CLAIM,
        await runScript(client, CLAIM, [keys.webhookEvent(eventId)], [fence, leaseMs]),
      );
      const status = replyString(CLAIM, reply[0]);
      if (status === 'claimed') return { status: 'claimed', claim: { eventId, fence } };
      if (status === 'busy') {
        return { status: 'in-progress', retryAfterMs: Math.max(0, replyNumber(CLAIM, reply[1])) };
      }
      return { status: 'already-processed' };
    },

    async markDone(claim: WebhookClaim) {
      const lost = await runScript(
        client,
        MARK_DONE,
        [keys.webhookEvent(claim.eventId)],
        [claim.fence, doneTtlMs],
      );
      return { leaseLost: replyNumber(MARK_DONE, lost) === 1 };
    },

    async release(claim: WebhookClaim) {
      const n = await runScript(client, RELEASE, [keys.webhookEvent(claim.eventId)], [claim.fence]);
      return replyNumber(RELEASE, n) === 1;
    },

    async isProcessed(eventId) {
      const v = await client.get(keys.webhookEvent(eventId));
      return v !== null && !v.startsWith(CLAIM_PREFIX);
    },
  };
}
