/**
 * `npm run legacy:seed -- --scale <N> [--seed <S>] [--prefix <P>] [--now <ISO>] [--edge-rate <r>] [--flush]`
 * Writes a deterministic legacy dataset (legacy-redis-format.md) into REDIS_URL and prints a JSON
 * manifest on stdout; progress goes to stderr.
 * Exit codes: 0 written; 1 refused (bad options, or the prefix holds keys and --flush was not
 * given); 2 fatal error (e.g. Redis unreachable).
 */
import { parseArgs } from 'node:util';
import { openRedis } from '../backends/redis/client.js';
import { loadConfig, redactUrl } from '../config.js';
import {
  InvalidSeedOptionsError,
  PrefixNotEmptyError,
  type SeedOptions,
  seedLegacyDataset,
} from '../legacy/generator/writer.js';
import { isParseArgsError, runCli } from './common.js';

/** This command's user-facing text (candidates for src/cli/messages.ts). */
const text = {
  usage:
    'usage: npm run legacy:seed -- --scale <N> [--seed <S>] [--prefix <P>] [--now <ISO>] [--edge-rate <r>] [--flush]\n' +
    '  --scale      integer ≥ 1; 1 ≈ the real store, 1000 ≈ one million keys (default 1)\n' +
    '  --seed       any string; same seed/scale/prefix/now → identical data (default "1")\n' +
    '  --prefix     key prefix (default KEY_PREFIX, i.e. none: the store layout as is)\n' +
    '  --now        ISO instant the data is generated at, ≥ 2025-12-19 (default: now, floored to the hour)\n' +
    '  --edge-rate  share of each planted §8 edge case, 0 disables them (default 0.02)\n' +
    '  --flush      delete every key under the prefix first (SCAN + DEL, never FLUSHDB)',
  badNumber: (flag: string, value: string) => `${flag} must be a number (got "${value}")`,
  start: (url: string, o: SeedOptions) =>
    `seeding scale ${o.scale} (seed "${o.seed}", now ${o.now}, edge rate ${o.edgeRate}) into ${url} under prefix "${o.prefix}"`,
  notEmpty: (prefix: string) =>
    `refusing to write: prefix "${prefix}" already holds keys. Re-run with --flush to delete them first, or choose another --prefix.`,
  invalid: (detail: string) => `invalid options: ${detail}; see --help`,
  done: (keys: number, edges: number, ms: number) =>
    `wrote ${keys} keys (${edges} planted or natural edge cases) in ${(ms / 1000).toFixed(1)} s`,
};

/** The current UTC time floored to the hour, so live tokens stay live for a while. */
function defaultNow(): string {
  const d = new Date();
  d.setUTCMinutes(0, 0, 0);
  return d.toISOString();
}

function num(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || Number.isNaN(n)) throw new InvalidSeedOptionsError(text.badNumber(flag, value));
  return n;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string' },
      seed: { type: 'string' },
      prefix: { type: 'string' },
      now: { type: 'string' },
      'edge-rate': { type: 'string' },
      flush: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.error(text.usage);
    return 0;
  }
  const config = loadConfig();
  const opts: SeedOptions = {
    scale: num('--scale', values.scale, 1),
    seed: values.seed ?? '1',
    prefix: values.prefix ?? config.keyPrefix,
    now: values.now ?? defaultNow(),
    edgeRate: num('--edge-rate', values['edge-rate'], 0.02),
    flush: values.flush ?? false,
  };
  const client = await openRedis({ url: config.redisUrl });
  try {
    console.error(text.start(redactUrl(config.redisUrl), opts));
    const manifest = await seedLegacyDataset(client, opts, (line) => console.error(line));
    console.error(text.done(manifest.keys, manifest.edgeCases.length, manifest.durationMs));
    // Wait for the pipe to drain: process.exit would cut a large manifest short.
    await new Promise<void>((resolve, reject) =>
      process.stdout.write(`${JSON.stringify(manifest)}\n`, (err) => (err ? reject(err) : resolve())),
    );
    return 0;
  } finally {
    await client.quit();
  }
}

// Refusals exit 1; anything else is fatal (printed redacted by runCli, exit 2).
runCli(main, (err) => {
  if (err instanceof PrefixNotEmptyError) console.error(text.notEmpty(err.prefix));
  else if (err instanceof InvalidSeedOptionsError) console.error(text.invalid(err.message));
  else if (isParseArgsError(err)) console.error(`${err.message}\n${text.usage}`);
  else return undefined;
  return 1;
});
