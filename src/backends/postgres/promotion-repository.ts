/**
 * Promotions in `promotions`. Codes are compared through `upper(code)`; the partial unique index
 * (rows not flagged `code_conflict`) is the last line of defence against a concurrent duplicate.
 * `redeem` locks the row (SELECT … FOR UPDATE) before deciding, so concurrent redemptions serialise
 * on it and never pass the limit.
 */
import { and, asc, desc, eq, ne, sql } from 'drizzle-orm';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import { requireId } from '../../domain/field-rules.js';
import type { NewPromotion, Promotion, PromotionPatch, PromotionRepository } from '../../domain/promotion.js';
import {
  buildPromotion,
  normaliseCode,
  patchPromotion,
  redeemedPromotion,
  validatePromotionPatch,
} from '../../domain/promotion-rules.js';
import type { Db } from './client.js';
import type { PgDeps } from './index.js';
import { fromPromotionRow, toPromotionRow } from './mappers/promotion.js';
import { type PromotionRow, promotions } from './schema.js';
import {
  selectRows,
  sqlState,
  type Tx,
  violatedConstraint,
  type WritePart,
  writeAll,
} from './transaction.js';

type Executor = Db | Tx;

async function rowById(db: Executor, id: string, lock = false) {
  const q = db.select().from(promotions).where(eq(promotions.id, id));
  return (await (lock ? q.for('update') : q))[0];
}

async function codeHolder(db: Executor, code: string, selfId: string): Promise<string | undefined> {
  const [row] = await db
    .select({ id: promotions.id })
    .from(promotions)
    .where(and(sql`upper(${promotions.code}) = ${code.toUpperCase()}`, ne(promotions.id, selfId)))
    .limit(1);
  return row?.id;
}

/** Turns the unique violation of a concurrent duplicate (code or id) into the domain error. */
async function unique<T>(code: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (sqlState(err) !== '23505') throw err;
    if (violatedConstraint(err) === 'promotions_pkey') {
      throw new ConflictError('promotion', code, 'a promotion with this id exists');
    }
    throw new ConflictError('promotion', code, 'code is already used by another promotion');
  }
}

/** WHERE of a promotion given by id, by code (case-insensitive), or both. */
function refWhere(ref: { promotionId?: string; promotionCode?: string }) {
  const byCode =
    ref.promotionCode === undefined
      ? undefined
      : sql`upper(${promotions.code}) = ${ref.promotionCode.toUpperCase()}`;
  return ref.promotionId !== undefined ? and(eq(promotions.id, ref.promotionId), byCode) : byCode;
}

/**
 * The promotion given by id or code (the oldest, when a legacy duplicate shares the code), its row
 * locked for a redemption until the transaction ends; no row when none matches. Checkout takes it
 * after the user and the products.
 */
export function lockPromotion(
  tx: Tx,
  ref: { promotionId?: string; promotionCode?: string },
): Promise<PromotionRow[]> {
  return selectRows(
    tx,
    promotions,
    sql`where ${refWhere(ref)} order by "created_at", "id" collate "C" limit 1 for no key update`,
  );
}

/**
 * One redemption of a promotion whose row the caller has locked: the domain rule decides (throwing
 * the redeem errors, nothing changed) and one UPDATE writes the new record with its sync hash,
 * guarded on the counter read. (One statement, not an increment plus a hash update: a second UPDATE
 * of the row would let the `updated_at` trigger overwrite the record's `updatedAt`.)
 * @throws PromotionInvalidError / PromotionExhaustedError.
 */
export function planPromotionRedeem(
  deps: PgDeps,
  tx: Tx,
  row: PromotionRow,
): { promotion: Promotion; write: WritePart } {
  const next = redeemedPromotion(fromPromotionRow(row), deps.now());
  const query = tx
    .update(promotions)
    .set({ ...toPromotionRow(next, { codeConflict: row.codeConflict }), syncWrittenAt: deps.now() })
    .where(and(eq(promotions.id, row.id), eq(promotions.currentRedemptions, row.currentRedemptions)))
    .returning({ id: promotions.id })
    .getSQL();
  return { promotion: next, write: { what: `promotion ${row.id}`, query, rows: 1 } };
}

/** Counts one redemption inside a caller's transaction: the row locked, then {@link planPromotionRedeem}. */
export async function redeemPromotionTx(deps: PgDeps, tx: Tx, promotionId: string): Promise<Promotion> {
  const row = await rowById(tx, promotionId, true);
  if (!row) throw new NotFoundError('promotion', promotionId);
  const { promotion, write } = planPromotionRedeem(deps, tx, row);
  await writeAll(tx, [write]);
  return promotion;
}

export function createPostgresPromotionRepository(deps: PgDeps): PromotionRepository {
  const { db } = deps.pg;

  return {
    async create(input: NewPromotion) {
      const promotion = buildPromotion(input, deps.now());
      return unique(promotion.code, () =>
        db.transaction(async (tx) => {
          if (await rowById(tx, promotion.id))
            throw new ConflictError('promotion', promotion.id, 'a promotion with this id exists');
          const holder = await codeHolder(tx, promotion.code, promotion.id);
          if (holder)
            throw new ConflictError(
              'promotion',
              promotion.code,
              `code is already used by promotion ${holder}`,
            );
          await tx.insert(promotions).values({ ...toPromotionRow(promotion), syncWrittenAt: deps.now() });
          return promotion;
        }),
      );
    },

    async get(id) {
      const row = await rowById(db, id);
      return row ? fromPromotionRow(row) : null;
    },

    async getByCode(code) {
      const [row] = await db
        .select()
        .from(promotions)
        .where(sql`upper(${promotions.code}) = ${code.toUpperCase()}`)
        .orderBy(asc(promotions.createdAt), sql`${promotions.id} collate "C"`)
        .limit(1);
      return row ? fromPromotionRow(row) : null;
    },

    async update(id: string, patch: PromotionPatch) {
      requireId('id', id);
      validatePromotionPatch(patch);
      return unique(String(patch.code ?? id), () =>
        db.transaction(async (tx) => {
          const row = await rowById(tx, id, true);
          if (!row) throw new NotFoundError('promotion', id);
          const current = fromPromotionRow(row);
          const next = patchPromotion(current, patch, deps.now());
          const codeChanged =
            patch.code !== undefined && normaliseCode(patch.code) !== current.code.toUpperCase();
          if (codeChanged) {
            const holder = await codeHolder(tx, next.code, id);
            if (holder)
              throw new ConflictError('promotion', next.code, `code is already used by promotion ${holder}`);
          }
          // A legacy duplicate keeps its flag until its code changes to a free one.
          const codeConflict = codeChanged ? false : row.codeConflict;
          await tx
            .update(promotions)
            .set({ ...toPromotionRow(next, { codeConflict }), syncWrittenAt: deps.now() })
            .where(eq(promotions.id, id));
          return next;
        }),
      );
    },

    async delete(id) {
      const gone = await db.delete(promotions).where(eq(promotions.id, id)).returning({ id: promotions.id });
      return gone.length > 0;
    },

    async list() {
      const rows = await db
        .select()
        .from(promotions)
        .orderBy(desc(promotions.createdAt), sql`${promotions.id} collate "C" desc`);
      return rows.map(fromPromotionRow);
    },

    redeem: (promotionId) => db.transaction((tx) => redeemPromotionTx(deps, tx, promotionId)),
  };
}
