/**
 * Catalogue entities with one record key and one index set each (legacy-redis-format.md §4.8–§4.11):
 * alcohol types, global scents, base oils, containers and calculator wicks. A record whose id is
 * literally `index` cannot exist apart from its index set (§2c), and `classifyKey` never yields it.
 */
import { and, eq, ne, sql } from 'drizzle-orm';
import { fromAlcoholTypeRow, toAlcoholTypeRow } from '../../backends/postgres/mappers/alcohol-type.js';
import {
  fromBaseOilRow,
  fromCalculatorWickRow,
  fromContainerRow,
  fromScentRow,
  toBaseOilRow,
  toCalculatorWickRow,
  toContainerRow,
  toScentRow,
} from '../../backends/postgres/mappers/catalogue.js';
import { alcoholTypes } from '../../backends/postgres/schema/catalog.js';
import type {
  AlcoholTypeRow,
  BaseOilRow,
  CalculatorWickRow,
  ContainerRow,
  ScentRow,
} from '../../backends/postgres/schema.js';
import { baseOils, calculatorWicks, containers, scents } from '../../backends/postgres/schema/workshop.js';
import { recordEntity } from './record-entity.js';
import type { PgWriter } from './types.js';

/** Another alcohol type already holds this name case-insensitively (legacy renames, §8.16). */
async function nameTaken(db: PgWriter, id: string, name: string): Promise<boolean> {
  const rows = await db
    .select({ id: alcoholTypes.id })
    .from(alcoholTypes)
    .where(
      and(
        sql`lower(${alcoholTypes.name}) = lower(${name})`,
        ne(alcoholTypes.id, id),
        eq(alcoholTypes.nameConflict, false),
      ),
    )
    .limit(1);
  return rows.length > 0;
}

export const alcoholTypesEntity = recordEntity({
  name: 'alcohol_types',
  domain: 'catalogue',
  family: 'alcoholType',
  recordKey: (keys, id) => keys.alcoholType(id),
  indexes: [{ kind: 'set', key: (ctx) => ctx.keys.alcoholTypesIndex() }],
  indexKey: (keys) => keys.alcoholTypesIndex(),
  table: alcoholTypes,
  idColumn: alcoholTypes.id,
  toRows: async (db, record) => ({
    row: toAlcoholTypeRow(record, { nameConflict: await nameTaken(db, record.id, record.name) }),
  }),
  fromRows: (row) => fromAlcoholTypeRow(row as AlcoholTypeRow),
});

export const scentsEntity = recordEntity({
  name: 'scents',
  domain: 'catalogue',
  family: 'scent',
  recordKey: (keys, id) => keys.scent(id),
  indexes: [{ kind: 'set', key: (ctx) => ctx.keys.scentsIndex() }],
  indexKey: (keys) => keys.scentsIndex(),
  table: scents,
  idColumn: scents.id,
  toRows: async (_db, record) => ({ row: toScentRow(record) }),
  fromRows: (row) => fromScentRow(row as ScentRow),
});

export const baseOilsEntity = recordEntity({
  name: 'base_oils',
  domain: 'catalogue',
  family: 'baseOil',
  recordKey: (keys, id) => keys.baseOil(id),
  indexes: [{ kind: 'set', key: (ctx) => ctx.keys.baseOilsIndex() }],
  indexKey: (keys) => keys.baseOilsIndex(),
  table: baseOils,
  idColumn: baseOils.id,
  toRows: async (_db, record) => ({ row: toBaseOilRow(record) }),
  fromRows: (row) => fromBaseOilRow(row as BaseOilRow),
});

export const containersEntity = recordEntity({
  name: 'containers',
  domain: 'catalogue',
  family: 'container',
  recordKey: (keys, id) => keys.container(id),
  indexes: [{ kind: 'set', key: (ctx) => ctx.keys.containersIndex() }],
  indexKey: (keys) => keys.containersIndex(),
  table: containers,
  idColumn: containers.id,
  toRows: async (_db, record) => ({ row: toContainerRow(record) }),
  fromRows: (row) => fromContainerRow(row as ContainerRow),
});

export const calculatorWicksEntity = recordEntity({
  name: 'calculator_wicks',
  domain: 'catalogue',
  family: 'calculatorWick',
  recordKey: (keys, id) => keys.calculatorWick(id),
  indexes: [{ kind: 'set', key: (ctx) => ctx.keys.calculatorWicksIndex() }],
  indexKey: (keys) => keys.calculatorWicksIndex(),
  table: calculatorWicks,
  idColumn: calculatorWicks.id,
  toRows: async (_db, record) => ({ row: toCalculatorWickRow(record) }),
  fromRows: (row) => fromCalculatorWickRow(row as CalculatorWickRow),
});
