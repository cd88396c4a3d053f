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

/** Deterministic points in [0, 1) at which to kill, as a share of a run's duration (replayable). */
function killPoints(seedValue: number, n: number): number[] {
  let x = seedValue;
  return Array.from({ length: n }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
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
      scale: 2,
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

    // Spawn and SIGKILL until the CLI was really killed KILLS times. A spawn that finishes before its
    // delay is fine too (the next one starts a fresh run over the same data), and teaches how long a
    // whole CLI run takes on this machine now: later delays are drawn within that, not a guess.
    const plan = killPoints(Number(process.env.KILL_SEED ?? 7), 3 * KILLS);
    let runMs = fullMs + 1000; // the CLI also starts Node and tsx
    const outcomes: string[] = [];
    let kills = 0;
    for (const point of plan) {
      if (kills >= KILLS) break;
      const ms = Math.round(200 + point * Math.max(runMs - 200, 100));
      const started = Date.now();
      const cli = startCli(interrupted.url, ['--batch-size', '50']);
      const timer = new Promise<'timer'>((r) => setTimeout(() => r('timer'), ms));
      const first = await Promise.race([cli.exited, timer]);
      if (first === 'timer') {
        cli.child.kill('SIGKILL');
        kills++;
      }
      const code = await cli.exited;
      outcomes.push(first === 'timer' ? `killed after ${ms} ms` : `finished (${code}) before ${ms} ms`);
      if (first !== 'timer') {
        expect(code, cli.stderr()).toBe(0);
        // Only a whole run measures the duration (a resumed one only had the rest to do).
        if (!cli.stderr().includes('resumed unfinished run')) runMs = Math.min(runMs, Date.now() - started);
      }
    }
    expect(kills, outcomes.join('\n')).toBe(KILLS);

    const reportFile = join(tmpdir(), `backfill-resume-${process.pid}-${Date.now()}.json`);
    const last = startCli(interrupted.url, ['--batch-size', '50', '--report', reportFile]);
    expect(await last.exited, last.stderr()).toBe(0);
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as BackfillReport;
    expect(unbalancedEntities(report)).toEqual([]);
    // Every record is counted once, whichever run of the sequence wrote it.
    const { migrated, unchanged, ...rest } = report.totals;
    const { migrated: refMigrated, unchanged: refUnchanged, ...refRest } = ref.totals;
    expect(rest).toEqual(refRest);
    expect(migrated + unchanged).toBe(refMigrated + refUnchanged);
    if (report.mode === 'resumed' && outcomes.every((o) => o.startsWith('killed'))) {
      // One run, killed ten times: its counts survive the kills exactly.
      expect(report.totals).toEqual(ref.totals);
    }

    expect(await fingerprint(interrupted.handle)).toEqual(await fingerprint(reference.handle));
    const keys = (h: typeof reference.handle) =>
      h.query<{ key: string }>('SELECT key FROM backfill_quarantine ORDER BY key COLLATE "C"');
    expect(await keys(interrupted.handle)).toEqual(await keys(reference.handle));
    // The work tables' secondary indexes are dropped while a step loads and rebuilt after it:
    // whatever the kills interrupted, the finished run leaves the indexes the migrations define.
    const indexes = (h: typeof reference.handle) =>
      h.query<{ indexname: string; indexdef: string }>(
        `SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('backfill_keys', 'backfill_index_members') ORDER BY indexname`,
      );
    const after = await indexes(interrupted.handle);
    expect(after.map((i) => i.indexdef)).toEqual(
      expect.arrayContaining([
        'CREATE INDEX backfill_index_members_target_idx ON public.backfill_index_members USING btree (target_key)',
        'CREATE INDEX backfill_keys_entity_key_idx ON public.backfill_keys USING btree (entity, key COLLATE "C")',
      ]),
    );
    expect(after).toEqual(await indexes(reference.handle));
  }, 300_000);
});
