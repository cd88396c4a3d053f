/**
 * Webhook deduplication: claim an event id BEFORE processing it, mark it done after. The legacy
 * store only wrote `webhook:event:{id}` = `true` at the END of the handler, so two deliveries racing
 * through it both ran (duplicate stock decrements and points). Two implementations share this
 * contract: Redis (`webhook-dedup-redis.ts`, on the legacy key) and Postgres
 * (`webhook-dedup-postgres.ts`, table `webhook_events`).
 */

/** Proof of a claim; pass it back to `markDone` or `release`. */
export interface WebhookClaim {
  eventId: string;
  /** Identifies this claim among successive claims of the same event (a lease can be taken over). */
  fence: string;
}

export type ClaimResult =
  | { status: 'claimed'; claim: WebhookClaim }
  /** Done earlier (by this project or by the legacy app): do not process again. */
  | { status: 'already-processed' }
  /** Another worker holds an unexpired lease; retrying after `retryAfterMs` may succeed. */
  | { status: 'in-progress'; retryAfterMs: number };

export interface WebhookDeduplicator {
  /** Atomically claims the event for `leaseMs`; a claim whose lease ran out can be claimed again. */
  claim(eventId: string): Promise<ClaimResult>;
  /**
   * Marks the event processed for `doneTtlMs` (7 days by default). `leaseLost` is true when this claim
   * was no longer the current one (its lease expired and another worker claimed or finished it): the
   * event may then have been processed twice, which is worth logging.
   */
  markDone(claim: WebhookClaim): Promise<{ leaseLost: boolean }>;
  /** Gives the claim up after a failure so a retry can claim at once; false when it was no longer held. */
  release(claim: WebhookClaim): Promise<boolean>;
  /** Whether the event is done (and the done marker has not expired). */
  isProcessed(eventId: string): Promise<boolean>;
}

export interface WebhookDedupOptions {
  /** How long a claim is exclusive; choose it longer than the slowest handler. Default 60 s. */
  leaseMs?: number;
  /** How long the done marker lives. Default 7 days (the legacy TTL). */
  doneTtlMs?: number;
}

export const DEFAULT_WEBHOOK_LEASE_MS = 60_000;
export const DEFAULT_WEBHOOK_DONE_TTL_MS = 604_800_000;

export type RunOnceResult<T> =
  | { status: 'processed'; result: T; leaseLost: boolean }
  | { status: 'already-processed' }
  | { status: 'in-progress'; retryAfterMs: number };

/**
 * Claims, runs `handler`, marks done; on a handler error releases the claim and rethrows (so the
 * provider's retry can process the event). The usual way to use a deduplicator.
 */
export async function runOnce<T>(
  dedup: WebhookDeduplicator,
  eventId: string,
  handler: () => Promise<T>,
): Promise<RunOnceResult<T>> {
  const claimed = await dedup.claim(eventId);
  if (claimed.status !== 'claimed') return claimed;
  let result: T;
  try {
    result = await handler();
  } catch (err) {
    await dedup.release(claimed.claim);
    throw err;
  }
  const { leaseLost } = await dedup.markDone(claimed.claim);
  return { status: 'processed', result, leaseLost };
}
