import { describe, expect, it } from 'vitest';
import {
  type AlcoholType,
  alcoholTypeId,
  compareAlcoholTypes,
  newAlcoholTypeRecord,
} from '../../src/domain/alcohol-type.js';
import { ValidationError } from '../../src/domain/errors.js';

describe('alcohol type ids (§3)', () => {
  it.each([
    ['Tequila', 'tequila'],
    ['  Single Malt   Scotch ', 'single-malt-scotch'],
    ['Rum -- Dark', 'rum-dark'],
    ["Hendrick's Gin!", 'hendricks-gin'],
    ['Añejo', 'aejo'],
    ['Vodka\tflavoured', 'vodka-flavoured'],
    ['!!!', ''],
  ])('%j → %j', (name, id) => {
    expect(alcoholTypeId(name)).toBe(id);
  });

  it('a new type needs a name that gives an id with a letter or digit', () => {
    expect(() => newAlcoholTypeRecord({ name: '!!!' })).toThrow(ValidationError);
    expect(() => newAlcoholTypeRecord({ name: '- * -' })).toThrow(ValidationError);
    expect(newAlcoholTypeRecord({ name: ' Gin ' })).toEqual({ id: 'gin', name: 'Gin', archived: false });
  });

  it('orders by sortOrder, absent last, then name, then id', () => {
    const t = (id: string, name: string, sortOrder?: number): AlcoholType => ({ id, name, sortOrder });
    const sorted = [
      t('z', 'Z'),
      t('b', 'B', 20),
      t('a2', 'A', 20),
      t('a1', 'A', 20),
      t('neg', 'N', -1),
      t('y', 'Y'),
    ].sort(compareAlcoholTypes);
    expect(sorted.map((x) => x.id)).toEqual(['neg', 'a1', 'a2', 'b', 'y', 'z']);
  });
});
