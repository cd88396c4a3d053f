/**
 * `migrate:stage` and `migrate:status` as an operator runs them: real processes, real servers, the
 * documented exit codes (0 done, 1 refused, 2 error) and the messages that say what to run next.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createStageStore } from '../../src/migration/stage-store/store.js';
import { usePostgres, useRedis } from '../support/harness.js';

const pg = usePostgres();
const redis = useRedis();
const root = fileURLToPath(new URL('../..', import.meta.url));

function run(cli: 'stage' | 'status', args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', `src/cli/migrate-${cli}.ts`, ...args],
      {
        cwd: root,
        env: { ...process.env, DATABASE_URL: pg.url, REDIS_URL: redis.url, KEY_PREFIX: redis.prefix },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const code = error && typeof error.code === 'number' ? error.code : error ? 2 : 0;
        resolve({ code, out: stdout, err: stderr });
      },
    );
  });
}

describe('npm run migrate:stage', () => {
  it('applies a move with its group (exit 0) and audits who and why', async () => {
    const r = await run('stage', ['orders', 'dual-write', '--reason', 'start dual-write', '--by', 'alice']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /moved users redis → dual-write, points redis → dual-write.*orders redis → dual-write/,
    );
    expect(r.out).toMatch(/note: .*run the backfill \(npm run migrate:redis-to-postgres\)/);
    const [last] = await createStageStore(pg.handle).audit({ domain: 'checkout', limit: 1 });
    expect(last).toMatchObject({
      toStage: 'dual-write',
      changedBy: 'alice',
      reason: 'start dual-write',
      outcome: 'applied',
    });
  });

  it('refuses a move without evidence (exit 1), saying why and what to run', async () => {
    const r = await run('stage', ['purchases', 'postgres', '--by', 'alice']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/refused: purchases redis → postgres/);
    expect(r.out).toMatch(
      /\[verify-missing\] purchases: purchases has never been verified; run npm run migrate:verify -- --only purchases/,
    );
    expect(r.out).toMatch(/add --force/);
  });

  it('moves anyway with --force (exit 0), listing what it overrode', async () => {
    const r = await run('stage', ['purchases', 'postgres', '--force', '--by', 'alice', '--reason', 'drill']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/forced past:\n {2}- purchases: purchases has never been verified/);
  });

  it('rejects an unknown domain or stage (exit 2) with the valid choices', async () => {
    const a = await run('stage', ['nope', 'postgres']);
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/unknown domain "nope"; domains: users, points, .*, or all/);
    const b = await run('stage', ['orders', 'postgress']);
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/unknown stage "postgress"/);
  });
});

describe('npm run migrate:status', () => {
  it('prints every domain with its group, stage, verify, journal and mismatch columns', async () => {
    const r = await run('status', []);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^domain\s+group\s+stage\s+since\s+last verify\s+journal\s+shadow mismatches$/);
    expect(lines.find((l) => l.startsWith('orders '))).toMatch(
      /^orders\s+users\s+dual-write\s+\S+Z\s+missing \(orders\)\s+0\s+-$/,
    );
    expect(lines.find((l) => l.startsWith('purchases '))).toMatch(/^purchases\s+-\s+postgres\s/);
    expect(r.out).toMatch(
      /group users: users, points, tokens, orders, checkout, promotions, refunds, products/,
    );
  });

  it('drains the journals (exit 0 when empty) and shows the audit trail', async () => {
    const drain = await run('status', ['--drain', '--timeout', '5']);
    expect(drain.code).toBe(0);
    expect(drain.out).toMatch(/journals are empty/);
    const audit = await run('status', ['--audit', '--limit', '3']);
    expect(audit.code).toBe(0);
    expect(audit.out).toMatch(/purchases\s+redis\s+postgres\s+alice\s+applied \(forced\)\s+drill/);
  });
});
