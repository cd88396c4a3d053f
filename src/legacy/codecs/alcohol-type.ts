/** `alcohol-type:{id}` (§4.8). */
import type { AlcoholType } from '../../domain/alcohol-type.js';
import { type ObjectFields, objectCodec, opt, req } from './object.js';
import { bool, num, str } from './primitives.js';
import { jsonValue } from './value.js';

const alcoholTypeFields: ObjectFields<AlcoholType> = {
  id: req(str),
  name: req(str),
  sortOrder: opt(num),
  archived: opt(bool),
};

export const alcoholTypeCodec = objectCodec<AlcoholType>(alcoholTypeFields, { extra: true });
export const alcoholTypeValue = jsonValue(alcoholTypeCodec);
export const decodeAlcoholType = alcoholTypeValue.decode;
export const encodeAlcoholType = alcoholTypeValue.encode;
