/**
 * The parts of `npm run demo` a user meets before any store is touched: the options (defaults, every
 * flag, messages for bad values), the request budget that bounds the traffic, and how the summary
 * reports failed requests.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_DEMO_OPTIONS, DemoUsageError, parseDemoArgs } from '../../src/demo/options.js';
import { RequestPacer } from '../../src/demo/pacer.js';
import type { DemoResult } from '../../src/demo/result.js';
import { TrafficStats } from '../../src/demo/stats.js';
import { renderSummary } from '../../src/demo/summary.js';

describe('demo options', () => {
  it('uses the documented defaults when no flag is given', () => {
    expect(parseDemoArgs([])).toEqual(DEFAULT_DEMO_OPTIONS);
    expect(DEFAULT_DEMO_OPTIONS).toMatchObject({ scale: 2, lingerSeconds: 0, dataDir: undefined, port: 0 });
  });

  it('reads every flag', () => {
    const o = parseDemoArgs([
      '--scale',
      '3',
      '--rps',
      '7.5',
      '--users',
      '2',
      '--stage-seconds',
      '0.5',
      '--linger',
      '60',
      '--data-dir',
      '/tmp/x',
      '--port',
      '9000',
      '--seed',
      's1',
      '--min-comparisons',
      '25',
      '--max-mismatch-rate',
      '0.005',
    ]);
    expect(o).toEqual({
      ...DEFAULT_DEMO_OPTIONS,
      scale: 3,
      rps: 7.5,
      users: 2,
      stageSeconds: 0.5,
      lingerSeconds: 60,
      dataDir: '/tmp/x',
      port: 9000,
      seed: 's1',
      minComparisons: 25,
      maxMismatchRate: 0.005,
    });
    expect(parseDemoArgs(['--help'])).toBe('help');
  });

  it.each([
    [['--scale', '0'], '--scale must be a whole number between 1 and 10000, got "0"'],
    [['--scale', '1.5'], '--scale must be a whole number between 1 and 10000, got "1.5"'],
    [['--rps', 'fast'], '--rps must be a number between 1 and 1000, got "fast"'],
    [['--users=-1'], '--users must be a whole number between 1 and 200, got "-1"'],
    [['--linger', ''], '--linger must be a number between 0 and 86400, got ""'],
    [['--port', '70000'], '--port must be a whole number between 0 and 65535, got "70000"'],
    [['--data-dir', ' '], '--data-dir must not be empty'],
  ])('refuses %j with a message naming the flag', (argv, message) => {
    expect(() => parseDemoArgs(argv)).toThrow(new DemoUsageError(message));
  });

  it('refuses unknown flags and stray arguments', () => {
    expect(() => parseDemoArgs(['--fast'])).toThrow(DemoUsageError);
    expect(() => parseDemoArgs(['now'])).toThrow(DemoUsageError);
  });
});

describe('request budget', () => {
  it('starts no more than rps requests per second, evenly spaced, and releases waiters on stop', async () => {
    const pacer = new RequestPacer(50);
    const started: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let i = 0; i < 5; i++) if (await pacer.acquire()) started.push(performance.now() - t0);
      }),
    );
    // 20 requests at 50/s: request k starts no sooner than k × 20 ms (the last one ~380 ms in).
    expect(started).toHaveLength(20);
    const sorted = [...started].sort((a, b) => a - b);
    for (const [k, at] of sorted.entries()) expect(at, `request ${k}`).toBeGreaterThanOrEqual(k * 20 - 2);

    const slow = new RequestPacer(1);
    await slow.acquire();
    const waiting = slow.acquire();
    slow.stop();
    expect(await waiting).toBe(false);
    expect(await slow.acquire()).toBe(false);
  });
});

describe('summary', () => {
  it('lists failed requests by route and reason and says the run is not OK', () => {
    const stats = new TrafficStats();
    stats.record('POST /api/checkout', 120, null);
    stats.record('POST /api/checkout', 90, 'HTTP 503 UNAVAILABLE');
    stats.record('GET /api/orders', 15, null);
    stats.reclassify('GET /api/orders', 'wrong answer: order web_1 missing from the history');
    const result: DemoResult = {
      ok: false,
      problems: ['2 failed request(s)'],
      interrupted: false,
      completed: true,
      durationMs: 61_000,
      stores: {
        postgres: 'pglite:.data/demo-x',
        redis: 'private redis-server on redis://127.0.0.1:1',
        keyPrefix: '',
      },
      dataset: { scale: 2, keys: 1222 },
      traffic: {
        users: 4,
        rps: 20,
        durationMs: 60_000,
        totals: stats.totals(),
        byRoute: stats.byRoute(),
        journeys: 1,
        uncertainWrites: 1,
        crashes: [],
      },
      backoffice: { reads: 10, errors: [] },
      steps: [],
      guard: { minComparisons: 100, maxMismatchRate: 0.001 },
      shadowReads: { compared: 0, mismatched: 0 },
      finalVerify: null,
      audit: null,
      journal: { peakTotal: 0, peakAt: null, peaks: [], unreadablePolls: 0 },
      stages: { users: 'postgres-only', orders: 'postgres-only' },
      dashboard: { url: 'http://127.0.0.1:1/ops/', token: 't0k3n' },
      redisChild: null,
    };
    const text = renderSummary(result);
    expect(text).toContain('Requests served: 3 · failed: 2');
    expect(text).toContain('  POST /api/checkout: HTTP 503 UNAVAILABLE ×1');
    expect(text).toContain('  GET /api/orders: wrong answer: order web_1 missing from the history ×1');
    expect(text).toContain('Final stages: every domain at postgres-only');
    expect(text).toContain('Dashboard: http://127.0.0.1:1/ops/  (token: t0k3n)');
    expect(text.trimEnd().split('\n').at(-1)).toBe('Result: NOT OK: 2 failed request(s)');
  });
});
