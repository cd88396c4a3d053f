/**
 * Times the hot paths of one backend: the data layer against its hand-written baseline on the same
 * connection, alternating which of the two goes first on every iteration so machine noise (GC, other
 * processes, the server's own work) falls on both alike.
 */
import type { HotPathData } from './hot-path-data.js';
import { type HotPath, type HotPathOps, HOT_PATHS } from './hot-path-ops.js';
import type { Trips } from './round-trips.js';
import { type LatencySummary, slowdown, summarize } from './stats.js';

/** One backend, ready to be measured. */
export interface BackendUnderTest {
  name: string;
  layer: HotPathOps;
  baseline: HotPathOps;
  data: HotPathData;
  /** Counts what one operation sends; absent for an in-process database (PGlite). */
  countTrips?: (op: () => Promise<unknown>) => Promise<Trips>;
}

export interface RunOptions {
  iterations: number;
  warmup: number;
  /**
   * Stop a path's timed loop early once it has run this long (after at least
   * {@link MIN_ITERATIONS_IN_BUDGET} pairs), so a slow machine still finishes; the result's `n` says
   * how many pairs were measured. Unlimited when absent.
   */
  maxSecondsPerPath?: number;
  paths?: readonly HotPath[];
  /** Makes checkout order ids unique per run. */
  runTag: string;
  log?: (line: string) => void;
}

/** The measurement of one hot path on one backend. */
export interface PathResult {
  path: HotPath;
  backend: string;
  layer: LatencySummary;
  baseline: LatencySummary;
  /** layer p50 / baseline p50 (2 = the layer takes twice as long). */
  slowdownP50: number;
  slowdownP99: number;
  /** What one call sent, when the backend is reached over the network. */
  trips?: { layer: Trips; baseline: Trips };
  /** The fingerprint both sides produced in the equivalence check. */
  checked: string;
}

/** Thrown when a baseline does not do the same work as the layer, which would make its ratio meaningless. */
export class BaselineMismatchError extends Error {
  constructor(backend: string, path: HotPath, layer: string, baseline: string) {
    super(`${backend} ${path}: the layer saw "${layer}" but the baseline "${baseline}"`);
    this.name = 'BaselineMismatchError';
  }
}

type Side = 'layer' | 'baseline';

/** Pairs a path always measures before its time budget may end it. */
export const MIN_ITERATIONS_IN_BUDGET = 50;

/** The call of `path` for iteration `i` on one side. */
function caller(
  b: BackendUnderTest,
  path: HotPath,
  runTag: string,
): (side: Side, i: number) => Promise<string> {
  const { data } = b;
  let seq = 0;
  return (side, i) => {
    const ops = side === 'layer' ? b.layer : b.baseline;
    switch (path) {
      case 'user-by-email':
        return ops.userByEmail(data.emails[i % data.emails.length] as string);
      case 'order-with-items':
        return ops.orderWithItems(data.orderIds[i % data.orderIds.length] as string);
      case 'product-list':
        return ops.productList();
      case 'checkout':
        return ops.checkout(`cs_test_hp-${runTag}-${side[0]}${seq++}`, data.checkout[side]);
    }
  };
}

async function timed(call: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await call();
  return performance.now() - t0;
}

/** Measures one path: equivalence check, warm-up, then `iterations` alternating pairs. */
export async function benchPath(b: BackendUnderTest, path: HotPath, opts: RunOptions): Promise<PathResult> {
  const call = caller(b, path, opts.runTag);
  // Product-list fingerprints include stock, so both sides read before either side writes.
  const layerSaw = await call('layer', 0);
  const baselineSaw = await call('baseline', 0);
  if (layerSaw !== baselineSaw) throw new BaselineMismatchError(b.name, path, layerSaw, baselineSaw);

  for (let i = 0; i < opts.warmup; i++) {
    await call('layer', i);
    await call('baseline', i);
  }
  const samples: Record<Side, number[]> = { layer: [], baseline: [] };
  const deadline = performance.now() + (opts.maxSecondsPerPath ?? Number.POSITIVE_INFINITY) * 1000;
  for (let i = 0; i < opts.iterations; i++) {
    if (i >= MIN_ITERATIONS_IN_BUDGET && performance.now() > deadline) break;
    const order: Side[] = i % 2 === 0 ? ['layer', 'baseline'] : ['baseline', 'layer'];
    for (const side of order) samples[side].push(await timed(() => call(side, i)));
  }
  const layer = summarize(samples.layer);
  const baseline = summarize(samples.baseline);
  const trips = b.countTrips && {
    layer: await b.countTrips(() => call('layer', 0)),
    baseline: await b.countTrips(() => call('baseline', 0)),
  };
  return {
    path,
    backend: b.name,
    layer,
    baseline,
    slowdownP50: slowdown(layer.p50Ms, baseline.p50Ms),
    slowdownP99: slowdown(layer.p99Ms, baseline.p99Ms),
    ...(trips ? { trips } : {}),
    checked: layerSaw,
  };
}

/** Measures every requested path of one backend, in {@link HOT_PATHS} order. */
export async function benchBackend(b: BackendUnderTest, opts: RunOptions): Promise<PathResult[]> {
  const results: PathResult[] = [];
  for (const path of HOT_PATHS.filter((p) => !opts.paths || opts.paths.includes(p))) {
    const t0 = performance.now();
    results.push(await benchPath(b, path, opts));
    opts.log?.(`  ${b.name} ${path}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  return results;
}
