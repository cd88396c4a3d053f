/** The hot-path benchmark's output: a fixed-width table for people and a JSON document for tools. */
import type { PathResult } from './hot-path-runner.js';

/** A layer path slower than this many times its baseline (p50) is flagged for investigation. */
export const SLOWDOWN_FLAG = 3;

const ms = (x: number) => (x < 10 ? x.toFixed(3) : x.toFixed(1));
const rate = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(1)}k` : x.toFixed(0));
const times = (x: number) => `${x.toFixed(2)}×`;

/** Column headers and cell formatters, in order. */
const COLUMNS: [string, (r: PathResult) => string][] = [
  ['hot path', (r) => r.path],
  ['backend', (r) => r.backend],
  ['n', (r) => String(r.layer.n)],
  ['layer p50 ms', (r) => ms(r.layer.p50Ms)],
  ['p99 ms', (r) => ms(r.layer.p99Ms)],
  ['ops/s', (r) => rate(r.layer.opsPerSec)],
  ['baseline p50 ms', (r) => ms(r.baseline.p50Ms)],
  ['p99 ms', (r) => ms(r.baseline.p99Ms)],
  ['ops/s', (r) => rate(r.baseline.opsPerSec)],
  ['×p50', (r) => `${times(r.slowdownP50)}${r.slowdownP50 > SLOWDOWN_FLAG ? ' !' : ''}`],
  ['×p99', (r) => times(r.slowdownP99)],
  [
    'round trips layer/base',
    (r) => (r.trips ? `${r.trips.layer.roundTrips}/${r.trips.baseline.roundTrips}` : '–'),
  ],
];

/** The results as an aligned text table (text columns left-aligned, numbers right-aligned). */
export function formatTable(results: readonly PathResult[]): string {
  const rows = [COLUMNS.map(([h]) => h), ...results.map((r) => COLUMNS.map(([, cell]) => cell(r)))];
  const widths = COLUMNS.map((_, c) => Math.max(...rows.map((row) => (row[c] as string).length)));
  const line = (row: string[]) =>
    row.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join('\n');
}

/** The statements behind each round-trip count, for `--profile`. */
export function formatProfile(results: readonly PathResult[]): string {
  const out: string[] = [];
  for (const r of results) {
    if (!r.trips) continue;
    for (const side of ['layer', 'baseline'] as const) {
      const t = r.trips[side];
      out.push(
        `${r.backend} ${r.path} ${side}: ${t.roundTrips} round trips, ${t.statements.length} statements`,
      );
      for (const s of t.statements) out.push(`    ${s.length > 160 ? `${s.slice(0, 157)}…` : s}`);
    }
  }
  return out.join('\n');
}

/** Everything a later comparison needs, rounded to microseconds. */
export function toJson(results: readonly PathResult[], meta: Record<string, unknown>): unknown {
  const round = (x: number) => Math.round(x * 1000) / 1000;
  const summary = (s: PathResult['layer']) => ({
    n: s.n,
    p50Ms: round(s.p50Ms),
    p99Ms: round(s.p99Ms),
    meanMs: round(s.meanMs),
    opsPerSec: Math.round(s.opsPerSec),
  });
  return {
    ...meta,
    results: results.map((r) => ({
      path: r.path,
      backend: r.backend,
      layer: summary(r.layer),
      baseline: summary(r.baseline),
      slowdownP50: round(r.slowdownP50),
      slowdownP99: round(r.slowdownP99),
      flagged: r.slowdownP50 > SLOWDOWN_FLAG,
      ...(r.trips ? { trips: r.trips } : {}),
      checked: r.checked,
    })),
  };
}
