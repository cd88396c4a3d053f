/**
 * The two small state machines of the write path, with a controlled clock: the circuit breaker of
 * shadow copies and the fence around a change of source of truth.
 */
import { describe, expect, it } from 'vitest';
import { createBreaker } from '../../src/migration/router/breaker.js';
import { createFence } from '../../src/migration/router/fence.js';
import type { Stage } from '../../src/migration/router/stages.js';
import type { StageView } from '../../src/migration/stage-store/poller.js';

describe('shadow-copy circuit breaker', () => {
  it('stops trying after 3 failures in a row, lets one probe through per cooldown, closes on success', () => {
    let t = 0;
    const b = createBreaker({ threshold: 3, cooldownMs: 1000 }, () => t);
    for (let i = 0; i < 3; i++) {
      expect(b.allow('postgres')).toBe(true);
      b.failure('postgres');
    }
    expect(b.allow('postgres')).toBe(false);
    expect(b.allow('redis')).toBe(true); // per store
    t = 1000;
    expect(b.allow('postgres')).toBe(true); // the probe
    expect(b.allow('postgres')).toBe(false); // only one at a time
    b.failure('postgres');
    expect(b.allow('postgres')).toBe(false);
    t = 2000;
    expect(b.allow('postgres')).toBe(true);
    b.success('postgres');
    expect(b.isOpen('postgres')).toBe(false);
    expect(b.allow('postgres')).toBe(true);
  });
});

/** A stage view with one stored change of `orders` at `effectiveAt` (the clock is real time here). */
function viewWith(from: Stage, to: Stage, effectiveAt: number): StageView {
  const stage = () => (Date.now() >= effectiveAt ? to : from);
  return {
    stageOf: stage,
    transitionOf: () => ({ from, to, effectiveAt: new Date(effectiveAt) }),
    describe: () => [],
    health: () => ({ lastOkAt: new Date(), lastError: null, stale: false }),
    refresh: async () => undefined,
    onChange: () => () => undefined,
    start: () => undefined,
    stop: () => undefined,
  };
}

describe('write fence around a change of source of truth', () => {
  it('holds new writes for the quiesce time after the switch, and until writes under the old stage are done', async () => {
    const effectiveAt = Date.now() + 100;
    const fence = createFence({
      view: viewWith('postgres-read', 'postgres', effectiveAt),
      groupOf: () => ['orders'],
      quiesceMs: 200,
    });
    const old = await fence.enter('orders');
    expect(old.stage).toBe('postgres-read');
    await new Promise((r) => setTimeout(r, 120)); // past the switch, inside the quiesce window
    const started = Date.now();
    let entered = 0;
    const next = fence.enter('orders').then((t) => {
      entered = Date.now();
      return t;
    });
    await new Promise((r) => setTimeout(r, 300)); // quiesce is over, but the old write still runs
    expect(entered).toBe(0);
    old.release();
    const ticket = await next;
    expect(ticket.stage).toBe('postgres');
    expect(entered - started).toBeGreaterThanOrEqual(250);
    ticket.release();
    expect(fence.inFlight()).toBe(0);
  });

  it('does not hold writes when the source of truth stays the same', async () => {
    const fence = createFence({
      view: viewWith('dual-write', 'shadow-read', Date.now() - 10),
      groupOf: () => ['orders'],
      quiesceMs: 10_000,
    });
    const t0 = Date.now();
    const ticket = await fence.enter('orders');
    expect(Date.now() - t0).toBeLessThan(50);
    expect(ticket.stage).toBe('shadow-read');
    ticket.release();
  });
});
