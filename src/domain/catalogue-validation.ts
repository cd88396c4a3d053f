/** Input rules for the workshop catalogue (§3, §4.9–§4.11). Pure; run before anything is written. */
import type {
  BaseFragranceOil,
  CalculatorSettings,
  CalculatorWickType,
  Container,
  GlobalScent,
} from './catalogue.js';
import { ValidationError } from './errors.js';
import {
  checkExtra,
  checkId,
  checkNumber,
  checkOptionalBoolean,
  checkOptionalNumber,
  checkOptionalString,
  checkOptionalStringArray,
  checkString,
  MAX_ID_LENGTH,
  MAX_NAME_LENGTH,
  MAX_TEXT_LENGTH,
} from './field-checks.js';

/** Scent ids (§3). */
export const SCENT_ID_PATTERN = /^[a-z0-9-]+$/;
/** Base oil, container and calculator wick ids (§3). */
export const WORKSHOP_ID_PATTERN = /^[a-z0-9_-]+$/;

const scentId = (id: unknown) => checkId('id', id, SCENT_ID_PATTERN, '^[a-z0-9-]+$');
const workshopId = (id: unknown) => checkId('id', id, WORKSHOP_ID_PATTERN, '^[a-z0-9_-]+$');
const name = (value: unknown) => checkString('name', value, MAX_NAME_LENGTH);
const dollars = (field: string, value: unknown) => checkNumber(field, value, { min: 0 });

export function validateScent(s: GlobalScent): void {
  scentId(s.id);
  name(s.name);
  checkOptionalBoolean('limited', s.limited);
  checkOptionalBoolean('experimental', s.experimental);
  checkOptionalBoolean('seasonal', s.seasonal);
  checkOptionalStringArray('enabledProducts', s.enabledProducts, MAX_ID_LENGTH);
  checkOptionalStringArray('notes', s.notes, MAX_NAME_LENGTH);
  checkOptionalNumber('sortOrder', s.sortOrder);
  checkOptionalNumber('costPerOz', s.costPerOz, { min: 0 });
  if (s.composition !== undefined && s.composition !== null) {
    if (!Array.isArray(s.composition)) throw new ValidationError('composition', 'must be an array');
    s.composition.forEach((part, i) => {
      checkString(`composition[${i}].baseOilId`, part?.baseOilId, MAX_ID_LENGTH);
      checkNumber(`composition[${i}].percentage`, part?.percentage, { min: 0, max: 100 });
      checkExtra(`composition[${i}].extra`, part.extra, ['baseOilId', 'percentage']);
    });
  }
  checkExtra('extra', s.extra, [
    'id',
    'name',
    'limited',
    'experimental',
    'enabledProducts',
    'sortOrder',
    'notes',
    'seasonal',
    'costPerOz',
    'composition',
  ]);
}

export function validateBaseOil(o: BaseFragranceOil): void {
  workshopId(o.id);
  name(o.name);
  dollars('costPerOz', o.costPerOz);
  checkExtra('extra', o.extra, ['id', 'name', 'costPerOz']);
}

export function validateContainer(c: Container): void {
  workshopId(c.id);
  name(c.name);
  checkNumber('capacityWaterOz', c.capacityWaterOz, { exclusiveMin: 0 });
  checkString('shape', c.shape, MAX_NAME_LENGTH, true);
  checkOptionalString('supplier', c.supplier, MAX_NAME_LENGTH);
  dollars('costPerUnit', c.costPerUnit);
  checkOptionalString('notes', c.notes, MAX_TEXT_LENGTH);
  checkExtra('extra', c.extra, [
    'id',
    'name',
    'capacityWaterOz',
    'shape',
    'supplier',
    'costPerUnit',
    'notes',
  ]);
}

export function validateCalculatorWick(w: CalculatorWickType): void {
  workshopId(w.id);
  name(w.name);
  dollars('costPerWick', w.costPerWick);
  checkOptionalString('appearAs', w.appearAs, MAX_NAME_LENGTH);
  checkExtra('extra', w.extra, ['id', 'name', 'costPerWick', 'appearAs']);
}

export function validateCalculatorSettings(s: CalculatorSettings): void {
  dollars('waxCostPerOz', s.waxCostPerOz);
  checkNumber('waterToWaxRatio', s.waterToWaxRatio, { exclusiveMin: 0 });
  checkNumber('defaultFragranceLoad', s.defaultFragranceLoad, { min: 0, max: 1 });
  checkExtra('extra', s.extra, ['waxCostPerOz', 'waterToWaxRatio', 'defaultFragranceLoad']);
}
