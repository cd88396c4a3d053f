/**
 * Workshop catalogue rows ⇄ domain (legacy-redis-format.md §4.9–§4.11): scents, base oils, containers,
 * the calculator settings (a single row, id 1) and calculator wicks. Dollar rates are `double
 * precision`, bit-exact (decisions.md §2).
 */
import { canonicalHash } from '../../../domain/canonical.js';
import type {
  BaseFragranceOil,
  CalculatorSettings,
  CalculatorWickType,
  Container,
  GlobalScent,
} from '../../../domain/catalogue.js';
import { compositionCodec } from '../../../legacy/codecs/catalogue.js';
import type {
  BaseOilRow,
  CalculatorSettingsRow,
  CalculatorWickRow,
  ContainerRow,
  NewBaseOilRow,
  NewCalculatorSettingsRow,
  NewCalculatorWickRow,
  NewContainerRow,
  NewScentRow,
  ScentCompositionJson,
  ScentRow,
} from '../schema/workshop.js';
import { extraColumn, NullTracker, RecordBuilder } from './common.js';

/** The `scents` insert row; `sync_written_at` is left to the caller. */
export function toScentRow(record: GlobalScent): NewScentRow {
  const n = new NullTracker();
  const composition = n.col('composition', record.composition);
  return {
    id: record.id,
    name: record.name,
    limited: n.col('limited', record.limited),
    experimental: n.col('experimental', record.experimental),
    enabledProducts: n.col('enabledProducts', record.enabledProducts),
    sortOrder: n.col('sortOrder', record.sortOrder),
    notes: n.col('notes', record.notes),
    seasonal: n.col('seasonal', record.seasonal),
    costPerOz: n.col('costPerOz', record.costPerOz),
    composition:
      composition && (composition.map((p) => compositionCodec.encode(p)) as ScentCompositionJson[]),
    extra: extraColumn(record.extra),
    legacyNulls: n.nulls,
    syncHash: canonicalHash(record),
  };
}

/** The scent exactly as the codec decodes its legacy JSON. */
export function fromScentRow(row: ScentRow): GlobalScent {
  return new RecordBuilder(row.legacyNulls)
    .req('id', row.id)
    .req('name', row.name)
    .opt('limited', row.limited)
    .opt('experimental', row.experimental)
    .opt('enabledProducts', row.enabledProducts, (xs) => [...xs])
    .opt('sortOrder', row.sortOrder)
    .opt('notes', row.notes, (xs) => [...xs])
    .opt('seasonal', row.seasonal)
    .opt('costPerOz', row.costPerOz)
    .opt('composition', row.composition, (xs) =>
      xs.map((p, i) => compositionCodec.decode(p, `composition[${i}]`)),
    )
    .extra(row.extra)
    .build<GlobalScent>();
}

/** The `base_oils` insert row. */
export function toBaseOilRow(record: BaseFragranceOil): NewBaseOilRow {
  return {
    id: record.id,
    name: record.name,
    costPerOz: record.costPerOz,
    extra: extraColumn(record.extra),
    legacyNulls: [],
    syncHash: canonicalHash(record),
  };
}

export function fromBaseOilRow(row: BaseOilRow): BaseFragranceOil {
  return new RecordBuilder(row.legacyNulls)
    .req('id', row.id)
    .req('name', row.name)
    .req('costPerOz', row.costPerOz)
    .extra(row.extra)
    .build<BaseFragranceOil>();
}

/** The `containers` insert row. */
export function toContainerRow(record: Container): NewContainerRow {
  const n = new NullTracker();
  return {
    id: record.id,
    name: record.name,
    capacityWaterOz: record.capacityWaterOz,
    shape: record.shape,
    supplier: n.col('supplier', record.supplier),
    costPerUnit: record.costPerUnit,
    notes: n.col('notes', record.notes),
    extra: extraColumn(record.extra),
    legacyNulls: n.nulls,
    syncHash: canonicalHash(record),
  };
}

export function fromContainerRow(row: ContainerRow): Container {
  return new RecordBuilder(row.legacyNulls)
    .req('id', row.id)
    .req('name', row.name)
    .req('capacityWaterOz', row.capacityWaterOz)
    .req('shape', row.shape)
    .opt('supplier', row.supplier)
    .req('costPerUnit', row.costPerUnit)
    .opt('notes', row.notes)
    .extra(row.extra)
    .build<Container>();
}

/** The single `calculator_settings` row (id 1). */
export function toCalculatorSettingsRow(record: CalculatorSettings): NewCalculatorSettingsRow {
  return {
    id: 1,
    waxCostPerOz: record.waxCostPerOz,
    waterToWaxRatio: record.waterToWaxRatio,
    defaultFragranceLoad: record.defaultFragranceLoad,
    extra: extraColumn(record.extra),
    legacyNulls: [],
    syncHash: canonicalHash(record),
  };
}

export function fromCalculatorSettingsRow(row: CalculatorSettingsRow): CalculatorSettings {
  return new RecordBuilder(row.legacyNulls)
    .req('waxCostPerOz', row.waxCostPerOz)
    .req('waterToWaxRatio', row.waterToWaxRatio)
    .req('defaultFragranceLoad', row.defaultFragranceLoad)
    .extra(row.extra)
    .build<CalculatorSettings>();
}

/** The `calculator_wicks` insert row. */
export function toCalculatorWickRow(record: CalculatorWickType): NewCalculatorWickRow {
  const n = new NullTracker();
  return {
    id: record.id,
    name: record.name,
    costPerWick: record.costPerWick,
    appearAs: n.col('appearAs', record.appearAs),
    extra: extraColumn(record.extra),
    legacyNulls: n.nulls,
    syncHash: canonicalHash(record),
  };
}

export function fromCalculatorWickRow(row: CalculatorWickRow): CalculatorWickType {
  return new RecordBuilder(row.legacyNulls)
    .req('id', row.id)
    .req('name', row.name)
    .req('costPerWick', row.costPerWick)
    .opt('appearAs', row.appearAs)
    .extra(row.extra)
    .build<CalculatorWickType>();
}
