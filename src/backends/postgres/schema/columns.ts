/**
 * Column groups shared by many tables. Each helper returns fresh column builders, because Drizzle
 * binds a builder to the first table it is used in.
 */
import { jsonb, text, timestamp } from 'drizzle-orm/pg-core';

/** A `timestamptz` column read as a JS `Date` (the mappers turn it into an ISO string with ms). */
export const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Lossless-legacy columns (decisions.md §1): unknown JSON keys of the legacy document, and the names
 * of the fields whose legacy value was an explicit `null` (dotted paths for nested fields, e.g.
 * `shippingAddress.city`), so absent and `null` stay distinct although both are NULL in a column.
 */
export const legacyColumns = () => ({
  extra: jsonb('extra').$type<Record<string, unknown>>().notNull().default({}),
  legacyNulls: text('legacy_nulls').array().notNull().default([]),
});

/**
 * Backfill/live-write ordering (decisions.md §8): hash of the canonical form last written, and when a
 * live write (dual-write or Postgres-primary) last wrote the row (NULL when only the backfill did).
 */
export const syncColumns = () => ({
  syncHash: text('sync_hash'),
  syncWrittenAt: tstz('sync_written_at'),
});

/**
 * `updated_at`, maintained by the `set_updated_at` trigger (drizzle/0001): it becomes now() on an
 * UPDATE that leaves it unchanged, and keeps a value the UPDATE wrote itself (decisions.md §10).
 */
export const updatedAtColumn = () => tstz('updated_at').notNull().defaultNow();

/** `created_at` / `updated_at`. */
export const timestampColumns = () => ({
  createdAt: tstz('created_at').notNull().defaultNow(),
  updatedAt: updatedAtColumn(),
});
