/**
 * Raw readers for the workshop catalogue (Redis: GET + the legacy codecs, SMEMBERS; Postgres: the
 * rows). One reader per kind of record, picked by `kind`.
 */
import { eq } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import {
  fromBaseOilRow,
  fromCalculatorSettingsRow,
  fromCalculatorWickRow,
  fromContainerRow,
  fromScentRow,
  toBaseOilRow,
  toCalculatorWickRow,
  toContainerRow,
  toScentRow,
} from '../../../src/backends/postgres/mappers/catalogue.js';
import {
  baseOils,
  calculatorSettings,
  calculatorWicks,
  containers,
  scents,
} from '../../../src/backends/postgres/schema.js';
import { canonicalHash } from '../../../src/domain/canonical.js';
import type {
  BaseFragranceOil,
  CalculatorSettings,
  CalculatorWickType,
  Container,
  GlobalScent,
} from '../../../src/domain/catalogue.js';
import {
  baseOilValue,
  calculatorSettingsValue,
  calculatorWickValue,
  containerValue,
  scentValue,
} from '../../../src/legacy/codecs/catalogue.js';
import type { ValueCodec } from '../../../src/legacy/codecs/value.js';
import type { LegacyKeys } from '../../../src/legacy/keys.js';
import type { ContractContext, RawFactory } from '../harness.js';

export interface CatalogueRecords {
  scent: GlobalScent;
  baseOil: BaseFragranceOil;
  container: Container;
  wick: CalculatorWickType;
}
export type CatalogueKind = keyof CatalogueRecords;

export interface CatalogueRaw {
  /** The stored record in canonical form, or null. */
  record<K extends CatalogueKind>(kind: K, id: string): Promise<CatalogueRecords[K] | null>;
  /** Ids the store lists (Redis `…:index`; Postgres every row). */
  listedIds(kind: CatalogueKind): Promise<string[]>;
  /** Redis: the JSON is exactly what the codec writes; Postgres: `sync_hash` matches and `sync_written_at` is set. */
  bookkeepingOk(kind: CatalogueKind, id: string): Promise<boolean>;
  /** The saved calculator settings, or null when none were saved. */
  settings(): Promise<CalculatorSettings | null>;
  /** Writes a legacy record directly (record + index; Postgres rows as the backfill writes them). */
  seed<K extends CatalogueKind>(kind: K, record: CatalogueRecords[K]): Promise<void>;
}

interface RedisKind {
  value: ValueCodec<{ id: string }>;
  record: (keys: LegacyKeys, id: string) => string;
  index: (keys: LegacyKeys) => string;
}

const REDIS: Record<CatalogueKind, RedisKind> = {
  scent: { value: scentValue as never, record: (k, id) => k.scent(id), index: (k) => k.scentsIndex() },
  baseOil: {
    value: baseOilValue as never,
    record: (k, id) => k.baseOil(id),
    index: (k) => k.baseOilsIndex(),
  },
  container: {
    value: containerValue as never,
    record: (k, id) => k.container(id),
    index: (k) => k.containersIndex(),
  },
  wick: {
    value: calculatorWickValue as never,
    record: (k, id) => k.calculatorWick(id),
    index: (k) => k.calculatorWicksIndex(),
  },
};

interface PgKind {
  // biome-ignore lint/suspicious/noExplicitAny: one table per kind; rows are mapped by the kind's own mapper.
  table: PgTable & { id: any };
  from: (row: never) => { id: string };
  to: (record: never) => Record<string, unknown>;
}

const PG: Record<CatalogueKind, PgKind> = {
  scent: { table: scents, from: fromScentRow, to: toScentRow as never },
  baseOil: { table: baseOils, from: fromBaseOilRow, to: toBaseOilRow as never },
  container: { table: containers, from: fromContainerRow, to: toContainerRow as never },
  wick: { table: calculatorWicks, from: fromCalculatorWickRow, to: toCalculatorWickRow as never },
};

export const catalogueRaw: RawFactory<CatalogueRaw> = {
  redis(ctx: ContractContext): CatalogueRaw {
    const { client, keys } = ctx.redis!;
    const read = async (kind: CatalogueKind, id: string) => {
      const k = REDIS[kind];
      const raw = await client.get(k.record(keys, id));
      if (raw === null) return null;
      const r = k.value.decode(k.record(keys, id), raw);
      if (!r.ok) throw new Error(`stored ${kind} does not decode: ${r.error.problem}`);
      return { raw, value: r.value };
    };
    return {
      record: async <K extends CatalogueKind>(kind: K, id: string) =>
        ((await read(kind, id))?.value ?? null) as CatalogueRecords[K] | null,
      listedIds: (kind) => client.sMembers(REDIS[kind].index(keys)),
      bookkeepingOk: async (kind, id) => {
        const r = await read(kind, id);
        return r !== null && REDIS[kind].value.encode(r.value) === r.raw;
      },
      settings: async () => {
        const raw = await client.get(keys.calculatorSettings());
        if (raw === null) return null;
        const r = calculatorSettingsValue.decode(keys.calculatorSettings(), raw);
        if (!r.ok) throw new Error(`stored settings do not decode: ${r.error.problem}`);
        return r.value;
      },
      seed: async (kind, record) => {
        const k = REDIS[kind];
        await client.set(k.record(keys, record.id), k.value.encode(record));
        await client.sAdd(k.index(keys), record.id);
      },
    };
  },

  postgres(ctx: ContractContext): CatalogueRaw {
    const db = ctx.pg!.db;
    const row = async (kind: CatalogueKind, id: string) => {
      const k = PG[kind];
      return (await db.select().from(k.table).where(eq(k.table.id, id)))[0] as
        | Record<string, unknown>
        | undefined;
    };
    return {
      record: async <K extends CatalogueKind>(kind: K, id: string) => {
        const r = await row(kind, id);
        return (r ? PG[kind].from(r as never) : null) as CatalogueRecords[K] | null;
      },
      listedIds: async (kind) =>
        ((await db.select().from(PG[kind].table)) as { id: string }[]).map((r) => r.id),
      bookkeepingOk: async (kind, id) => {
        const r = await row(kind, id);
        return (
          r !== undefined &&
          r.syncHash === canonicalHash(PG[kind].from(r as never)) &&
          r.syncWrittenAt !== null
        );
      },
      settings: async () => {
        const r = (await db.select().from(calculatorSettings))[0];
        return r ? fromCalculatorSettingsRow(r) : null;
      },
      seed: async (kind, record) => {
        await db.insert(PG[kind].table).values(PG[kind].to(record as never) as never);
      },
    };
  },
};
