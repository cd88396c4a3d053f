import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/domain/errors.js';
import type { WebhookClaimOutcome } from '../../src/domain/webhook-event.js';
import { outcomes, together, useLayers } from './fixtures/concurrency.js';
import { rawFor, runContract } from './harness.js';
import { webhookEventsRaw } from './raw/webhook-events.js';

const eventId = () => `evt_${randomUUID().replaceAll('-', '')}`;
const WEEK = 604_800;

function claimOf(outcome: WebhookClaimOutcome) {
  if (outcome.status !== 'claimed') throw new Error(`expected a claim, got ${outcome.status}`);
  return outcome.claim;
}

runContract('webhook events', (ctx) => {
  const repo = () => ctx().layer.webhookEvents;
  const raw = () => rawFor(ctx(), webhookEventsRaw);
  const layers = useLayers(ctx, 5);

  describe('claim and mark done', () => {
    it('claims once, refuses a second delivery while in progress, and skips it for a week once done', async () => {
      const id = eventId();
      const claim = claimOf(await repo().claim(id));
      expect(await raw().state(id)).toBe('claimed');
      const second = await repo().claim(id);
      expect(second.status).toBe('in-progress');
      expect(await repo().isProcessed(id)).toBe(false);
      expect(await repo().markDone(claim)).toEqual({ leaseLost: false });
      expect(await raw().state(id)).toBe('done');
      expect(await raw().ttlSeconds(id)).toBeGreaterThan(WEEK - 60);
      expect(await repo().claim(id)).toEqual({ status: 'already-processed' });
      expect(await repo().isProcessed(id)).toBe(true);
    });

    it('an event the live store already processed is never claimed', async () => {
      const id = eventId();
      await raw().seedDone(id);
      expect(await repo().claim(id)).toEqual({ status: 'already-processed' });
      expect(await repo().isProcessed(id)).toBe(true);
      expect(await raw().state(id)).toBe('done');
    });

    it('a released claim can be claimed again at once', async () => {
      const id = eventId();
      const claim = claimOf(await repo().claim(id));
      expect(await repo().release(claim)).toBe(true);
      const again = claimOf(await repo().claim(id));
      expect(again.fence).not.toBe(claim.fence);
      // The first claim is no longer held: marking it done reports the lost lease.
      expect(await repo().markDone(claim)).toEqual({ leaseLost: true });
    });

    it('an empty or oversized event id is a ValidationError and leaves no marker', async () => {
      await expect(repo().claim('')).rejects.toBeInstanceOf(ValidationError);
      const long = `evt_${'x'.repeat(300)}`;
      await expect(repo().claim(long)).rejects.toBeInstanceOf(ValidationError);
      expect(await raw().state(long)).toBeNull();
    });
  });

  describe('races', () => {
    it('exactly one of 50 parallel claimers on several connections wins', async () => {
      const id = eventId();
      const { ok, errors } = outcomes(await together(layers(), 50, (layer) => layer.webhookEvents.claim(id)));
      expect(errors).toEqual([]);
      expect(ok.filter((o) => o.status === 'claimed')).toHaveLength(1);
      expect(ok.filter((o) => o.status === 'in-progress')).toHaveLength(49);
    });
  });
});
