/**
 * Raw readers for promotions: what each store actually holds, read without the repositories
 * (Redis: GET + the legacy codec, SMEMBERS; Postgres: the rows). `seed` writes a legacy record the
 * way the store (or the backfill) left it, for tests of legacy edge cases.
 */
import { eq } from 'drizzle-orm';
import { fromPromotionRow, toPromotionRow } from '../../../src/backends/postgres/mappers/promotion.js';
import { promotions } from '../../../src/backends/postgres/schema.js';
import { canonicalHash } from '../../../src/domain/canonical.js';
import type { Promotion } from '../../../src/domain/promotion.js';
import { decodePromotion, encodePromotion } from '../../../src/legacy/codecs/promotion.js';
import type { ContractContext, RawFactory } from '../harness.js';

export interface PromotionsRaw {
  /** The stored record in canonical form, or null. */
  promotion(id: string): Promise<Promotion | null>;
  /** Ids the store lists (Redis `promotions:index`; Postgres every row). */
  listedIds(): Promise<string[]>;
  /**
   * The store's bookkeeping agrees with the record: Redis, the JSON is exactly what the codec writes
   * and the id is indexed; Postgres, `sync_hash` is the record's canonical hash and `sync_written_at` is set.
   */
  bookkeepingOk(id: string): Promise<boolean>;
  /** Writes a legacy record directly; `duplicateCode` marks a second holder of a code (Postgres flag). */
  seed(p: Promotion, opts?: { duplicateCode?: boolean }): Promise<void>;
}

export const promotionsRaw: RawFactory<PromotionsRaw> = {
  redis(ctx: ContractContext): PromotionsRaw {
    const { client, keys } = ctx.redis!;
    const read = async (id: string) => {
      const raw = await client.get(keys.promotion(id));
      if (raw === null) return null;
      const r = decodePromotion(keys.promotion(id), raw);
      if (!r.ok) throw new Error(`stored promotion does not decode: ${r.error.problem}`);
      return { raw, value: r.value };
    };
    return {
      promotion: async (id) => (await read(id))?.value ?? null,
      listedIds: () => client.sMembers(keys.promotionsIndex()),
      bookkeepingOk: async (id) => {
        const r = await read(id);
        return (
          r !== null &&
          encodePromotion(r.value) === r.raw &&
          (await client.sIsMember(keys.promotionsIndex(), id)) === 1
        );
      },
      seed: async (p) => {
        await client.set(keys.promotion(p.id), encodePromotion(p));
        await client.sAdd(keys.promotionsIndex(), p.id);
      },
    };
  },
  postgres(ctx: ContractContext): PromotionsRaw {
    const db = ctx.pg!.db;
    const row = async (id: string) => (await db.select().from(promotions).where(eq(promotions.id, id)))[0];
    return {
      promotion: async (id) => {
        const r = await row(id);
        return r ? fromPromotionRow(r) : null;
      },
      listedIds: async () => (await db.select({ id: promotions.id }).from(promotions)).map((r) => r.id),
      bookkeepingOk: async (id) => {
        const r = await row(id);
        return (
          r !== undefined && r.syncHash === canonicalHash(fromPromotionRow(r)) && r.syncWrittenAt !== null
        );
      },
      seed: async (p, opts = {}) => {
        // As the backfill writes it: no live-write marker.
        await db.insert(promotions).values(toPromotionRow(p, { codeConflict: opts.duplicateCode }));
      },
    };
  },
};
