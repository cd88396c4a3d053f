/**
 * The write fence around a change of source of truth (`postgres-read` ⇄ `postgres`). Every process
 * switches at the change's `effectiveAt`; for `quiesceMs` after it, writes of the group wait, and
 * before the first write under the new stage, the writes this process started under the old one
 * (with their shadow copies) must have finished. Without it, one process could still be writing
 * Redis-then-Postgres while another writes Postgres-then-Redis, and two read-modify-writes of one
 * record on different primaries would lose one of them.
 */
import type { StageView } from '../stage-store/poller.js';
import { flipsPrimary, type Stage } from './stages.js';

export interface FenceTicket {
  stage: Stage;
  release(): void;
}

export interface Fence {
  /** Waits while the group's primary is switching, then registers a write under the current stage. */
  enter(domain: string): Promise<FenceTicket>;
  /** Writes running now (tests, shutdown). */
  inFlight(): number;
}

export function createFence(opts: {
  view: StageView;
  groupOf: (domain: string) => readonly string[];
  quiesceMs: number;
  now?: () => number;
}): Fence {
  const now = opts.now ?? Date.now;
  const running = new Map<string, Set<{ stage: Stage; done: Promise<void> }>>();

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  return {
    async enter(domain) {
      const group = opts.groupOf(domain)[0] ?? domain;
      for (;;) {
        const t = opts.view.transitionOf(domain);
        if (t && flipsPrimary(t.from, t.to)) {
          const wait = t.effectiveAt.getTime() + opts.quiesceMs - now();
          if (now() >= t.effectiveAt.getTime() && wait > 0) {
            await sleep(wait);
            continue;
          }
        }
        const stage = opts.view.stageOf(domain);
        const set = running.get(group) ?? new Set();
        running.set(group, set);
        const older = [...set].filter((w) => w.stage !== stage).map((w) => w.done);
        if (older.length > 0) {
          await Promise.all(older);
          continue;
        }
        let release!: () => void;
        const entry = { stage, done: new Promise<void>((resolve) => (release = resolve)) };
        set.add(entry);
        return {
          stage,
          release: () => {
            set.delete(entry);
            release();
          },
        };
      }
    },
    inFlight: () => [...running.values()].reduce((n, s) => n + s.size, 0),
  };
}
