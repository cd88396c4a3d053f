import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPostgres, type PgHandle } from '../../src/backends/postgres/client.js';
import { CLEANUP_TARGETS, runCleanup } from '../../src/ephemeral/cleanup.js';
import { deferred } from '../support/deferred.js';
import { usePglite, usePostgres } from '../support/harness.js';

const pg = usePostgres({ max: 4 });
const lite = usePglite();
let second: PgHandle;
beforeAll(async () => {
  second = await openPostgres({ url: pg.url, max: 4, driver: 'postgres-js' });
});
afterAll(async () => {
  await second?.close();
});

/** Keeps the token hashes and event ids of successive seeds distinct. */
let seq = 0;
const nextOffset = (count: number) => {
  seq += count + 1;
  return seq;
};
const TOKEN_TABLES = ['password_reset_tokens', 'email_verification_tokens'] as const;

/** Inserts `count` rows per table expiring at now() + `expiresIn` (a negative interval = expired). */
async function seed(h: PgHandle, count: number, expiresIn: string) {
  for (const table of TOKEN_TABLES) {
    await h.query(
      `insert into ${table} (token_hash, user_id, email, expires_at)
       select lpad(to_hex(g + $2), 64, '0'), 'u-' || g, 'a@example.com', now() + $3::interval
         from generate_series(1, $1) g`,
      [count, nextOffset(count), expiresIn],
    );
  }
  await h.query(
    `insert into invoice_access_tokens (token_hash, order_id, email, expires_at)
     select lpad(to_hex(g + $2), 64, '0'), 'cs_test_' || g, 'a@example.com', now() + $3::interval
       from generate_series(1, $1) g`,
    [count, nextOffset(count), expiresIn],
  );
  await h.query(
    `insert into webhook_events (event_id, status, lease_until, processed_at, expires_at)
     select 'evt_' || $2 || '_' || g, 'done', null, now(), now() + $3::interval from generate_series(1, $1) g`,
    [count, nextOffset(count), expiresIn],
  );
}

async function counts(h: PgHandle): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const { table } of CLEANUP_TARGETS) {
    const [r] = await h.query<{ n: number }>(`select count(*)::int as n from ${table}`);
    out[table] = r!.n;
  }
  return out;
}

async function truncateAll(h: PgHandle) {
  await h.query(`truncate ${CLEANUP_TARGETS.map((t) => t.table).join(', ')}`);
}

