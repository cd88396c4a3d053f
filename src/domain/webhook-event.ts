/**
 * Payment-provider webhook events, claimed before they are processed (legacy `webhook:event:{id}`,
 * §2b #46; Postgres `webhook_events`). Not a migrated record: claims are ephemeral, like the
 * legacy 7-day marker.
 */

/** Proof of a claim; hand it back to `markDone` or `release`. */
export interface WebhookEventClaim {
  eventId: string;
  /** Tells successive claims of one event apart (an expired lease can be taken over). */
  fence: string;
}

export type WebhookClaimOutcome =
  | { status: 'claimed'; claim: WebhookEventClaim }
  /** Done earlier, by this project or by the legacy app (`true` marker): do not process again. */
  | { status: 'already-processed' }
  /** Another worker holds an unexpired claim; retrying after `retryAfterMs` may succeed. */
  | { status: 'in-progress'; retryAfterMs: number };

export interface WebhookEventRepository {
  /**
   * Claims the event atomically: exactly one of any number of concurrent callers gets `claimed`.
   * A claim whose lease ran out (crashed worker) can be claimed again.
   */
  claim(eventId: string): Promise<WebhookClaimOutcome>;
  /**
   * Marks the event processed (kept 7 days, the legacy TTL). `leaseLost` is true when another
   * worker had taken the event over meanwhile (it may have run twice: worth a log line).
   */
  markDone(claim: WebhookEventClaim): Promise<{ leaseLost: boolean }>;
  /** Gives a claim up after a failure so the provider's retry can claim at once; false if no longer held. */
  release(claim: WebhookEventClaim): Promise<boolean>;
  /** True when the event is done (a claim in progress is not). */
  isProcessed(eventId: string): Promise<boolean>;
}
