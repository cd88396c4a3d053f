import { describe, expect, it } from 'vitest';
import { formatTable, toJson } from '../../bench/lib/hot-path-report.js';
import type { PathResult } from '../../bench/lib/hot-path-runner.js';
import { percentile, slowdown, summarize } from '../../bench/lib/stats.js';

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('is a sample that happened: p50 of 1..100 is 50, p99 is 99, p100 the maximum', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
  });

  it('p99 of fewer than 100 samples is the slowest one', () => {
    expect(percentile([1, 2, 3, 40], 99)).toBe(40);
  });

  it('refuses no samples and percentiles outside (0, 100]', () => {
    expect(() => percentile([], 50)).toThrow(RangeError);
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('sorts the samples itself and derives ops/s from the mean', () => {
    const s = summarize([4, 1, 3, 2]);
    expect(s).toMatchObject({ n: 4, p50Ms: 2, p99Ms: 4, meanMs: 2.5 });
    expect(s.opsPerSec).toBeCloseTo(400);
  });

  it('slowdown is measured / baseline', () => {
    expect(slowdown(3, 1.5)).toBe(2);
  });
});

function result(path: PathResult['path'], layerP50: number, baselineP50: number): PathResult {
  const summary = (p50: number) => ({
    n: 10,
    p50Ms: p50,
    p99Ms: p50 * 2,
    meanMs: p50,
    opsPerSec: 1000 / p50,
  });
  return {
    path,
    backend: 'postgres',
    layer: summary(layerP50),
    baseline: summary(baselineP50),
    slowdownP50: layerP50 / baselineP50,
    slowdownP99: layerP50 / baselineP50,
    trips: { layer: { roundTrips: 7, statements: [] }, baseline: { roundTrips: 2, statements: [] } },
    checked: 'x',
  };
}

describe('report', () => {
  const results = [result('user-by-email', 0.2, 0.1), result('checkout', 8, 2)];

  it('prints one aligned row per result and flags only a layer more than 3× its baseline', () => {
    const lines = formatTable(results).split('\n');
    expect(lines).toHaveLength(4);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
    const [, , fast, slow] = lines;
    expect(fast).toContain('2.00×');
    expect(fast).not.toContain('!');
    expect(slow).toContain('4.00× !');
    expect(slow).toContain('7/2');
  });

  it('JSON keeps every measurement and marks the flagged paths', () => {
    const json = toJson(results, { iterations: 10 }) as {
      iterations: number;
      results: { flagged: boolean }[];
    };
    expect(json.iterations).toBe(10);
    expect(json.results.map((r) => r.flagged)).toEqual([false, true]);
  });
});
