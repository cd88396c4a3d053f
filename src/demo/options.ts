/**
 * The demo's options: defaults, and the pure parser behind `npm run demo -- …` (argv in, options or
 * a usage error out; nothing is read from the environment here).
 */
import { parseArgs } from 'node:util';

/** What `runDemo` needs; every field has a default (see {@link DEFAULT_DEMO_OPTIONS}). */
export interface DemoOptions {
  /** Legacy dataset scale (1 ≈ the real store; each unit adds ~1,000 keys). */
  scale: number;
  /** Dataset seed (the same seed and scale give the same data). */
  seed: string;
  /** HTTP requests per second, all virtual users together (an upper bound, not a target). */
  rps: number;
  /** Concurrent virtual customers (one admin issuing refunds comes on top). */
  users: number;
  /** Time each stage runs under traffic before it is verified and the next step is tried. */
  stageSeconds: number;
  /** Keep the dashboard up this long after the summary (0 = exit at once). */
  lingerSeconds: number;
  /** PGlite directory when DATABASE_URL is unset; default `.data/demo-<timestamp>`. */
  dataDir: string | undefined;
  /** Port of the dashboard and store API on 127.0.0.1 (0 = any free port). */
  port: number;
  /**
   * Shadow-read comparisons a domain needs in its stage before a forward step past `shadow-read`
   * (the router's guard rail). Default MIGRATION_MIN_SHADOW_COMPARISONS, else 100.
   */
  minComparisons: number | undefined;
  /**
   * Highest shadow-read mismatch rate a forward step accepts. Default MIGRATION_MAX_MISMATCH_RATE,
   * else {@link DEMO_MAX_MISMATCH_RATE} (production: 0.001; see there why the demo differs).
   */
  maxMismatchRate: number | undefined;
  /** In-process back-office reads per second (catalogue, purchases, tokens… pages the API lacks). */
  backofficeRps: number;
  /** Give up on a step whose evidence does not arrive within this many seconds. */
  stepTimeoutSeconds: number;
}

/**
 * The demo's default mismatch-rate limit (production default 0.001). Its customers buy the same few
 * dozen products several times a second; a read compared while a purchase is between the two stores
 * (the shadow copy has not landed yet) counts as a mismatch although the stores agree a moment later,
 * and a product listing compares every product at once. Verify after every step is the drift check.
 */
export const DEMO_MAX_MISMATCH_RATE = 0.02;

export const DEFAULT_DEMO_OPTIONS: DemoOptions = {
  scale: 2,
  seed: 'demo',
  rps: 20,
  users: 4,
  stageSeconds: 4,
  lingerSeconds: 0,
  dataDir: undefined,
  port: 0,
  minComparisons: undefined,
  maxMismatchRate: undefined,
  backofficeRps: 60,
  stepTimeoutSeconds: 120,
};

export const DEMO_USAGE = [
  'usage: npm run demo -- [--scale <n>] [--rps <n>] [--users <n>] [--stage-seconds <s>] [--linger <s>]',
  '                       [--data-dir <dir>] [--port <n>] [--seed <s>] [--min-comparisons <n>] [--max-mismatch-rate <r>]',
  '',
  'A live zero-downtime migration under traffic: seeds a legacy Redis dataset, serves the store API and',
  'the dashboard, keeps virtual customers shopping, and walks every domain from Redis to postgres-only',
  '(dual-write → backfill → verify → shadow-read → postgres-read → postgres → postgres-only), verifying',
  'after every step. Prints a summary; exit 0 only with 0 failed requests and 0 drift.',
  '',
  `  --scale <n>            dataset scale, integer ≥ 1 (default ${DEFAULT_DEMO_OPTIONS.scale})`,
  `  --rps <n>              HTTP requests per second, all users together (default ${DEFAULT_DEMO_OPTIONS.rps})`,
  `  --users <n>            concurrent virtual customers, plus one admin (default ${DEFAULT_DEMO_OPTIONS.users})`,
  `  --stage-seconds <s>    time in each stage under traffic before verify and the next step (default ${DEFAULT_DEMO_OPTIONS.stageSeconds})`,
  '  --linger <s>           keep the dashboard up this long after the summary (default 0; Ctrl-C ends it)',
  '  --data-dir <dir>       PGlite directory when DATABASE_URL is unset (default .data/demo-<timestamp>)',
  '  --port <n>             port of the dashboard and store API on 127.0.0.1 (default: any free port)',
  `  --seed <s>             dataset seed (default "${DEFAULT_DEMO_OPTIONS.seed}")`,
  '  --min-comparisons <n>  shadow reads a domain needs before a step past shadow-read',
  '                         (default MIGRATION_MIN_SHADOW_COMPARISONS, else 100)',
  '  --max-mismatch-rate <r> highest shadow-read mismatch rate a step past shadow-read accepts',
  `                         (default MIGRATION_MAX_MISMATCH_RATE, else ${DEMO_MAX_MISMATCH_RATE}; production 0.001)`,
  '',
  'Stores: DATABASE_URL (default: embedded PGlite) and REDIS_URL (default: a private redis-server child',
  'on a free port when the binary exists, else redis://127.0.0.1:6379 under a unique key prefix).',
  'Ctrl-C stops the traffic, finishes the stage step in progress, and prints the partial summary.',
  'exit codes: 0 migrated with 0 failed requests and 0 drift; 1 failed requests, drift, or stopped',
  'early; 2 bad arguments or a store that cannot be reached',
].join('\n');

