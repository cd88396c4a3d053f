/** Where the test servers are. Override with TEST_DATABASE_URL / TEST_REDIS_URL. */
export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export const HOW_TO_START_POSTGRES =
  'Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start ' +
  '(or set TEST_DATABASE_URL to a server where the user may CREATE DATABASE).';
export const HOW_TO_START_REDIS =
  'Start it with: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no ' +
  '(or set TEST_REDIS_URL).';

/** Replaces the database name of a Postgres URL. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
