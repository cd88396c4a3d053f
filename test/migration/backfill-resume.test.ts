/**
 * `kill -9` at random moments: the CLI is spawned as a child process and killed after random delays
 * (at least 10 times), then left to finish. The result must be the same rows, row for row, as an
 * uninterrupted run into another database, with no duplicate child rows and the same quarantine.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBackfill } from '../../src/migration/backfill/engine.js';
import type { BackfillReport } from '../../src/migration/backfill/types.js';
import { usePostgres, useRedis } from '../support/harness.js';
import { currentHour, fingerprint, seed, unbalancedEntities } from './backfill-support.js';

const reference = usePostgres();
const interrupted = usePostgres();
const redis = useRedis();

const KILLS = 10;
const CLI = join(import.meta.dirname, '../../src/cli/migrate-backfill.ts');

/** Deterministic delays, so a failure can be replayed. */
function delays(seedValue: number, n: number, maxMs: number): number[] {
  let x = seedValue;
  return Array.from({ length: n }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return 200 + (x % Math.max(maxMs - 200, 1));
  });
}

function startCli(dbUrl: string, args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    env: { ...process.env, DATABASE_URL: dbUrl, KEY_PREFIX: redis.prefix, REDIS_URL: redis.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += String(d);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

describe('backfill killed with SIGKILL and resumed', () => {
  it('ends with exactly the rows of an uninterrupted run', async () => {
    // Tokens stay live for hours, so both runs see the same live/expired split.
    await seed(redis.client, redis.prefix, {
      scale: 3,
      edgeRate: 0.2,
      now: currentHour(2 * 3_600_000),
      seed: 'resume',
    });
    const t0 = Date.now();
    const ref = await runBackfill({
      redis: redis.client,
      pg: reference.handle,
      prefix: redis.prefix,
      batchSize: 50,
    });
    const fullMs = Date.now() - t0;
    expect(unbalancedEntities(ref)).toEqual([]);

    const plan = delays(Number(process.env.KILL_SEED ?? 7), KILLS, fullMs + 2500);
    const outcomes: string[] = [];
    for (const ms of plan) {
      const cli = startCli(interrupted.url, ['--batch-size', '50']);
      const timer = new Promise<'timer'>((r) => setTimeout(() => r('timer'), ms));
      const first = await Promise.race([cli.exited, timer]);
      if (first === 'timer') cli.child.kill('SIGKILL');
      const code = await cli.exited;
      outcomes.push(first === 'timer' ? `killed after ${ms} ms` : `finished (${code}) before ${ms} ms`);
      if (first !== 'timer') expect(code, cli.stderr()).toBe(0);
    }
    expect(outcomes.filter((o) => o.startsWith('killed')).length, outcomes.join('\n')).toBeGreaterThanOrEqual(
      KILLS / 2,
    );

    const reportFile = join(tmpdir(), `backfill-resume-${process.pid}-${Date.now()}.json`);
    const last = startCli(interrupted.url, ['--batch-size', '50', '--report', reportFile]);
    expect(await last.exited, last.stderr()).toBe(0);
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as BackfillReport;
    expect(unbalancedEntities(report)).toEqual([]);
    if (report.mode === 'resumed') {
      // Counts survive the kills: the same totals as one uninterrupted run.
      expect(report.totals).toEqual(ref.totals);
    } else {
      expect(report.totals.migrated).toBe(0);
    }

    expect(await fingerprint(interrupted.handle)).toEqual(await fingerprint(reference.handle));
    const keys = (h: typeof reference.handle) =>
      h.query<{ key: string }>('SELECT key FROM backfill_quarantine ORDER BY key COLLATE "C"');
    expect(await keys(interrupted.handle)).toEqual(await keys(reference.handle));
  }, 300_000);
});
