/**
 * The shape most entities share: one JSON record per legacy key (`product:{slug}`, `order:{id}`, …),
 * one Postgres parent table keyed by the same id, at most one child table keyed by array position.
 * Each entity file fills in a {@link RecordEntitySpec}; the Redis index maintenance is the part that
 * differs most, so a spec may replace `writeRedis`.
 */
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { LegacyStringValues, StringFamily } from '../../legacy/codecs/families.js';
import { type LegacyKeys, legacyKeys } from '../../legacy/keys.js';
import {
  type AnyRow,
  deleteById,
  fieldNameOf,
  groupBy,
  postgresIdPages,
  selectByIds,
  upsertAggregate,
} from './pg-io.js';
import { existsEach, type IndexSource, redisIdsWithIndexes } from './redis-ids.js';
import { INDEX_ID, loadFamily, writeIndexedRecord } from './redis-io.js';
import type { EntitySync, PgWriter, SyncContext, WriteOutcome } from './types.js';

/** A child table of an aggregate (order items, product variants, …). */
export interface ChildTableSpec {
  table: PgTable;
  /** The column holding the parent id. */
  parentColumn: PgColumn;
  /** Its field name in a Drizzle row. */
  parentField: string;
}

/** The rows one record is written as. */
export interface RecordRows {
  row: AnyRow;
  children?: AnyRow[];
}

/** What an entity file declares; see {@link recordEntity}. */
export interface RecordEntitySpec<F extends StringFamily> {
  name: string;
  domain: string;
  family: F;
  /** The record key of an id, e.g. `keys.order(id)`. */
  recordKey(keys: LegacyKeys, id: string): string;
  /** Index sets/lists naming the ids (union with SCAN). */
  indexes: readonly IndexSource[];
  /** The set `writeRedis` adds the id to (default writer); omit when `writeRedis` is replaced. */
  indexKey?(keys: LegacyKeys): string;
  table: PgTable;
  idColumn: PgColumn;
  child?: ChildTableSpec;
  /** Insert rows of a record; may read `db` (ref columns, uniqueness-conflict flags). */
  toRows(db: PgWriter, record: LegacyStringValues[F]): Promise<RecordRows>;
  /** The domain record of a parent row and its child rows (any order). */
  fromRows(row: AnyRow, children: AnyRow[]): LegacyStringValues[F];
  /** Runs after a parent row was inserted (not updated), e.g. to link `*_ref` columns to it. */
  afterInsert?(db: PgWriter, id: string): Promise<void>;
  /** Replaces the default record + index-set Redis write. */
  writeRedis?(ctx: SyncContext, id: string, record: LegacyStringValues[F] | null): Promise<WriteOutcome>;
}

/** Builds the {@link EntitySync} of a one-key-per-record entity. */
export function recordEntity<F extends StringFamily>(
  spec: RecordEntitySpec<F>,
): EntitySync<LegacyStringValues[F]> {
  type T = LegacyStringValues[F];
  return {
    name: spec.name,
    domain: spec.domain,
    redisPattern: spec.recordKey(legacyKeys(''), '{id}'),

    async *listRedisIds(ctx, batchSize) {
      yield* redisIdsWithIndexes(
        ctx,
        spec.family,
        spec.indexes,
        (id) => spec.recordKey(ctx.keys, id),
        batchSize,
      );
      if (spec.indexKey && (await indexHoldsRecord(ctx, spec.indexKey(ctx.keys)))) yield [INDEX_ID];
    },

    listPostgresIds: (ctx, batchSize) => postgresIdPages(ctx, spec.table, spec.idColumn, batchSize),

    loadRedis: (ctx, ids) => loadFamily(ctx, spec.family, ids, (id) => spec.recordKey(ctx.keys, id)),

    async presentInRedis(ctx, ids) {
      const exists = await existsEach(
        ctx,
        ids.map((id) => spec.recordKey(ctx.keys, id)),
      );
      const present = new Set(ids.filter((_, i) => exists[i]));
      // `…:index` exists as the index set too; only a string there is the record of id `index`.
      if (present.has(INDEX_ID) && spec.indexKey && !(await indexHoldsRecord(ctx, spec.indexKey(ctx.keys)))) {
        present.delete(INDEX_ID);
      }
      return present;
    },

    async loadPostgres(ctx, ids) {
      const rows = await selectByIds(ctx.pg.db, spec.table, spec.idColumn, ids);
      const children = spec.child
        ? groupBy(
            await selectByIds(ctx.pg.db, spec.child.table, spec.child.parentColumn, ids),
            spec.child.parentField,
          )
        : new Map<string, AnyRow[]>();
      const out = new Map<string, T>();
      for (const row of rows) {
        const id = String(row[fieldNameOf(spec.table, spec.idColumn)]);
        out.set(id, spec.fromRows(row, children.get(id) ?? []));
      }
      return out;
    },

    compareFormRedis: (record) => record,
    compareFormPostgres: (record) => record,

    async writePostgres(_ctx, db, id, record) {
      if (record === null)
        return (await deleteById(db, spec.table, spec.idColumn, id)) ? 'deleted' : 'absent';
      const rows = await spec.toRows(db, record);
      const children = spec.child
        ? [{ table: spec.child.table, parentColumn: spec.child.parentColumn, rows: rows.children ?? [] }]
        : [];
      const inserted = await upsertAggregate(
        db,
        { table: spec.table, target: spec.idColumn, row: rows.row },
        children,
      );
      if (inserted && spec.afterInsert) await spec.afterInsert(db, id);
      return 'written';
    },

    writeRedis(ctx, id, record) {
      if (spec.writeRedis) return spec.writeRedis(ctx, id, record);
      if (!spec.indexKey) throw new Error(`${spec.name}: no index key and no writeRedis`);
      return writeIndexedRecord(
        ctx,
        spec.family,
        spec.recordKey(ctx.keys, id),
        spec.indexKey(ctx.keys),
        id,
        record,
      );
    },
  };
}

/**
 * A record whose id is `index` overwrote its family's index set with its JSON (§2c, §8.18). SCAN's
 * classification reads `…:index` as the index, so the record is listed here; the backfill migrates
 * it the same way.
 */
async function indexHoldsRecord(ctx: SyncContext, indexKey: string): Promise<boolean> {
  return (await ctx.redis.type(indexKey)) === 'string';
}
