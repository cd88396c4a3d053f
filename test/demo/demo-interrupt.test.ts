/**
 * Ctrl-C in the middle of the walk, on the demo's default stores (a fresh embedded PGlite directory,
 * a private redis-server): the traffic stops without failed requests, the stage step in progress
 * finishes, no group of domains is left split across two stages, the result is partial (not OK), and
 * the Redis child is gone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/demo/demo.js';
import { DEFAULT_DEMO_OPTIONS } from '../../src/demo/options.js';
import { findRedisServer, processAlive } from '../../src/demo/redis-child.js';
import type { DemoResult } from '../../src/demo/result.js';
import { renderSummary } from '../../src/demo/summary.js';
import { DECLARATIONS } from '../../src/migration/router/declarations/index.js';
import { buildDomainModel } from '../../src/migration/router/domains.js';

describe('npm run demo, stopped with Ctrl-C', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dcw-demo-'));
  let result: DemoResult;
  let abortedAfter = '';

  beforeAll(async () => {
    const redisServer = findRedisServer();
    if (!redisServer)
      throw new Error('redis-server is not on PATH; install it (apt-get install redis-server)');
    const controller = new AbortController();
    result = await runDemo(
      {
        ...DEFAULT_DEMO_OPTIONS,
        scale: 1,
        rps: 20,
        users: 3,
        stageSeconds: 1,
        minComparisons: 10,
        dataDir: join(dir, 'pglite'),
        stepTimeoutSeconds: 60,
      },
      {
        databaseUrl: undefined,
        redisUrl: undefined,
        keyPrefix: '',
        redisServer,
        env: {},
        router: { pollMs: 100, switchDelayMs: 300 },
        signal: controller.signal,
        progress: (line) => {
          // Ctrl-C while the walk moves the groups to shadow-read, right after the first group moved
          // (the backfill is done by then; its change takes effect after the switch delay).
          if (!abortedAfter && /^ {2}moved .* to shadow-read$/.test(line)) {
            abortedAfter = line.trim();
            controller.abort();
          }
        },
      },
    );
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('returns a partial result: not OK, interrupted, no failed request', () => {
    expect(abortedAfter).not.toBe('');
    expect(result.interrupted).toBe(true);
    expect(result.completed).toBe(false);
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toMatch(/stopped before every domain reached postgres-only/);
    expect(result.traffic.totals.requests).toBeGreaterThan(0);
    expect(result.traffic.totals.failed, renderSummary(result)).toBe(0);
    expect(result.audit?.problemCount).toBe(0);
    expect(renderSummary(result)).toMatch(/^Demo summary \(stopped early: partial\)/);
  });

  it('finishes the step it was in: every group on one stage, the backfilled data verified', () => {
    const model = buildDomainModel(DECLARATIONS);
    for (const group of model.groups) {
      const stages = new Set(group.map((d) => result.stages[d]));
      expect(stages.size, `group ${group.join(', ')}: ${[...stages].join(', ')}`).toBe(1);
    }
    // The group whose change was committed when Ctrl-C came is switched; no other group moved.
    const moved = abortedAfter
      .replace(/^moved /, '')
      .replace(/ to shadow-read$/, '')
      .split('+');
    for (const d of model.domains) {
      expect(result.stages[d], d).toBe(moved.includes(d) ? 'shadow-read' : 'dual-write');
    }
    const first = result.steps[0]!;
    expect(first.stage).toBe('dual-write');
    expect(first.backfill?.migrated).toBeGreaterThan(100);
    expect(first.verify?.clean).toBe(true);
    expect(result.steps.at(-1)!.outcome).toBe('interrupted');
  });

  it('stops its private redis-server', () => {
    expect(result.redisChild).not.toBeNull();
    expect(processAlive(result.redisChild!.pid)).toBe(false);
  });
});
