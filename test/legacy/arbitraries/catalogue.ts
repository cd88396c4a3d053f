/** Arbitraries for scents, base oils, containers and the cost calculator (§4.9–§4.11). */
import fc from 'fast-check';
import type {
  BaseFragranceOil,
  CalculatorSettings,
  CalculatorWickType,
  Container,
  GlobalScent,
  ScentCompositionPart,
} from '../../../src/domain/catalogue.js';
import {
  baseOilCodec,
  calculatorSettingsCodec,
  calculatorWickCodec,
  compositionCodec,
  containerCodec,
  scentCodec,
} from '../../../src/legacy/codecs/catalogue.js';
import {
  anyNumber,
  catalogueId,
  dollarRate,
  orNull,
  recordWith,
  slug,
  text,
  withExtra,
} from './primitives.js';

const compositionPart: fc.Arbitrary<ScentCompositionPart> = withExtra(
  fc.record({
    baseOilId: catalogueId,
    percentage: fc.double({ min: 0, max: 100, noNaN: true }).map((x) => x + 0),
  }),
  compositionCodec,
);

/** Includes the pre-2025-12-04 shape (`experimental` alone) and records with both flags. */
export const scent: fc.Arbitrary<GlobalScent> = withExtra(
  recordWith<GlobalScent>(
    {
      id: fc.stringMatching(/^[a-z0-9-]{1,20}$/).filter((id) => id !== 'index'),
      name: text,
      limited: orNull(fc.boolean()),
      experimental: orNull(fc.boolean()),
      enabledProducts: orNull(fc.array(slug, { maxLength: 3 })),
      sortOrder: orNull(anyNumber),
      notes: orNull(fc.array(text, { maxLength: 3 })),
      seasonal: orNull(fc.boolean()),
      costPerOz: orNull(dollarRate),
      composition: orNull(fc.array(compositionPart, { maxLength: 3 })),
    },
    ['id', 'name'],
  ),
  scentCodec,
);

export const baseOil: fc.Arbitrary<BaseFragranceOil> = withExtra(
  fc.record({ id: catalogueId, name: text, costPerOz: dollarRate }),
  baseOilCodec,
);

export const container: fc.Arbitrary<Container> = withExtra(
  recordWith<Container>(
    {
      id: catalogueId,
      name: text,
      capacityWaterOz: fc.double({ min: 0.1, max: 100, noNaN: true }),
      shape: fc.oneof(fc.constantFrom('Round', 'Square', 'Bottle'), text),
      supplier: orNull(text),
      costPerUnit: dollarRate,
      notes: orNull(text),
    },
    ['id', 'name', 'capacityWaterOz', 'shape', 'costPerUnit'],
  ),
  containerCodec,
);

export const calculatorSettings: fc.Arbitrary<CalculatorSettings> = withExtra(
  fc.record({
    waxCostPerOz: dollarRate,
    waterToWaxRatio: fc.double({ min: 0.01, max: 2, noNaN: true }),
    defaultFragranceLoad: fc.double({ min: 0, max: 1, noNaN: true }).map((x) => x + 0),
  }),
  calculatorSettingsCodec,
);

export const calculatorWick: fc.Arbitrary<CalculatorWickType> = withExtra(
  recordWith<CalculatorWickType>(
    { id: catalogueId, name: text, costPerWick: dollarRate, appearAs: orNull(text) },
    ['id', 'name', 'costPerWick'],
  ),
  calculatorWickCodec,
);
