/**
 * Raw readers for alcohol types (Redis: GET + the legacy codec, SMEMBERS; Postgres: the rows). `seed`
 * writes a legacy record the way the store (or the backfill) left it.
 */
import { eq } from 'drizzle-orm';
import { fromAlcoholTypeRow, toAlcoholTypeRow } from '../../../src/backends/postgres/mappers/alcohol-type.js';
import { alcoholTypes } from '../../../src/backends/postgres/schema.js';
import type { AlcoholType } from '../../../src/domain/alcohol-type.js';
import { canonicalHash } from '../../../src/domain/canonical.js';
import { decodeAlcoholType, encodeAlcoholType } from '../../../src/legacy/codecs/alcohol-type.js';
import type { ContractContext, RawFactory } from '../harness.js';

export interface AlcoholTypesRaw {
  /** The stored record in canonical form, or null. */
  type(id: string): Promise<AlcoholType | null>;
  /** Ids the store lists (Redis `alcohol-types:index`; Postgres every row). */
  listedIds(): Promise<string[]>;
  /** Redis: the JSON is exactly what the codec writes; Postgres: `sync_hash` matches and `sync_written_at` is set. */
  bookkeepingOk(id: string): Promise<boolean>;
  /** Writes a legacy record directly; `nameConflict` marks a legacy duplicate name (Postgres flag). */
  seed(t: AlcoholType, opts?: { nameConflict?: boolean }): Promise<void>;
}

export const alcoholTypesRaw: RawFactory<AlcoholTypesRaw> = {
  redis(ctx: ContractContext): AlcoholTypesRaw {
    const { client, keys } = ctx.redis!;
    const read = async (id: string) => {
      const raw = await client.get(keys.alcoholType(id));
      if (raw === null) return null;
      const r = decodeAlcoholType(keys.alcoholType(id), raw);
      if (!r.ok) throw new Error(`stored alcohol type does not decode: ${r.error.problem}`);
      return { raw, value: r.value };
    };
    return {
      type: async (id) => (await read(id))?.value ?? null,
      listedIds: () => client.sMembers(keys.alcoholTypesIndex()),
      bookkeepingOk: async (id) => {
        const r = await read(id);
        return r !== null && encodeAlcoholType(r.value) === r.raw;
      },
      seed: async (t) => {
        await client.set(keys.alcoholType(t.id), encodeAlcoholType(t));
        await client.sAdd(keys.alcoholTypesIndex(), t.id);
      },
    };
  },

  postgres(ctx: ContractContext): AlcoholTypesRaw {
    const db = ctx.pg!.db;
    const row = async (id: string) =>
      (await db.select().from(alcoholTypes).where(eq(alcoholTypes.id, id)))[0];
    return {
      type: async (id) => {
        const r = await row(id);
        return r ? fromAlcoholTypeRow(r) : null;
      },
      listedIds: async () => (await db.select({ id: alcoholTypes.id }).from(alcoholTypes)).map((r) => r.id),
      bookkeepingOk: async (id) => {
        const r = await row(id);
        return (
          r !== undefined && r.syncHash === canonicalHash(fromAlcoholTypeRow(r)) && r.syncWrittenAt !== null
        );
      },
      seed: async (t, opts = {}) => {
        await db
          .insert(alcoholTypes)
          .values(toAlcoholTypeRow(t, { nameConflict: opts.nameConflict ?? false }));
      },
    };
  },
};
