/**
 * Promotions on the legacy layout: `promotion:{id}` (JSON through the codec) + `promotions:index`.
 * Lookups by code scan every promotion, as the store's `getPromotionByCode` did. Every change is a
 * guarded unit of work, so `redeem` never counts past `maxRedemptions` (the store's `+1` RMW did, §7.5).
 */
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import {
  type NewPromotion,
  pickPromotionForCode,
  type Promotion,
  type PromotionPatch,
  type PromotionRepository,
} from '../../domain/promotion.js';
import {
  buildPromotion,
  comparePromotions,
  normaliseCode,
  patchPromotion,
  redeemedPromotion,
  validatePromotionPatch,
} from '../../domain/promotion-rules.js';
import { requireId } from '../../domain/field-rules.js';
import { promotionValue } from '../../legacy/codecs/promotion.js';
import { type RedisUnitOfWork, runUnitOfWork } from './atomic.js';
import type { RedisDeps } from './index.js';
import { decodeRaw, readInUnit, readValue, readValues } from './record-io.js';

/** Every promotion named by the index, read inside `uow` (each read guards the commit). */
async function allPromotionsInUnit(deps: RedisDeps, uow: RedisUnitOfWork): Promise<Promotion[]> {
  const keys = (await deps.client.sMembers(deps.keys.promotionsIndex())).map((id) => deps.keys.promotion(id));
  const raws = await uow.getMany(keys);
  return raws.flatMap((raw, i) => decodeRaw(promotionValue, keys[i]!, raw) ?? []);
}

/** Throws ConflictError when a promotion other than `selfId` holds `code` (case-insensitively). */
async function assertCodeFree(
  deps: RedisDeps,
  uow: RedisUnitOfWork,
  code: string,
  selfId: string,
): Promise<void> {
  const holder = (await allPromotionsInUnit(deps, uow)).find(
    (p) => p.id !== selfId && p.code.toUpperCase() === code.toUpperCase(),
  );
  if (holder) throw new ConflictError('promotion', code, `code is already used by promotion ${holder.id}`);
}

function putPromotion(deps: RedisDeps, uow: RedisUnitOfWork, promotion: Promotion): void {
  uow.set(deps.keys.promotion(promotion.id), promotionValue.encode(promotion));
  uow.push({ op: 'sadd', key: deps.keys.promotionsIndex(), member: promotion.id });
}

/**
 * Resolves a promotion by id or by code inside a caller's unit (checkout).
 * @throws NotFoundError none matches.
 */
export async function findPromotionStep(
  deps: RedisDeps,
  uow: RedisUnitOfWork,
  ref: { promotionId?: string; promotionCode?: string },
): Promise<Promotion> {
  if (ref.promotionId !== undefined) {
    const found = await readInUnit(uow, promotionValue, deps.keys.promotion(ref.promotionId));
    if (!found) throw new NotFoundError('promotion', ref.promotionId);
    if (ref.promotionCode !== undefined && found.code.toUpperCase() !== ref.promotionCode.toUpperCase()) {
      throw new NotFoundError('promotion', `${ref.promotionId} with code ${ref.promotionCode}`);
    }
    return found;
  }
  const code = ref.promotionCode ?? '';
  const found = pickPromotionForCode(await allPromotionsInUnit(deps, uow), code);
  if (!found) throw new NotFoundError('promotion', code);
  return found;
}

/**
 * Counts one redemption of the promotion inside a caller's unit; the guarded read makes concurrent
 * redemptions retry, so the limit holds. Throws the redeem errors before queuing any write.
 */
export async function redeemPromotionStep(
  deps: RedisDeps,
  uow: RedisUnitOfWork,
  promotionId: string,
): Promise<Promotion> {
  const current = await readInUnit(uow, promotionValue, deps.keys.promotion(promotionId));
  if (!current) throw new NotFoundError('promotion', promotionId);
  const next = redeemedPromotion(current, deps.now());
  uow.set(deps.keys.promotion(promotionId), promotionValue.encode(next));
  return next;
}

export function createRedisPromotionRepository(deps: RedisDeps): PromotionRepository {
  const { client, keys } = deps;

  async function list(): Promise<Promotion[]> {
    const ids = await client.sMembers(keys.promotionsIndex());
    const found = await readValues(client, promotionValue, ids.map(keys.promotion));
    return found.filter((p): p is Promotion => p !== null).sort(comparePromotions);
  }

  return {
    create: async (input: NewPromotion) => {
      const promotion = buildPromotion(input, deps.now());
      return runUnitOfWork(client, 'create promotion', async (uow) => {
        if ((await uow.get(keys.promotion(promotion.id))) !== null) {
          throw new ConflictError('promotion', promotion.id, 'a promotion with this id exists');
        }
        await assertCodeFree(deps, uow, promotion.code, promotion.id);
        putPromotion(deps, uow, promotion);
        return promotion;
      });
    },

    get: (id) => readValue(client, promotionValue, keys.promotion(id)),

    getByCode: async (code) => pickPromotionForCode(await list(), code),

    update: async (id: string, patch: PromotionPatch) => {
      requireId('id', id);
      validatePromotionPatch(patch);
      return runUnitOfWork(client, 'update promotion', async (uow) => {
        const current = await readInUnit(uow, promotionValue, keys.promotion(id));
        if (!current) throw new NotFoundError('promotion', id);
        const next = patchPromotion(current, patch, deps.now());
        if (patch.code !== undefined && normaliseCode(patch.code) !== current.code.toUpperCase()) {
          await assertCodeFree(deps, uow, next.code, id);
        }
        uow.set(keys.promotion(id), promotionValue.encode(next));
        return next;
      });
    },

    delete: (id) =>
      runUnitOfWork(client, 'delete promotion', async (uow) => {
        if ((await uow.get(keys.promotion(id))) === null) return false;
        uow.del(keys.promotion(id));
        uow.push({ op: 'srem', key: keys.promotionsIndex(), member: id });
        return true;
      }),

    list,

    redeem: (promotionId) =>
      runUnitOfWork(client, 'redeem promotion', (uow) => redeemPromotionStep(deps, uow, promotionId)),
  };
}
