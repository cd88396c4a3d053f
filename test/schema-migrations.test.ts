/**
 * The committed migration history agrees with schema.ts (drizzle-kit finds nothing to generate),
 * and applying it is idempotent, both through the library and through `npm run db:migrate`.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../src/backends/postgres/client.js';
import { MIGRATIONS_FOLDER, migrateDatabase } from '../src/backends/postgres/migrate.js';
import { messages } from '../src/cli/messages.js';
import { usePostgres } from './support/harness.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCHEMA = join(ROOT, 'src/backends/postgres/schema.ts');
const DRIZZLE_KIT = join(ROOT, 'node_modules/.bin/drizzle-kit');
const journalTags = (): string[] =>
  JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')).entries.map(
    (e: { tag: string }) => e.tag,
  );

const pg = usePostgres();
const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dcw-schema-'));
  temps.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs `drizzle-kit generate` for `schemaPath` against a copy of the committed drizzle/ folder and
 * returns the SQL files it added. drizzle-kit resolves `out` relative to the working directory, so
 * it runs inside the temp dir (with node_modules linked so a probe schema can import drizzle-orm).
 */
async function generateAgainstHistory(schemaPath: string): Promise<{ added: string[]; output: string }> {
  const dir = tempDir();
  cpSync(MIGRATIONS_FOLDER, join(dir, 'drizzle'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(
    join(dir, 'drizzle.config.ts'),
    `export default ${JSON.stringify({ dialect: 'postgresql', schema: schemaPath, out: './drizzle', strict: true })};\n`,
  );
  const before = new Set(readdirSync(join(dir, 'drizzle')));
  const { stdout, stderr } = await run(
    DRIZZLE_KIT,
    ['generate', '--config', 'drizzle.config.ts', '--name', 'drift-check'],
    { cwd: dir },
  );
  const added = readdirSync(join(dir, 'drizzle')).filter((f) => !before.has(f));
  return { added, output: stdout + stderr };
}

describe('migration history', () => {
  it('has no drift: drizzle-kit generates nothing for schema.ts', async () => {
    const { added, output } = await generateAgainstHistory(SCHEMA);
    expect(added).toEqual([]);
    expect(output).toMatch(/No schema changes/);
  }, 60_000);

  it('would report drift: a table missing from the history yields a new migration', async () => {
    const probeDir = tempDir();
    const probe = join(probeDir, 'probe-schema.ts');
    writeFileSync(
      probe,
      [
        `export * from ${JSON.stringify(SCHEMA)};`,
        `import { pgTable, text } from 'drizzle-orm/pg-core';`,
        `export const driftProbe = pgTable('drift_probe', { id: text('id').primaryKey() });`,
      ].join('\n'),
    );
    symlinkSync(join(ROOT, 'node_modules'), join(probeDir, 'node_modules'));
    const { added } = await generateAgainstHistory(probe);
    expect(added.filter((f) => f.endsWith('.sql'))).toHaveLength(1);
  }, 60_000);

  it('is a no-op when applied again to a migrated Postgres database', async () => {
    const result = await migrateDatabase(pg.handle);
    expect(result.applied).toEqual([]);
    expect(result.total).toBe(journalTags().length);
  });

  it('`npm run db:migrate` applies every migration to PGlite once, then has nothing to do', async () => {
    const dataDir = join(tempDir(), 'pglite');
    // Without DATABASE_URL the CLI opens PGlite at PGLITE_DIR.
    const { DATABASE_URL: _unused, ...inherited } = process.env;
    const env = { ...inherited, PGLITE_DIR: dataDir };
    const migrate = () => run('npm', ['run', '--silent', 'db:migrate'], { cwd: ROOT, env });

    const first = await migrate();
    const tags = journalTags();
    expect(first.stdout).toContain(messages.migrate.done(`pglite:${dataDir}`, tags, tags.length));
    const second = await migrate();
    expect(second.stdout.trim()).toBe(messages.migrate.done(`pglite:${dataDir}`, [], tags.length));

    const lite = await openPostgres({ url: undefined, dataDir, driver: 'pglite' });
    try {
      const rows = await lite.query<{ n: number }>(
        'select count(*)::int as n from drizzle.__drizzle_migrations',
      );
      expect(rows[0]?.n).toBe(tags.length);
    } finally {
      await lite.close();
    }
  }, 120_000);
});
