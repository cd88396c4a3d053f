/**
 * Where shadow reads leave their evidence, in Postgres: mismatches with both values
 * (`migration_shadow_mismatches`) and counters summed over every process (`migration_shadow_stats`),
 * from which the cut-over guard computes the mismatch rate. A counter row's `bucket` is the exact
 * time of the reads it counts (one row per domain, kind and millisecond), so a window that starts when
 * a stage took effect counts no comparison made before it.
 * Comparisons that found a copy still on its way (`in-flight`) have their own counter, `in_flight`.
 */
import type { PgHandle } from '../../backends/postgres/client.js';

export interface MismatchRecord {
  domain: string;
  method: string;
  key: string;
  servedFrom: string;
  comparedWith: string;
  diff: DiffEntry[];
  primaryValue: unknown;
  shadowValue: unknown;
  calibration: boolean;
}

/** One differing field: a JSON path and the value on each side (absent = `undefined`). */
export interface DiffEntry {
  path: string;
  served?: unknown;
  compared?: unknown;
}

export interface StatsDelta {
  domain: string;
  calibration: boolean;
  /** When the reads counted were served. */
  at: Date;
  /** Comparisons that concluded: equal, or a lasting difference (mismatched). */
  compared: number;
  mismatched: number;
  errors: number;
  /** Differences on records whose copy was still on its way: neither compared nor mismatched. */
  inFlight: number;
}

export interface MismatchRate {
  compared: number;
  mismatched: number;
  errors: number;
  inFlight: number;
  /** mismatched / compared; `null` when nothing was compared. */
  rate: number | null;
}

export interface ShadowStore {
  recordMismatch(m: MismatchRecord): Promise<void>;
  addStats(deltas: readonly StatsDelta[]): Promise<void>;
  /** Counters of real (not calibration) comparisons of reads served at `since` or later. */
  rateSince(domain: string, since: Date, calibration?: boolean): Promise<MismatchRate>;
  /** Newest mismatches of a domain. */
  recentMismatches(domain: string, limit: number): Promise<(MismatchRecord & { at: Date })[]>;
}

export function createShadowStore(pg: PgHandle): ShadowStore {
  return {
    async recordMismatch(m) {
      await pg.query(
        `INSERT INTO migration_shadow_mismatches
           (domain, method, key, served_from, compared_with, diff, primary_value, shadow_value, calibration)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::jsonb, $9)`,
        [
          m.domain,
          m.method,
          m.key,
          m.servedFrom,
          m.comparedWith,
          JSON.stringify(m.diff),
          JSON.stringify(m.primaryValue ?? null),
          JSON.stringify(m.shadowValue ?? null),
          m.calibration,
        ],
      );
    },

    async addStats(deltas) {
      const rows = deltas.filter((d) => d.compared + d.mismatched + d.errors + d.inFlight > 0);
      if (rows.length === 0) return;
      await pg.query(
        `INSERT INTO migration_shadow_stats (domain, bucket, calibration, compared, mismatched, errors, in_flight)
         SELECT d, b::timestamptz, c::boolean, n::bigint, m::bigint, e::bigint, f::bigint
           FROM unnest($1::text[], $6::text[], $2::text[], $3::text[], $4::text[], $5::text[], $7::text[])
                AS u(d, b, c, n, m, e, f)
         ON CONFLICT (domain, bucket, calibration) DO UPDATE
           SET compared = migration_shadow_stats.compared + EXCLUDED.compared,
               mismatched = migration_shadow_stats.mismatched + EXCLUDED.mismatched,
               errors = migration_shadow_stats.errors + EXCLUDED.errors,
               in_flight = migration_shadow_stats.in_flight + EXCLUDED.in_flight`,
        [
          // Arrays travel as text on every driver (postgres.js cannot send a boolean[] parameter).
          rows.map((r) => r.domain),
          rows.map((r) => String(r.calibration)),
          rows.map((r) => String(r.compared)),
          rows.map((r) => String(r.mismatched)),
          rows.map((r) => String(r.errors)),
          rows.map((r) => r.at.toISOString()),
          rows.map((r) => String(r.inFlight)),
        ],
      );
    },

    async rateSince(domain, since, calibration = false) {
      const [row] = await pg.query<{
        compared: string | number;
        mismatched: string | number;
        errors: string | number;
        in_flight: string | number;
      }>(
        `SELECT coalesce(sum(compared), 0) AS compared,
                coalesce(sum(mismatched), 0) AS mismatched,
                coalesce(sum(errors), 0) AS errors,
                coalesce(sum(in_flight), 0) AS in_flight
           FROM migration_shadow_stats
          WHERE domain = $1 AND calibration = $2 AND bucket >= $3::timestamptz`,
        [domain, calibration, since.toISOString()],
      );
      const compared = Number(row?.compared ?? 0);
      const mismatched = Number(row?.mismatched ?? 0);
      return {
        compared,
        mismatched,
        errors: Number(row?.errors ?? 0),
        inFlight: Number(row?.in_flight ?? 0),
        rate: compared === 0 ? null : mismatched / compared,
      };
    },

    async recentMismatches(domain, limit) {
      const rows = await pg.query<{
        domain: string;
        method: string;
        key: string;
        served_from: string;
        compared_with: string;
        diff: DiffEntry[];
        primary_value: unknown;
        shadow_value: unknown;
        calibration: boolean;
        at: Date | string;
      }>(
        `SELECT domain, method, key, served_from, compared_with, diff, primary_value, shadow_value, calibration, at
           FROM migration_shadow_mismatches WHERE domain = $1 ORDER BY at DESC, id DESC LIMIT $2`,
        [domain, limit],
      );
      return rows.map((r) => ({
        domain: r.domain,
        method: r.method,
        key: r.key,
        servedFrom: r.served_from,
        comparedWith: r.compared_with,
        diff: r.diff,
        primaryValue: r.primary_value,
        shadowValue: r.shadow_value,
        calibration: r.calibration,
        at: new Date(r.at),
      }));
    },
  };
}
