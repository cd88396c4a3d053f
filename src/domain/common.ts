/**
 * Shapes shared by every domain record (docs/decisions.md §1, §4), and the two timestamp rules
 * every repository applies: write times that strictly increase, and the newest-first list order.
 *
 * A domain record is the canonical form of one legacy record: legacy field names in camelCase,
 * `undefined` (key omitted) for a field the legacy JSON did not have, `null` only where legacy data
 * holds an explicit `null` (legacy-redis-format.md §8.13).
 */

/** `Date.prototype.toISOString()` output: UTC with milliseconds, e.g. `2025-12-18T21:40:05.123Z`. */
export type IsoTimestamp = string;

/** A calendar date `YYYY-MM-DD` (only `Purchase.purchaseDate`). */
export type IsoDate = string;

/**
 * Unknown legacy keys, kept verbatim so a round trip loses nothing. Omitted when empty. Its keys never
 * name a field the record already models under its legacy name.
 */
export type Extra = Record<string, unknown>;

/**
 * The timestamp of a write: `now`, or 1 ms past the latest of `previous` when `now` does not follow
 * it (an unparsable `previous` is ignored). A record's `updatedAt` (and a user's ledger `createdAt`)
 * then strictly increases even when two writes fall in one millisecond, so newest-first is a total
 * order and Postgres' `updated_at` trigger (which replaces a value an UPDATE left unchanged) never
 * overrides the record's own value.
 */
export function nextTimestamp(now: Date, ...previous: (string | null | undefined)[]): IsoTimestamp {
  let t = now.getTime();
  for (const p of previous) {
    const ms = p ? Date.parse(p) : Number.NaN;
    if (!Number.isNaN(ms) && ms >= t) t = ms + 1;
  }
  return new Date(t).toISOString();
}

/** Newest first: `createdAt` descending, then `id` descending in code-unit order (orders, refunds, promotions). */
export function compareNewestFirst(
  a: { createdAt: IsoTimestamp; id: string },
  b: { createdAt: IsoTimestamp; id: string },
): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  if (a.id !== b.id) return a.id < b.id ? 1 : -1;
  return 0;
}
