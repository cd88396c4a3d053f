import { describe, expect, it } from 'vitest';
import type { GlobalScent } from '../../src/domain/catalogue.js';
import { InsufficientStockError } from '../../src/domain/errors.js';
import {
  applyStockChange,
  deriveVariants,
  isScentOffered,
  type Product,
  splitVariantId,
  variantSku,
} from '../../src/domain/product.js';
import { liveCopyOfStatic, staticProduct, staticProducts } from '../../src/domain/static-catalogue.js';

const product = (over: Partial<Product> = {}): Product => ({
  slug: 'titos-candle',
  name: "Tito's Candle",
  priceCents: 2499,
  sku: 'DCW-0001',
  stock: 2,
  variantConfig: {
    wickTypes: [
      { id: 'standard', name: 'Standard Wick' },
      { id: 'wood', name: 'Wood Wick' },
    ],
    variantData: { 'standard-vanilla': { stock: 4 }, 'wood-pumpkin-spice': { stock: 1, stripePriceId: '' } },
  },
  ...over,
});

const scents: GlobalScent[] = [
  { id: 'vanilla', name: 'Vanilla', limited: false },
  { id: 'pumpkin-spice', name: 'Pumpkin Spice', limited: true, enabledProducts: ['titos-candle'] },
  { id: 'peppermint', name: 'Peppermint', limited: true, enabledProducts: ['casamigos-candle'] },
  { id: 'old-amber', name: 'Old Amber', experimental: true },
];

describe('variant derivation (§4.4)', () => {
  it('crosses the wick types with the scents offered on the product, in wick then scent order', () => {
    const variants = deriveVariants(product(), scents);
    expect(variants.map((v) => [v.id, v.sku, v.stock])).toEqual([
      ['standard-vanilla', 'DCW-0001-STD-VAN', 4],
      ['standard-pumpkin-spice', 'DCW-0001-STD-PUM', 0],
      ['standard-old-amber', 'DCW-0001-STD-OLD', 0],
      ['wood-vanilla', 'DCW-0001-WD-VAN', 0],
      ['wood-pumpkin-spice', 'DCW-0001-WD-PUM', 1],
      ['wood-old-amber', 'DCW-0001-WD-OLD', 0],
    ]);
    expect(variants[4]).toMatchObject({ wickTypeName: 'Wood Wick', scentName: 'Pumpkin Spice' });
  });

  it('a product without a variantConfig has no variants', () => {
    expect(deriveVariants(product({ variantConfig: undefined }), scents)).toEqual([]);
    expect(deriveVariants(product({ variantConfig: null }), scents)).toEqual([]);
  });

  it('only `limited` restricts a scent: an old `experimental`-only record is offered everywhere, as in the store', () => {
    expect(isScentOffered(scents[2]!, 'titos-candle')).toBe(false);
    expect(isScentOffered(scents[2]!, 'casamigos-candle')).toBe(true);
    expect(isScentOffered(scents[3]!, 'any-candle')).toBe(true);
    expect(isScentOffered({ id: 'x', name: 'X', limited: true }, 'any-candle')).toBe(false);
  });

  it('the SKU says WD only for the wick id "wood" and upper-cases the first 3 scent characters', () => {
    expect(variantSku('DCW-0042', 'wood', 'desert-rain')).toBe('DCW-0042-WD-DES');
    expect(variantSku('DCW-0042', 'wood-thick', 'ci')).toBe('DCW-0042-STD-CI');
    expect(variantSku('DCW-0042', 'wick-1734000000000', 'lavender')).toBe('DCW-0042-STD-LAV');
    expect(variantSku(null, 'standard', 'vanilla')).toBe('null-STD-VAN');
  });

  it('splits a variant id by the first wick type (in order) that prefixes it; both parts may hold hyphens', () => {
    const wicks = [
      { id: 'wick-1734000000000', name: 'Hemp' },
      { id: 'wood', name: 'Wood' },
      { id: 'wood-smoke', name: 'Wood smoke' },
    ];
    expect(splitVariantId('wick-1734000000000-desert-rain', wicks)).toEqual({
      wickTypeId: 'wick-1734000000000',
      scentId: 'desert-rain',
    });
    // `wood` comes first in wickTypes order, so it wins over the longer `wood-smoke`.
    expect(splitVariantId('wood-smoke-vanilla', wicks)).toEqual({
      wickTypeId: 'wood',
      scentId: 'smoke-vanilla',
    });
    expect(splitVariantId('removed-wick-vanilla', wicks)).toBeNull();
    expect(splitVariantId('wood', wicks)).toBeNull();
  });
});

