/**
 * `npm run migrate:verify` and `npm run migrate:repair` as a user runs them (child processes on the
 * real servers): the table, the JSON report, the exit codes 0 / 1 / 2, and the next step in messages.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { SyncContext } from '../../src/migration/entities/types.js';
import { usePostgres } from '../support/harness.js';
import { seedAndCopy, sharedIds, sql, useStoreRedis } from './verify-fixtures.js';

// Seeding, the backfill and every verify SCAN the whole keyspace of the test Redis database.
vi.setConfig({ testTimeout: 180_000 });
const pg = usePostgres();
const redis = useStoreRedis();
const run = promisify(execFile);

let ctx: SyncContext;

beforeAll(async () => {
  ctx = await seedAndCopy(redis.client, pg.handle, redis.prefix, { seed: 'cli' });
}, 300_000);

function cli(script: 'migrate-verify' | 'migrate-repair', args: string[], env: NodeJS.ProcessEnv = {}) {
  return run(join('node_modules', '.bin', 'tsx'), [`src/cli/${script}.ts`, ...args], {
    env: { ...process.env, DATABASE_URL: pg.url, REDIS_URL: redis.url, KEY_PREFIX: redis.prefix, ...env },
  }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  );
}

describe('npm run migrate:verify / migrate:repair', () => {
  it('exits 0 with a clean table and writes the JSON report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dcw-verify-'));
    try {
      const file = join(dir, 'report.json');
      const r = await cli('migrate-verify', ['--report', file, '--recheck-delay', '20']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^orders\s+\d+\s+\d+\s+\d+\s+0\s+0\s+0\s+0\s+0\s+0\s+0\s+clean$/m);
      expect(r.stdout).toContain('Redis and Postgres agree');
      const report = JSON.parse(readFileSync(file, 'utf8')) as {
        clean: boolean;
        runId: number;
        entities: Record<string, { clean: boolean; counts: { equal: number } }>;
      };
      expect(report.clean).toBe(true);
      expect(report.entities.users!.counts.equal).toBeGreaterThan(0);
      const [run] = await sql<{ status: string }>(
        pg.handle,
        'SELECT status FROM migration_verify_runs WHERE id = $1',
        [report.runId],
      );
      expect(run!.status).toBe('clean');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 1 on a difference and shows the field; repair fixes it and verify exits 0 again', async () => {
    const [slug] = await sharedIds(ctx, 'products');
    const [before] = await sql<{ price_cents: number }>(
      pg.handle,
      'SELECT price_cents FROM products WHERE slug = $1',
      [slug],
    );
    await sql(pg.handle, 'UPDATE products SET price_cents = price_cents + 1 WHERE slug = $1', [slug]);

    const found = await cli('migrate-verify', [
      '--only',
      'products',
      '--sample',
      '1',
      '--recheck-delay',
      '20',
    ]);
    expect(found.code).toBe(1);
    expect(found.stdout).toMatch(/^products\s.*MISMATCH$/m);
    expect(found.stdout).toContain(`${slug}: different`);
    expect(found.stdout).toContain(
      `priceCents: redis ${before!.price_cents}, postgres ${before!.price_cents + 1}`,
    );
    expect(found.stdout).toContain('run npm run migrate:repair');

    const dry = await cli('migrate-repair', ['--only', 'products', '--dry-run']);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain('1 record(s) would be re-copied');

    const fixed = await cli('migrate-repair', ['--only', 'products']);
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toContain('fixed 1 of 1 record(s)');
    const [after] = await sql<{ price_cents: number }>(
      pg.handle,
      'SELECT price_cents FROM products WHERE slug = $1',
      [slug],
    );
    expect(after!.price_cents).toBe(before!.price_cents);

    const clean = await cli('migrate-verify', ['--only', 'products', '--recheck-delay', '20']);
    expect(clean.code).toBe(0);
  });

  it('exits 2 with the next step on bad arguments and on an unmigrated database', async () => {
    const unknown = await cli('migrate-verify', ['--only', 'nosuch']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown entity nosuch');
    expect(unknown.stderr).toContain('known entities: users,');

    const badFrom = await cli('migrate-repair', ['--from', 'elsewhere']);
    expect(badFrom.code).toBe(2);
    expect(badFrom.stderr).toContain('--from must be redis or postgres');

    const dir = mkdtempSync(join(tmpdir(), 'dcw-verify-empty-'));
    try {
      const empty = await cli('migrate-verify', [], { DATABASE_URL: '', PGLITE_DIR: dir });
      expect(empty.code).toBe(2);
      expect(empty.stderr).toContain('run npm run db:migrate first');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
