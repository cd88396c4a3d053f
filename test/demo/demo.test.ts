/**
 * `runDemo` end to end at a tiny scale: a private redis-server child, this file's Postgres database,
 * real HTTP traffic against the store API while every domain walks to `postgres-only`. What a user
 * of `npm run demo` would check: nothing failed, every verify was clean, the data landed in Postgres
 * (read here straight from the tables, not from the demo's own report), and the Redis child is gone.
 */
import { Socket } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/demo/demo.js';
import { DEFAULT_DEMO_OPTIONS } from '../../src/demo/options.js';
import { findRedisServer, processAlive } from '../../src/demo/redis-child.js';
import type { DemoResult } from '../../src/demo/result.js';
import { renderSummary } from '../../src/demo/summary.js';
import { DECLARATIONS } from '../../src/migration/router/declarations/index.js';
import { usePostgres } from '../support/harness.js';

const pg = usePostgres();

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.connect(port, '127.0.0.1');
  });
}

describe('npm run demo (runDemo)', () => {
  let result: DemoResult;
  let childSeenRunning = false;

  beforeAll(async () => {
    const redisServer = findRedisServer();
    if (!redisServer)
      throw new Error('redis-server is not on PATH; install it (apt-get install redis-server)');
    result = await runDemo(
      {
        ...DEFAULT_DEMO_OPTIONS,
        scale: 1,
        rps: 25,
        users: 3,
        stageSeconds: 0.5,
        minComparisons: 20,
        backofficeRps: 60,
        stepTimeoutSeconds: 60,
      },
      {
        databaseUrl: pg.url,
        redisUrl: undefined,
        keyPrefix: '',
        redisServer,
        env: {},
        router: { pollMs: 100, switchDelayMs: 300 },
        onResult: (r) => {
          childSeenRunning = r.redisChild !== null && processAlive(r.redisChild.pid);
        },
      },
    );
  });

  it('serves every request while the stages change, and ends with every domain on postgres-only', () => {
    expect(result.problems, renderSummary(result)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.traffic.totals.failed).toBe(0);
    expect(result.traffic.byRoute.flatMap((r) => Object.keys(r.reasons))).toEqual([]);
    // Traffic ran during every step, not only before or after the walk.
    expect(result.steps.map((s) => s.stage)).toEqual([
      'dual-write',
      'shadow-read',
      'postgres-read',
      'postgres',
      'postgres-only',
    ]);
    for (const step of result.steps) {
      expect(step.outcome, step.problem).toBe('done');
      expect(step.requests, `requests during ${step.stage}`).toBeGreaterThan(0);
      expect(step.failed).toBe(0);
    }
    expect(Object.keys(result.stages).sort()).toEqual(Object.keys(DECLARATIONS).sort());
    expect(new Set(Object.values(result.stages))).toEqual(new Set(['postgres-only']));
  });

  it('verifies both stores clean after every step that writes both, and the backfill copied the dataset', () => {
    const bothWritten = result.steps.filter((s) => s.stage !== 'postgres-only');
    const copied = result.steps[0]!.backfill!.migrated + result.steps[0]!.backfill!.unchanged;
    expect(copied).toBeGreaterThan(150);
    for (const step of bothWritten) {
      expect(step.verify?.clean, `${step.stage}: ${step.verify?.examples.join(', ')}`).toBe(true);
      // Every record the backfill copied is compared at every step (the traffic only adds records).
      expect(step.verify?.records).toBeGreaterThanOrEqual(copied);
      expect(step.journalLeft).toBe(0);
    }
    expect(result.steps[0]!.backfill!.migrated).toBeGreaterThan(100);
    expect(result.audit!.problemCount).toBe(0);
    expect(result.audit!.ordersChecked).toBeGreaterThan(5);
    expect(result.audit!.refundsChecked).toBeGreaterThan(0);
  });

  it('leaves the stage store, the audit trail and the orders in Postgres', async () => {
    const stages = await pg.handle.query<{ domain: string; stage: string }>(
      'SELECT domain, stage FROM migration_stages ORDER BY domain',
    );
    expect(stages.map((s) => s.domain).sort()).toEqual(Object.keys(DECLARATIONS).sort());
    expect(new Set(stages.map((s) => s.stage))).toEqual(new Set(['postgres-only']));
    const applied = await pg.handle.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM migration_stage_audit WHERE outcome = 'applied' AND changed_by = 'demo'",
    );
    // 13 domains × 5 forward steps, each applied exactly once.
    expect(applied[0]!.n).toBe(Object.keys(DECLARATIONS).length * 5);
    const orders = await pg.handle.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM orders WHERE id LIKE 'web\\_%'",
    );
    expect(orders[0]!.n).toBe(result.audit!.ordersChecked);
  });

  it('stops its private redis-server', async () => {
    expect(result.redisChild).not.toBeNull();
    expect(childSeenRunning).toBe(true);
    expect(processAlive(result.redisChild!.pid)).toBe(false);
    expect(await portOpen(result.redisChild!.port)).toBe(false);
  });
});
