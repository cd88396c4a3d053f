/** What a demo run returns (and the summary prints). */
import type { Stage } from '../migration/router/stages.js';
import type { AuditResult } from './audit.js';
import type { VerifyOutcome } from './checks.js';
import type { JournalPeak } from './journal-watch.js';
import type { RouteStats, TrafficTotals } from './stats.js';
import type { StepRecord } from './walk.js';

export interface DemoResult {
  /** 0 failed requests, 0 drift, every domain at `postgres-only`, nothing interrupted. */
  ok: boolean;
  /** Why `ok` is false, one line each. */
  problems: string[];
  /** Stopped by the signal (Ctrl-C) before the walk finished. */
  interrupted: boolean;
  /** Every domain reached `postgres-only`. */
  completed: boolean;
  durationMs: number;
  stores: { postgres: string; redis: string; keyPrefix: string };
  dataset: { scale: number; keys: number };
  traffic: {
    users: number;
    rps: number;
    durationMs: number;
    totals: TrafficTotals;
    byRoute: RouteStats[];
    journeys: number;
    /** Writes whose outcome is unknown (5xx or dropped connection). */
    uncertainWrites: number;
    /** Exceptions inside the virtual users (bugs of the demo itself). */
    crashes: string[];
  };
  backoffice: { reads: number; errors: string[] };
  steps: StepRecord[];
  /** The thresholds the guard rails applied to every forward step past `shadow-read`. */
  guard: { minComparisons: number; maxMismatchRate: number };
  /** Shadow reads compared while the traffic ran, and how many differed after the re-check. */
  shadowReads: { compared: number; mismatched: number };
  /** Verify after the traffic stopped, of the domains still writing both stores (null: none were). */
  finalVerify: VerifyOutcome | null;
  /** Every acknowledged write read back from the final store. Null when the run stopped before traffic. */
  audit: AuditResult | null;
  journal: { peakTotal: number; peakAt: Date | null; peaks: JournalPeak[]; unreadablePolls: number };
  /** The stage of every domain at the end. */
  stages: Record<string, Stage>;
  dashboard: { url: string; token: string } | null;
  /** The private redis-server, when one was started (it is stopped when the run returns). */
  redisChild: { pid: number; port: number } | null;
}
