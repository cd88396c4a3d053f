/**
 * Workshop data the store keeps in Redis besides the catalogue (legacy-redis-format.md §4.9–4.11):
 * global scents, base fragrance oils, containers, the cost-calculator settings and its wick types.
 * HEAD never moved these to Postgres (§12); here they get a home so Redis can be retired. Money-like
 * rates are arbitrary dollar floats, kept bit-exact in `double precision` (decisions.md §2). The
 * admin stores request bodies whole, so each table has `extra` / `legacy_nulls`.
 */
import { sql } from 'drizzle-orm';
import { boolean, check, doublePrecision, jsonb, pgTable, smallint, text } from 'drizzle-orm/pg-core';
import { legacyColumns, syncColumns, timestampColumns, updatedAtColumn } from './columns.js';

/** One `composition[]` element of a scent; kept verbatim (percentages need not sum to 100). */
export interface ScentCompositionJson {
  baseOilId: string;
  percentage: number;
  [key: string]: unknown;
}

/** `global:scents:{id}`. */
export const scents = pgTable('scents', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** Current name of the flag; NULL = absent (records from before 2025-12-04 may lack it). */
  limited: boolean('limited'),
  /** The pre-2025-12-04 name of `limited`; old records carry it instead of, or beside, `limited`. */
  experimental: boolean('experimental'),
  /** Product slugs a limited scent is offered on; not checked (§8.6). */
  enabledProducts: text('enabled_products').array(),
  /** `number`; sorting treats absent as 999. */
  sortOrder: doublePrecision('sort_order'),
  notes: text('notes').array(),
  seasonal: boolean('seasonal'),
  costPerOz: doublePrecision('cost_per_oz'),
  composition: jsonb('composition').$type<ScentCompositionJson[]>(),
  /** Postgres-only bookkeeping (no legacy timestamps). */
  ...timestampColumns(),
  ...legacyColumns(),
  ...syncColumns(),
});

/** `global:base_oils:{id}`. */
export const baseOils = pgTable(
  'base_oils',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    costPerOz: doublePrecision('cost_per_oz').notNull(),
    ...timestampColumns(),
    ...legacyColumns(),
    ...syncColumns(),
  },
  (t) => [check('base_oils_cost_per_oz_check', sql`${t.costPerOz} >= 0`)],
);

/** `containers:{id}`. */
export const containers = pgTable(
  'containers',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    capacityWaterOz: doublePrecision('capacity_water_oz').notNull(),
    /** Free text (Round, Square, Bottle, …). */
    shape: text('shape').notNull(),
    supplier: text('supplier'),
    /** Dollars (not cents). */
    costPerUnit: doublePrecision('cost_per_unit').notNull(),
    notes: text('notes'),
    ...timestampColumns(),
    ...legacyColumns(),
    ...syncColumns(),
  },
  (t) => [
    check('containers_capacity_water_oz_check', sql`${t.capacityWaterOz} > 0`),
    check('containers_cost_per_unit_check', sql`${t.costPerUnit} >= 0`),
  ],
);

/**
 * `calculator:settings`: at most one row (`id` is always 1). No row = the key is absent and the app
 * uses its built-in defaults (157.64/720, 0.9, 0.08); the defaults are not materialised.
 */
export const calculatorSettings = pgTable(
  'calculator_settings',
  {
    id: smallint('id').primaryKey().default(1),
    waxCostPerOz: doublePrecision('wax_cost_per_oz').notNull(),
    waterToWaxRatio: doublePrecision('water_to_wax_ratio').notNull(),
    defaultFragranceLoad: doublePrecision('default_fragrance_load').notNull(),
    updatedAt: updatedAtColumn(),
    ...legacyColumns(),
    ...syncColumns(),
  },
  (t) => [
    check('calculator_settings_single_row_check', sql`${t.id} = 1`),
    check('calculator_settings_wax_cost_per_oz_check', sql`${t.waxCostPerOz} >= 0`),
    check('calculator_settings_water_to_wax_ratio_check', sql`${t.waterToWaxRatio} > 0`),
    check(
      'calculator_settings_default_fragrance_load_check',
      sql`${t.defaultFragranceLoad} >= 0 AND ${t.defaultFragranceLoad} <= 1`,
    ),
  ],
);

/** `calculator:wicks:{id}` (not the same thing as a product's `variantConfig.wickTypes`). */
export const calculatorWicks = pgTable('calculator_wicks', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** Dollars, e.g. 1.4705882352941178 (bit-exact). */
  costPerWick: doublePrecision('cost_per_wick').notNull(),
  appearAs: text('appear_as'),
  ...timestampColumns(),
  ...legacyColumns(),
  ...syncColumns(),
});

export type ScentRow = typeof scents.$inferSelect;
export type NewScentRow = typeof scents.$inferInsert;
export type BaseOilRow = typeof baseOils.$inferSelect;
export type NewBaseOilRow = typeof baseOils.$inferInsert;
export type ContainerRow = typeof containers.$inferSelect;
export type NewContainerRow = typeof containers.$inferInsert;
export type CalculatorSettingsRow = typeof calculatorSettings.$inferSelect;
export type NewCalculatorSettingsRow = typeof calculatorSettings.$inferInsert;
export type CalculatorWickRow = typeof calculatorWicks.$inferSelect;
export type NewCalculatorWickRow = typeof calculatorWicks.$inferInsert;