describe('cleanup job', () => {
  beforeEach(() => truncateAll(pg.handle));

  it('removes only expired rows and done+expired webhook events, and reports per table', async () => {
    await seed(pg.handle, 3, '-1 hour');
    await seed(pg.handle, 2, '1 hour');
    // A claimed event past its expiry is still guarded by its lease logic: it stays.
    await pg.handle.query(
      `insert into webhook_events (event_id, status, lease_until, expires_at)
       values ('evt_claimed', 'claimed', now() - interval '1 minute', now() - interval '1 day')`,
    );
    const report = await runCleanup(pg.handle);
    expect(report.tables.map((t) => [t.table, t.removed])).toEqual(CLEANUP_TARGETS.map((t) => [t.table, 3]));
    expect(report.totalRemoved).toBe(12);
    expect(await counts(pg.handle)).toEqual({
      password_reset_tokens: 2,
      email_verification_tokens: 2,
      invoice_access_tokens: 2,
      webhook_events: 3,
    });
    const left = await pg.handle.query(`select 1 from webhook_events where event_id = 'evt_claimed'`);
    expect(left).toHaveLength(1);
    expect((await runCleanup(pg.handle)).totalRemoved).toBe(0); // idempotent
  });

  it('deletes in batches of --batch-size', async () => {
    await seed(pg.handle, 20, '-1 minute');
    const report = await runCleanup(pg.handle, { batchSize: 7 });
    for (const t of report.tables) expect(t).toMatchObject({ removed: 20, batches: 3 });
  });

  it('dry run counts and deletes nothing', async () => {
    await seed(pg.handle, 4, '-1 day');
    await seed(pg.handle, 1, '1 day');
    const report = await runCleanup(pg.handle, { dryRun: true });
    expect(report.dryRun).toBe(true);
    expect(report.tables.every((t) => t.removed === 4 && t.batches === 0)).toBe(true);
    expect(Object.values(await counts(pg.handle))).toEqual([5, 5, 5, 5]);
  });

  it('two concurrent runs remove every expired row exactly once between them', async () => {
    await seed(pg.handle, 3000, '-1 hour');
    await seed(pg.handle, 10, '1 hour');
    const [a, b] = await Promise.all([
      runCleanup(pg.handle, { batchSize: 50 }),
      runCleanup(second, { batchSize: 50 }),
    ]);
    for (const [i, t] of a.tables.entries()) expect(t.removed + b.tables[i]!.removed).toBe(3000);
    expect(Object.values(await counts(pg.handle))).toEqual([10, 10, 10, 10]);
  });

  it('skips rows another transaction has locked instead of waiting for it', async () => {
    await seed(pg.handle, 10, '-1 hour');
    const sql = second.postgresJs!;
    const held = deferred();
    const locked = deferred();
    const holder = sql.begin(async (tx) => {
      await tx`select 1 from password_reset_tokens order by token_hash limit 4 for update`;
      locked.resolve();
      await held.promise;
    });
    await locked.promise;
    const started = Date.now();
    const first = await runCleanup(pg.handle, { tables: ['password_reset_tokens'] });
    expect(Date.now() - started).toBeLessThan(2000); // no wait on the locked rows
    expect(first.tables[0]!.removed).toBe(6);
    held.resolve();
    await holder;
    expect((await runCleanup(pg.handle, { tables: ['password_reset_tokens'] })).tables[0]!.removed).toBe(4);
  });

  it('works on the embedded PGlite database too', async () => {
    await seed(lite.handle, 5, '-1 hour');
    await seed(lite.handle, 1, '1 hour');
    const report = await runCleanup(lite.handle, { batchSize: 2 });
    expect(report.totalRemoved).toBe(20);
    expect(Object.values(await counts(lite.handle))).toEqual([1, 1, 1, 1]);
  });
});

describe('npm run jobs:cleanup', () => {
  const run = promisify(execFile);
  const cli = (args: string[], env: NodeJS.ProcessEnv) =>
    run(join('node_modules', '.bin', 'tsx'), ['src/cli/jobs-cleanup.ts', ...args], {
      env: { ...process.env, ...env },
    }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({
        code: e.code,
        stdout: e.stdout,
        stderr: e.stderr,
      }),
    );

  it('prints what it removed per table and exits 0', async () => {
    await truncateAll(pg.handle);
    await seed(pg.handle, 3, '-1 hour');
    const dry = await cli(['--dry-run'], { DATABASE_URL: pg.url });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/password_reset_tokens\s+3\s+0/);
    expect(dry.stdout).toContain('12 expired row(s) would be removed');
    const real = await cli(['--batch-size', '2'], { DATABASE_URL: pg.url });
    expect(real.code).toBe(0);
    expect(real.stdout).toMatch(/webhook_events\s+3\s+2/);
    expect(real.stdout).toContain('removed 12 expired row(s)');
    expect(Object.values(await counts(pg.handle))).toEqual([0, 0, 0, 0]);
  });

  it('exits 2 with the next step on bad arguments and on an unmigrated database', async () => {
    const bad = await cli(['--batch-size', '0'], { DATABASE_URL: pg.url });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--batch-size must be a positive integer');
    const dir = mkdtempSync(join(tmpdir(), 'dcw-cleanup-'));
    try {
      const empty = await cli([], { DATABASE_URL: '', PGLITE_DIR: dir });
      expect(empty.code).toBe(2);
      expect(empty.stderr).toContain('run npm run db:migrate first');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
