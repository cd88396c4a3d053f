/**
 * Shapes shared by every domain record (docs/decisions.md §1, §4).
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