describe('applyStockChange', () => {
  it('moves base stock and refuses to go below zero with what was asked and what is there', () => {
    expect(applyStockChange(product(), { slug: 'titos-candle', delta: -2 }).stock).toBe(0);
    const err = (() => {
      try {
        applyStockChange(product(), { slug: 'titos-candle', delta: -3 });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(InsufficientStockError);
    expect(err).toMatchObject({ requested: 3, available: 2, variantId: undefined });
  });

  it('treats a null stock and a missing variant entry as 0', () => {
    expect(applyStockChange(product({ stock: null }), { slug: 'titos-candle', delta: 1 }).stock).toBe(1);
    expect(() =>
      applyStockChange(product(), { slug: 'titos-candle', variantId: 'wood-vanilla', delta: -1 }),
    ).toThrow(InsufficientStockError);
    const created = applyStockChange(product(), {
      slug: 'titos-candle',
      variantId: 'wood-vanilla',
      delta: 2,
    });
    expect(created.variantConfig?.variantData['wood-vanilla']).toEqual({ stock: 2 });
  });

  it('keeps the other keys of the entry and never mutates its input', () => {
    const before = product();
    const after = applyStockChange(before, {
      slug: 'titos-candle',
      variantId: 'wood-pumpkin-spice',
      delta: 3,
    });
    expect(after.variantConfig?.variantData['wood-pumpkin-spice']).toEqual({ stock: 4, stripePriceId: '' });
    expect(before.variantConfig?.variantData['wood-pumpkin-spice']).toEqual({ stock: 1, stripePriceId: '' });
  });

  it('a variant id such as "__proto__" is an ordinary key', () => {
    const after = applyStockChange(product(), { slug: 'titos-candle', variantId: '__proto__', delta: 1 });
    expect(Object.hasOwn(after.variantConfig!.variantData, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(after.variantConfig!.variantData)).toBe(Object.prototype);
  });
});

describe('static catalogue (§4.4)', () => {
  it('has the 15 store products with their SKUs, prices, alcohol types and best sellers', () => {
    const all = staticProducts();
    expect(all.map((p) => p.sku)).toEqual(
      Array.from({ length: 15 }, (_, i) => `DCW-${String(i + 1).padStart(4, '0')}`),
    );
    expect(
      all.every((p) => p.stock === 0 && p.variantConfig === undefined && p.image?.startsWith('/images/')),
    ).toBe(true);
    expect(all.filter((p) => p.bestSeller).map((p) => p.slug)).toEqual([
      'titos-candle',
      'casamigos-candle',
      'stgermain-candle',
      'woodford-reserve-candle',
      'bulleit-bourbon-candle',
    ]);
    expect(staticProduct('woodford-reserve-candle')).toMatchObject({
      priceCents: 2999,
      alcoholType: 'Whiskey',
    });
    expect(staticProduct('la-crema-candle')).toMatchObject({ priceCents: 1999, alcoholType: 'Wine' });
    expect(staticProduct('titos-candle')?.image).toBe('/images/titos-min.png');
    expect(staticProduct('not-static')).toBeNull();
  });

  it('ensureLive coerces the booleans and clamps stock at 0', () => {
    const copy = liveCopyOfStatic({ ...staticProduct('bacardi-candle')!, stock: -3 });
    expect(copy).toMatchObject({ bestSeller: false, youngDumb: false, stock: 0, sku: 'DCW-0009' });
  });
});
