/** `alcohol_types` rows ⇄ {@link AlcoholType} (legacy-redis-format.md §4.8). */
import type { AlcoholType } from '../../../domain/alcohol-type.js';
import { canonicalHash } from '../../../domain/canonical.js';
import type { AlcoholTypeRow, NewAlcoholTypeRow } from '../schema/catalog.js';
import { extraColumn, NullTracker, RecordBuilder } from './common.js';

/** Row options the record alone cannot decide. */
export interface AlcoholTypeRowOptions {
  /**
   * Another type already holds `lower(name)` (legacy renames, §8.16): the row is kept with
   * `name_conflict`, outside the partial unique index.
   */
  nameConflict?: boolean;
}

/** The `alcohol_types` insert row; `sync_written_at` is left to the caller. */
export function toAlcoholTypeRow(record: AlcoholType, opts: AlcoholTypeRowOptions = {}): NewAlcoholTypeRow {
  const n = new NullTracker();
  return {
    id: record.id,
    name: record.name,
    sortOrder: n.col('sortOrder', record.sortOrder),
    archived: n.col('archived', record.archived),
    nameConflict: opts.nameConflict ?? false,
    extra: extraColumn(record.extra),
    legacyNulls: n.nulls,
    syncHash: canonicalHash(record),
  };
}

/** The alcohol type exactly as the codec decodes its legacy JSON. */
export function fromAlcoholTypeRow(row: AlcoholTypeRow): AlcoholType {
  return new RecordBuilder(row.legacyNulls)
    .req('id', row.id)
    .req('name', row.name)
    .opt('sortOrder', row.sortOrder)
    .opt('archived', row.archived)
    .extra(row.extra)
    .build<AlcoholType>();
}
