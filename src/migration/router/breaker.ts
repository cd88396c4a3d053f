/**
 * A circuit breaker per store for shadow copies. While the shadow store is down, every inline copy
 * would wait for its time limit (a store that drops packets, or a Redis client queueing commands while
 * it reconnects, does not fail fast), so writes would slow to one per timeout. After `threshold`
 * consecutive failures the breaker opens: copies are journaled at once, without trying. After
 * `cooldownMs` one copy is let through as a probe; its success closes the breaker.
 */
import type { StoreName } from './stages.js';

export interface BreakerOptions {
  /** Consecutive failures that open the breaker. Default 3. */
  threshold: number;
  /** How long it stays open before one probe. Default 1000 ms. */
  cooldownMs: number;
}

export interface Breaker {
  /** True when a copy to `store` may be tried now (closed, or the one probe of a half-open breaker). */
  allow(store: StoreName): boolean;
  success(store: StoreName): void;
  failure(store: StoreName): void;
  isOpen(store: StoreName): boolean;
}

export function createBreaker(opts: BreakerOptions, now: () => number = Date.now): Breaker {
  const state = new Map<StoreName, { failures: number; openUntil: number; probing: boolean }>();
  const get = (store: StoreName) => {
    const s = state.get(store) ?? { failures: 0, openUntil: 0, probing: false };
    state.set(store, s);
    return s;
  };
  return {
    allow(store) {
      const s = get(store);
      if (s.failures < opts.threshold) return true;
      if (now() < s.openUntil || s.probing) return false;
      s.probing = true;
      return true;
    },
    success(store) {
      const s = get(store);
      s.failures = 0;
      s.probing = false;
    },
    failure(store) {
      const s = get(store);
      s.failures++;
      s.probing = false;
      if (s.failures >= opts.threshold) s.openUntil = now() + opts.cooldownMs;
    },
    isOpen: (store) => get(store).failures >= opts.threshold,
  };
}
