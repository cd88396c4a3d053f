/**
 * `npm run db:migrate`: applies the committed migrations to DATABASE_URL, or to the embedded PGlite
 * database under .data/ when DATABASE_URL is unset. Exit codes: 0 applied or already up to date,
 * 2 fatal error.
 */
import { openPostgres } from '../backends/postgres/client.js';
import { migrateDatabase } from '../backends/postgres/migrate.js';
import { loadConfig } from '../config.js';
import { runCli } from './common.js';
import { messages } from './messages.js';

async function main(): Promise<number> {
  const config = loadConfig();
  const pg = await openPostgres({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    const result = await migrateDatabase(pg);
    console.log(messages.migrate.done(pg.target, result.applied, result.total));
    if (result.applied.length > 0) {
      const tables = await pg.query<{ table_name: string }>(
        `select table_name from information_schema.tables where table_schema = 'public' order by 1`,
      );
      console.log(messages.migrate.tables(tables.map((t) => t.table_name)));
    }
    return 0;
  } finally {
    await pg.close();
  }
}

runCli(main);
