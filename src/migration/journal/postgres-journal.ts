/**
 * The journal while Postgres is the source of truth: table `migration_journal`, one row per record.
 * A new failure upserts the row (keeping `first_at`, bumping `gen`); removal and attempt counts are
 * conditional on `gen`, so a failure recorded while the reconciler was copying is never lost.
 */
import type { PgHandle } from '../../backends/postgres/client.js';
import { type Journal, type JournalEntry, type JournalLag, uniqueRefs } from './types.js';

interface Row {
  domain: string;
  entity: string;
  entity_id: string;
  first_at: Date | string;
  last_at: Date | string;
  attempts: number;
  next_attempt_at: Date | string;
  last_error: string | null;
  parked: boolean;
  gen: number;
}

const COLUMNS =
  'domain, entity, entity_id, first_at, last_at, attempts, next_attempt_at, last_error, parked, gen';

export function createPostgresJournal(pg: PgHandle): Journal {
  const toEntry = (r: Row): JournalEntry => ({
    domain: r.domain,
    entity: r.entity,
    id: r.entity_id,
    source: 'postgres',
    firstAt: new Date(r.first_at),
    lastAt: new Date(r.last_at),
    attempts: Number(r.attempts),
    nextAttemptAt: new Date(r.next_attempt_at),
    lastError: r.last_error,
    parked: r.parked,
    gen: Number(r.gen),
  });

  return {
    source: 'postgres',

    async record(all, error, settleMs) {
      // One statement may not upsert a row twice (a checkout names a product once per line).
      const refs = uniqueRefs(all);
      if (refs.length === 0) return;
      await pg.query(
        `INSERT INTO migration_journal (domain, entity, entity_id, first_at, last_at, attempts, next_attempt_at, last_error, parked, gen)
         SELECT d, e, i, now(), now(), 0, now() + make_interval(secs => $4::float8 / 1000), $5, false, 1
           FROM unnest($1::text[], $2::text[], $3::text[]) AS u(d, e, i)
         ON CONFLICT (entity, entity_id) DO UPDATE
           SET last_at = now(), attempts = 0, next_attempt_at = EXCLUDED.next_attempt_at,
               last_error = EXCLUDED.last_error, parked = false, gen = migration_journal.gen + 1,
               domain = EXCLUDED.domain`,
        [refs.map((r) => r.domain), refs.map((r) => r.entity), refs.map((r) => r.id), settleMs, error],
      );
    },

    async due(limit) {
      const rows = await pg.query<Row>(
        `SELECT ${COLUMNS} FROM migration_journal
          WHERE NOT parked AND next_attempt_at <= now() ORDER BY first_at LIMIT $1`,
        [limit],
      );
      return rows.map(toEntry);
    },

    async list(opts = {}) {
      const rows = await pg.query<Row>(
        `SELECT ${COLUMNS} FROM migration_journal WHERE ($1::text IS NULL OR domain = $1) ORDER BY first_at LIMIT $2`,
        [opts.domain ?? null, opts.limit ?? 5000],
      );
      return rows.map(toEntry);
    },

    async clear(entry) {
      const rows = await pg.query(
        'DELETE FROM migration_journal WHERE entity = $1 AND entity_id = $2 AND gen = $3 RETURNING 1',
        [entry.entity, entry.id, entry.gen],
      );
      return rows.length === 1;
    },

    async retryLater(entry, error, nextAttemptAt, park) {
      await pg.query(
        `UPDATE migration_journal SET attempts = attempts + 1, last_error = $4, next_attempt_at = $5, parked = $6
          WHERE entity = $1 AND entity_id = $2 AND gen = $3`,
        [entry.entity, entry.id, entry.gen, error, nextAttemptAt.toISOString(), park],
      );
    },

    async retryNow(domain) {
      const rows = await pg.query(
        `UPDATE migration_journal SET parked = false, attempts = 0, next_attempt_at = now()
          WHERE ($1::text IS NULL OR domain = $1) RETURNING 1`,
        [domain ?? null],
      );
      return rows.length;
    },

    async lag() {
      const rows = await pg.query<{
        domain: string;
        depth: number;
        parked: number;
        oldest: Date | string | null;
      }>(
        `SELECT domain, count(*)::int AS depth, count(*) FILTER (WHERE parked)::int AS parked, min(first_at) AS oldest
           FROM migration_journal GROUP BY domain ORDER BY domain`,
      );
      return rows.map(
        (r): JournalLag => ({
          domain: r.domain,
          source: 'postgres',
          depth: Number(r.depth),
          parked: Number(r.parked),
          oldestAt: r.oldest === null ? null : new Date(r.oldest),
        }),
      );
    },
  };
}
