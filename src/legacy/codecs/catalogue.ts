/**
 * Scents, base oils, containers, calculator settings and calculator wicks (§4.9–§4.11). The admin POST
 * stores the request body whole: optional fields may be `null`, unknown keys go to `extra`. Dollar rates
 * are plain floats, kept bit-exact.
 */
import type {
  BaseFragranceOil,
  CalculatorSettings,
  CalculatorWickType,
  Container,
  GlobalScent,
  ScentCompositionPart,
} from '../../domain/catalogue.js';
import { type ObjectFields, objectCodec, optOrNull, req } from './object.js';
import { arrayOf, bool, num, str } from './primitives.js';
import { jsonValue } from './value.js';

export const compositionCodec = objectCodec<ScentCompositionPart>(
  { baseOilId: req(str), percentage: req(num) },
  { extra: true },
);

const scentFields: ObjectFields<GlobalScent> = {
  id: req(str),
  name: req(str),
  limited: optOrNull(bool),
  experimental: optOrNull(bool),
  enabledProducts: optOrNull(arrayOf(str)),
  sortOrder: optOrNull(num),
  notes: optOrNull(arrayOf(str)),
  seasonal: optOrNull(bool),
  costPerOz: optOrNull(num),
  composition: optOrNull(arrayOf(compositionCodec)),
};

export const scentCodec = objectCodec<GlobalScent>(scentFields, { extra: true });
export const scentValue = jsonValue(scentCodec);
export const decodeScent = scentValue.decode;
export const encodeScent = scentValue.encode;

export const baseOilCodec = objectCodec<BaseFragranceOil>(
  { id: req(str), name: req(str), costPerOz: req(num) },
  { extra: true },
);
export const baseOilValue = jsonValue(baseOilCodec);
export const decodeBaseOil = baseOilValue.decode;
export const encodeBaseOil = baseOilValue.encode;

const containerFields: ObjectFields<Container> = {
  id: req(str),
  name: req(str),
  capacityWaterOz: req(num),
  shape: req(str),
  supplier: optOrNull(str),
  costPerUnit: req(num),
  notes: optOrNull(str),
};

export const containerCodec = objectCodec<Container>(containerFields, { extra: true });
export const containerValue = jsonValue(containerCodec);
export const decodeContainer = containerValue.decode;
export const encodeContainer = containerValue.encode;

export const calculatorSettingsCodec = objectCodec<CalculatorSettings>(
  { waxCostPerOz: req(num), waterToWaxRatio: req(num), defaultFragranceLoad: req(num) },
  { extra: true },
);
export const calculatorSettingsValue = jsonValue(calculatorSettingsCodec);
export const decodeCalculatorSettings = calculatorSettingsValue.decode;
export const encodeCalculatorSettings = calculatorSettingsValue.encode;

export const calculatorWickCodec = objectCodec<CalculatorWickType>(
  { id: req(str), name: req(str), costPerWick: req(num), appearAs: optOrNull(str) },
  { extra: true },
);
export const calculatorWickValue = jsonValue(calculatorWickCodec);
export const decodeCalculatorWick = calculatorWickValue.decode;
export const encodeCalculatorWick = calculatorWickValue.encode;
