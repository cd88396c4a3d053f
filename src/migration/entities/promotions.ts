/** Promotions (legacy-redis-format.md §4.6): `promotion:{id}` + `promotions:index`. */
import { and, eq, ne, sql } from 'drizzle-orm';
import { fromPromotionRow, toPromotionRow } from '../../backends/postgres/mappers/promotion.js';
import { type PromotionRow, promotions } from '../../backends/postgres/schema/promotions.js';
import { recordEntity } from './record-entity.js';
import type { PgWriter } from './types.js';

/** Another promotion already holds this code case-insensitively (a legacy PATCH duplicate, §8.16). */
async function codeTaken(db: PgWriter, id: string, code: string): Promise<boolean> {
  const rows = await db
    .select({ id: promotions.id })
    .from(promotions)
    .where(
      and(
        sql`upper(${promotions.code}) = upper(${code})`,
        ne(promotions.id, id),
        eq(promotions.codeConflict, false),
      ),
    )
    .limit(1);
  return rows.length > 0;
}

export const promotionsEntity = recordEntity({
  name: 'promotions',
  domain: 'promotions',
  family: 'promotion',
  recordKey: (keys, id) => keys.promotion(id),
  indexes: [{ kind: 'set', key: (ctx) => ctx.keys.promotionsIndex() }],
  indexKey: (keys) => keys.promotionsIndex(),
  table: promotions,
  idColumn: promotions.id,
  toRows: async (db, record) => ({
    row: toPromotionRow(record, { codeConflict: await codeTaken(db, record.id, record.code) }),
  }),
  fromRows: (row) => fromPromotionRow(row as PromotionRow),
});
