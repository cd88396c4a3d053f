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
import { promotions } from './schema.js';
import { sqlState, type Tx, violatedConstraint } from './transaction.js';

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

/**
 * Resolves a promotion by id or by code inside a caller's transaction (checkout). The row is not
 * locked here: {@link redeemPromotionTx} locks it last, so a checkout holds the shared promotion row
 * only for the end of its transaction.
 * @throws NotFoundError none matches.
 */
export async function findPromotionTx(
  _deps: PgDeps,
  tx: Tx,
  ref: { promotionId?: string; promotionCode?: string },
): Promise<Promotion> {
  const byCode =
    ref.promotionCode === undefined
      ? undefined
      : sql`upper(${promotions.code}) = ${ref.promotionCode.toUpperCase()}`;
  const where = ref.promotionId !== undefined ? and(eq(promotions.id, ref.promotionId), byCode) : byCode;
  const [row] = await tx
    .select()
    .from(promotions)
    .where(where)
    .orderBy(asc(promotions.createdAt), sql`${promotions.id} collate "C"`)
    .limit(1);
  if (!row) throw new NotFoundError('promotion', ref.promotionId ?? ref.promotionCode ?? '');
  return fromPromotionRow(row);
}

/**
 * Counts one redemption inside a caller's transaction. The row is locked first (concurrent
 * redemptions queue on it), the domain rule decides (throwing the redeem errors, nothing changed),
 * and one UPDATE writes the new record with its sync hash, guarded on the counter it read. (One
 * statement, not an increment plus a hash update: a second UPDATE of the row would let the
 * `updated_at` trigger overwrite the record's `updatedAt`.)
 */
export async function redeemPromotionTx(deps: PgDeps, tx: Tx, promotionId: string): Promise<Promotion> {
  const row = await rowById(tx, promotionId, true);
  if (!row) throw new NotFoundError('promotion', promotionId);
  const next = redeemedPromotion(fromPromotionRow(row), deps.now());
  const written = await tx
    .update(promotions)
    .set({ ...toPromotionRow(next, { codeConflict: row.codeConflict }), syncWrittenAt: deps.now() })
    .where(and(eq(promotions.id, promotionId), eq(promotions.currentRedemptions, row.currentRedemptions)))
    .returning({ id: promotions.id });
  if (written.length !== 1) throw new Error(`promotion ${promotionId} changed while its row was locked`);
  return next;
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
