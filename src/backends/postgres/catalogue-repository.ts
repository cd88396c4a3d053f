/**
 * The workshop catalogue in `scents`, `base_oils`, `containers`, `calculator_wicks` and the single-row
 * `calculator_settings`. Lists are sorted in TypeScript with the same comparators as on Redis, so both
 * backends return the same order. Reads never write: the store's wick seed-on-read (§8.17) is
 * `calculatorWicks.seedDefaults()`, on request.
 */
import { eq } from 'drizzle-orm';
import {
  type CalculatorSettings,
  type CalculatorSettingsRead,
  type CalculatorWickType,
  type CatalogueCollection,
  type CatalogueRepository,
  compareByName,
  compareScents,
  defaultCalculatorSettings,
  defaultCalculatorWicks,
  type GlobalScent,
} from '../../domain/catalogue.js';
import {
  validateBaseOil,
  validateCalculatorSettings,
  validateCalculatorWick,
  validateContainer,
  validateScent,
} from '../../domain/catalogue-validation.js';
import { checkString, MAX_ID_LENGTH } from '../../domain/field-checks.js';
import { isScentOffered } from '../../domain/product.js';
import type { PgDeps } from './index.js';
import {
  fromBaseOilRow,
  fromCalculatorSettingsRow,
  fromCalculatorWickRow,
  fromContainerRow,
  fromScentRow,
  toBaseOilRow,
  toCalculatorSettingsRow,
  toCalculatorWickRow,
  toContainerRow,
  toScentRow,
} from './mappers/catalogue.js';
import { baseOils, calculatorSettings, calculatorWicks, containers, scents } from './schema.js';

type CatalogueTable = typeof scents | typeof baseOils | typeof containers | typeof calculatorWicks;

/** How one kind of record is stored and checked. */
interface Kind<T extends { id: string }> {
  table: CatalogueTable;
  toRow: (record: T) => Record<string, unknown>;
  fromRow: (row: never) => T;
  validate: (record: T) => void;
  compare: (a: T, b: T) => number;
}

function collection<T extends { id: string }>(deps: PgDeps, kind: Kind<T>): CatalogueCollection<T> {
  const { db } = deps.pg;
  const { table } = kind;
  const checkId = (id: unknown) => checkString('id', id, MAX_ID_LENGTH);
  const fromRow = (row: unknown) => kind.fromRow(row as never);
  return {
    async list(): Promise<T[]> {
      return ((await db.select().from(table)) as unknown[]).map(fromRow).sort(kind.compare);
    },

    async get(id: string): Promise<T | null> {
      const [row] = await db
        .select()
        .from(table)
        .where(eq(table.id, checkId(id)));
      return row ? fromRow(row) : null;
    },

    async upsert(record: T): Promise<T> {
      kind.validate(record);
      const { id: _id, ...columns } = kind.toRow(record);
      const [row] = await db
        .insert(table)
        .values({ ...kind.toRow(record), syncWrittenAt: deps.now() } as never)
        .onConflictDoUpdate({ target: table.id, set: { ...columns, syncWrittenAt: deps.now() } as never })
        .returning();
      return fromRow(row);
    },

    async delete(id: string): Promise<boolean> {
      const gone = await db
        .delete(table)
        .where(eq(table.id, checkId(id)))
        .returning({ id: table.id });
      return gone.length > 0;
    },
  };
}

export function createPostgresCatalogueRepository(deps: PgDeps): CatalogueRepository {
  const { db } = deps.pg;
  const scentCollection = collection<GlobalScent>(deps, {
    table: scents,
    toRow: toScentRow,
    fromRow: fromScentRow,
    validate: validateScent,
    compare: compareScents,
  });
  const wicks = collection<CalculatorWickType>(deps, {
    table: calculatorWicks,
    toRow: toCalculatorWickRow,
    fromRow: fromCalculatorWickRow,
    validate: validateCalculatorWick,
    compare: compareByName,
  });

  return {
    scents: {
      ...scentCollection,
      async forProduct(slug: string): Promise<GlobalScent[]> {
        const checked = checkString('slug', slug, MAX_ID_LENGTH);
        return (await scentCollection.list()).filter((s) => isScentOffered(s, checked));
      },
    },
    baseOils: collection(deps, {
      table: baseOils,
      toRow: toBaseOilRow,
      fromRow: fromBaseOilRow,
      validate: validateBaseOil,
      compare: compareByName,
    }),
    containers: collection(deps, {
      table: containers,
      toRow: toContainerRow,
      fromRow: fromContainerRow,
      validate: validateContainer,
      compare: compareByName,
    }),
    calculatorWicks: {
      ...wicks,
      async seedDefaults(): Promise<CalculatorWickType[]> {
        return db.transaction(async (tx) => {
          if ((await tx.select({ id: calculatorWicks.id }).from(calculatorWicks).limit(1)).length > 0)
            return [];
          const defaults = defaultCalculatorWicks();
          // A concurrent seed inserts first; this one then inserts nothing and reports nothing.
          const inserted = await tx
            .insert(calculatorWicks)
            .values(defaults.map((w) => ({ ...toCalculatorWickRow(w), syncWrittenAt: deps.now() })))
            .onConflictDoNothing()
            .returning({ id: calculatorWicks.id });
          const ids = new Set(inserted.map((r) => r.id));
          return defaults.filter((w) => ids.has(w.id));
        });
      },
    },
    calculatorSettings: {
      async get(): Promise<CalculatorSettingsRead> {
        const [row] = await db.select().from(calculatorSettings).where(eq(calculatorSettings.id, 1));
        return row
          ? { settings: fromCalculatorSettingsRow(row), isDefault: false }
          : { settings: defaultCalculatorSettings(), isDefault: true };
      },

      async set(settings: CalculatorSettings): Promise<CalculatorSettings> {
        validateCalculatorSettings(settings);
        const { id: _id, ...columns } = toCalculatorSettingsRow(settings);
        const [row] = await db
          .insert(calculatorSettings)
          .values({ ...toCalculatorSettingsRow(settings), syncWrittenAt: deps.now() })
          .onConflictDoUpdate({
            target: calculatorSettings.id,
            set: { ...columns, syncWrittenAt: deps.now() },
          })
          .returning();
        return fromCalculatorSettingsRow(row!);
      },
    },
  };
}
