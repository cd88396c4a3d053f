/**
 * Webhook deduplication on the Postgres table `webhook_events` (event_id PK, status claimed|done,
 * claimed_at, lease_until, processed_at, expires_at, attempts). A claim is one
 * `INSERT … ON CONFLICT DO UPDATE … WHERE <lease expired> RETURNING`: concurrent claimers serialise
 * on the row lock and only the one that inserted (or took over an expired lease) gets a row back.
 * `attempts` is the fence: every claim bumps it, so `markDone`/`release` act only on their own claim.
 * A `done` row whose `expires_at` has passed counts as absent (like the expired Redis marker) until
 * the cleanup job deletes it.
 */
import type { PgHandle } from '../backends/postgres/client.js';
import {
  type ClaimResult,
  DEFAULT_WEBHOOK_DONE_TTL_MS,
  DEFAULT_WEBHOOK_LEASE_MS,
  type WebhookClaim,
  type WebhookDeduplicator,
  type WebhookDedupOptions,
} from './webhook-dedup.js';

const MS = `interval '1 millisecond'`;

const CLAIM_SQL = `
insert into webhook_events as w (event_id, status, claimed_at, lease_until, processed_at, expires_at, attempts)
values ($1, 'claimed', now(), now() + $2::float8 * ${MS}, null, now() + $3::float8 * ${MS}, 1)
on conflict (event_id) do update
  set status = 'claimed', claimed_at = excluded.claimed_at, lease_until = excluded.lease_until,
      processed_at = null, expires_at = excluded.expires_at, attempts = w.attempts + 1
  where (w.status = 'claimed' and w.lease_until <= now())
     or (w.status = 'done' and w.expires_at <= now())
returning attempts`;

const STATE_SQL = `
select status::text as status, expires_at <= now() as expired,
       greatest(0, ceil(extract(epoch from (lease_until - now())) * 1000))::float8 as retry_ms
from webhook_events where event_id = $1`;

const DONE_SQL = `
update webhook_events
   set status = 'done', lease_until = null, processed_at = now(), expires_at = now() + $2::float8 * ${MS}
 where event_id = $1 and status = 'claimed'
returning attempts`;

// Expiring the lease instead of deleting the row keeps the attempt count.
const RELEASE_SQL = `
update webhook_events set lease_until = now()
 where event_id = $1 and status = 'claimed' and attempts = $2
returning 1`;

export function postgresWebhookDeduplicator(
  pg: PgHandle,
  opts: WebhookDedupOptions = {},
): WebhookDeduplicator {
  const leaseMs = Math.max(1, opts.leaseMs ?? DEFAULT_WEBHOOK_LEASE_MS);
  const doneTtlMs = Math.max(1, opts.doneTtlMs ?? DEFAULT_WEBHOOK_DONE_TTL_MS);

  return {
    async claim(eventId): Promise<ClaimResult> {
      // A row can vanish between the two statements (cleanup); one more round then claims it.
      for (let round = 0; round < 3; round++) {
        const [won] = await pg.query<{ attempts: number }>(CLAIM_SQL, [eventId, leaseMs, doneTtlMs]);
        if (won) return { status: 'claimed', claim: { eventId, fence: String(won.attempts) } };
        const [state] = await pg.query<{ status: string; expired: boolean; retry_ms: number }>(STATE_SQL, [
          eventId,
        ]);
        if (!state) continue;
        if (state.status === 'done' && !state.expired) return { status: 'already-processed' };
        if (state.status === 'claimed')
          return { status: 'in-progress', retryAfterMs: Number(state.retry_ms) };
      }
      return { status: 'in-progress', retryAfterMs: 0 };
    },

    async markDone(claim: WebhookClaim) {
      const [row] = await pg.query<{ attempts: number }>(DONE_SQL, [claim.eventId, doneTtlMs]);
      return { leaseLost: !row || String(row.attempts) !== claim.fence };
    },

    async release(claim: WebhookClaim) {
      const rows = await pg.query(RELEASE_SQL, [claim.eventId, Number(claim.fence)]);
      return rows.length === 1;
    },

    async isProcessed(eventId) {
      const rows = await pg.query(
        `select 1 from webhook_events where event_id = $1 and status = 'done' and expires_at > now()`,
        [eventId],
      );
      return rows.length > 0;
    },
  };
}
