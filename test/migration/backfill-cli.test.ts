/** The thin CLI: exit codes, the summary on stdout, the JSON report and the reject file. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackfillReport } from '../../src/migration/backfill/types.js';
import { usePostgres, useRedis } from '../support/harness.js';
import { seed } from './backfill-support.js';

const pg = usePostgres();
const redis = useRedis();
const CLI = join(import.meta.dirname, '../../src/cli/migrate-backfill.ts');

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    env: { ...process.env, DATABASE_URL: pg.url, KEY_PREFIX: redis.prefix, REDIS_URL: redis.url },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += String(d);
  });
  child.stderr.on('data', (d) => {
    stderr += String(d);
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

const tmp = (name: string) => join(tmpdir(), `backfill-cli-${process.pid}-${Date.now()}-${name}`);

beforeAll(async () => {
  await seed(redis.client, redis.prefix, { scale: 1, edgeRate: 0.3 });
}, 60_000);

describe('npm run migrate:redis-to-postgres', () => {
  it('exits 1 under --strict when records were quarantined, after writing the report and the reject file', async () => {
    const report = tmp('report.json');
    const rejects = tmp('rejects.jsonl');
    const r = await cli(['--strict', '--report', report, '--reject-file', rejects]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(
      /^entity\s+scanned\s+migrated\s+unchanged\s+quarantined\s+expired\s+kept in redis/m,
    );
    expect(r.stderr).toMatch(/--strict: \d+ record\(s\) quarantined/);
    const json = JSON.parse(readFileSync(report, 'utf8')) as BackfillReport;
    expect(json.entities.orders?.migrated).toBeGreaterThan(0);
    const lines = readFileSync(rejects, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.key).sort()).toEqual(json.quarantine.map((q) => q.key).sort());
    for (const l of lines) expect(typeof l.reason).toBe('string');
  }, 60_000);

  it('a second run exits 0 and says there is nothing to do', async () => {
    const r = await cli([]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/nothing to do: every record is already in Postgres/);
  }, 60_000);

  it('rejects an unknown entity and bad numbers with exit 2 and names them', async () => {
    const r = await cli(['--only', 'orders,nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown entity nope; choose from users, products/);
    const n = await cli(['--batch-size', '0']);
    expect(n.code).toBe(2);
    expect(n.stderr).toMatch(/--batch-size must be a positive integer, got "0"/);
  }, 60_000);
});