/** A bad option: the message names it and says what is allowed. */
export class DemoUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoUsageError';
  }
}

function numberOption(
  flag: string,
  raw: string | undefined,
  fallback: number,
  rule: { integer?: boolean; min: number; max?: number },
): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  const ok =
    raw.trim() !== '' &&
    Number.isFinite(n) &&
    (!rule.integer || Number.isInteger(n)) &&
    n >= rule.min &&
    (rule.max === undefined || n <= rule.max);
  if (!ok) {
    const kind = rule.integer ? 'a whole number' : 'a number';
    const range = rule.max === undefined ? `≥ ${rule.min}` : `between ${rule.min} and ${rule.max}`;
    throw new DemoUsageError(`${flag} must be ${kind} ${range}, got "${raw}"`);
  }
  return n;
}

/** Parses `npm run demo` arguments; `'help'` when help was asked for. Throws {@link DemoUsageError}. */
export function parseDemoArgs(argv: readonly string[]): DemoOptions | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        scale: { type: 'string' },
        seed: { type: 'string' },
        rps: { type: 'string' },
        users: { type: 'string' },
        'stage-seconds': { type: 'string' },
        linger: { type: 'string' },
        'data-dir': { type: 'string' },
        port: { type: 'string' },
        'min-comparisons': { type: 'string' },
        'max-mismatch-rate': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new DemoUsageError((err as Error).message);
  }
  if (values.help) return 'help';
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const d = DEFAULT_DEMO_OPTIONS;
  const seed = str('seed');
  if (seed !== undefined && seed.trim() === '') throw new DemoUsageError('--seed must not be empty');
  const dataDir = str('data-dir');
  if (dataDir !== undefined && dataDir.trim() === '')
    throw new DemoUsageError('--data-dir must not be empty');
  const minComparisons = str('min-comparisons');
  const maxRate = str('max-mismatch-rate');
  return {
    ...d,
    scale: numberOption('--scale', str('scale'), d.scale, { integer: true, min: 1, max: 10_000 }),
    seed: seed ?? d.seed,
    rps: numberOption('--rps', str('rps'), d.rps, { min: 1, max: 1000 }),
    users: numberOption('--users', str('users'), d.users, { integer: true, min: 1, max: 200 }),
    stageSeconds: numberOption('--stage-seconds', str('stage-seconds'), d.stageSeconds, {
      min: 0,
      max: 3600,
    }),
    lingerSeconds: numberOption('--linger', str('linger'), d.lingerSeconds, { min: 0, max: 86_400 }),
    dataDir: dataDir ?? d.dataDir,
    port: numberOption('--port', str('port'), d.port, { integer: true, min: 0, max: 65_535 }),
    minComparisons:
      minComparisons === undefined
        ? undefined
        : numberOption('--min-comparisons', minComparisons, 0, { integer: true, min: 0, max: 1_000_000 }),
    maxMismatchRate:
      maxRate === undefined ? undefined : numberOption('--max-mismatch-rate', maxRate, 0, { min: 0, max: 1 }),
  };
}
