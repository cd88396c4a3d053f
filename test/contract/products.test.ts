import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InsufficientStockError, NotFoundError, ValidationError } from '../../src/domain/errors.js';
import type { Product } from '../../src/domain/product.js';
import { rawFor, runContract } from './harness.js';
import { productsRaw } from './raw/products.js';

const uniq = () => randomUUID().slice(0, 8);

function product(over: Partial<Product> = {}): Product {
  const slug = `mezcal-candle-${uniq()}`;
  return {
    slug,
    name: 'Mezcal Candle',
    priceCents: 2499,
    images: [`https://blob.example/products/${slug}.png`],
    sku: 'DCW-0100',
    seoDescription: 'Hand-poured candle in an upcycled bottle.',
    bestSeller: false,
    stock: 7,
    variantConfig: {
      wickTypes: [
        { id: 'standard', name: 'Standard Wick' },
        { id: 'wood', name: 'Wood Wick' },
      ],
      variantData: { 'standard-vanilla': { stock: 4 }, 'wood-desert-rain': { stock: 2 } },
    },
    alcoholType: 'Tequila',
    materialCostCents: 612,
    visibleOnWebsite: true,
    ...over,
  };
}

/** A record as the store's PATCH and the October 2025 code could leave it. */
function legacyProduct(over: Partial<Product> = {}): Product {
  return product({
    image: null,
    stock: null,
    squareVariantMapping: {},
    variantConfig: {
      wickTypes: [{ id: 'standard', name: 'Standard Wick', extra: { default: true } }],
      scents: [{ id: 'vanilla', name: 'Vanilla' }],
      variantData: {
        'standard-vanilla': { stock: 3, stripePriceId: '' },
        'removed-wick-vanilla': { stock: 1 },
        'standard-lavender': { stock: null },
      },
    },
    extra: { draftSavedAt: '2025-12-02T10:00:00.000Z', unknownFlag: null },
    ...over,
  });
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

runContract('products', (ctx) => {
  const repo = () => ctx().layer.products;
  const raw = () => rawFor(ctx(), productsRaw);

  describe('upsert and read', () => {
    it('stores a new product exactly as it returns it, with the price in dollars in the legacy JSON', async () => {
      const p = product();
      const stored = await repo().upsert(p);
      expect(stored).toEqual(p);
      expect(await raw().product(p.slug)).toEqual(p);
      expect(await raw().listed(p.slug)).toBe(true);
      expect(await raw().bookkeepingOk(p.slug)).toBe(true);
      expect(await raw().legacyJson(p.slug)).toMatchObject({ price: 24.99, materialCost: 6.12 });
      expect(await repo().get(p.slug)).toEqual(p);
      expect((await repo().list()).map((x) => x.slug)).toContain(p.slug);
    });

    it('keeps explicit nulls, legacy variant fields, orphan variant keys and unknown keys through a round trip', async () => {
      const p = legacyProduct();
      await raw().seed(p);
      expect(await repo().get(p.slug)).toEqual(p);
      const renamed = await repo().upsert({ ...p, name: 'Mezcal Candle (2025)' });
      expect(renamed).toEqual({ ...p, name: 'Mezcal Candle (2025)' });
      expect(await raw().product(p.slug)).toEqual(renamed);
      expect(await raw().bookkeepingOk(p.slug)).toBe(true);
    });

    it('accepts an existing legacy slug that the new-slug format would refuse', async () => {
      const p = product({ slug: `Legacy_Slug_${uniq()}` });
      await raw().seed(p);
      const updated = await repo().upsert({ ...p, priceCents: 1999 });
      expect(updated.priceCents).toBe(1999);
      expect(await raw().legacyJson(p.slug)).toMatchObject({ price: 19.99 });
    });

    it('lists stored products in slug order', async () => {
      const a = await repo().upsert(product({ slug: `zz-list-${uniq()}` }));
      const b = await repo().upsert(product({ slug: `aa-list-${uniq()}` }));
      const slugs = (await repo().list()).map((x) => x.slug);
      expect(slugs.indexOf(b.slug)).toBeLessThan(slugs.indexOf(a.slug));
      expect(slugs).toEqual([...slugs].sort());
    });

    it('not found is null, and deleting an unknown slug is false', async () => {
      expect(await repo().get(`missing-${uniq()}`)).toBeNull();
      expect(await repo().getResolved(`missing-${uniq()}`)).toBeNull();
      expect(await repo().delete(`missing-${uniq()}`)).toBe(false);
    });

    it('deletes a product and its index entry', async () => {
      const p = await repo().upsert(product());
      expect(await repo().delete(p.slug)).toBe(true);
      expect(await raw().product(p.slug)).toBeNull();
      expect(await raw().listed(p.slug)).toBe(false);
      expect(await repo().get(p.slug)).toBeNull();
      expect((await repo().list()).map((x) => x.slug)).not.toContain(p.slug);
    });

    it.each([
      ['a new slug with capitals and spaces', { slug: 'Mezcal Candle' }, 'slug'],
      ['a negative price', { priceCents: -1 }, 'priceCents'],
      ['a price that is not whole cents', { priceCents: 2499.5 }, 'priceCents'],
      ['a negative stock', { stock: -2 }, 'stock'],
      ['a fractional stock', { stock: 1.5 }, 'stock'],
      ['a stock beyond 32 bits', { stock: 2 ** 31 }, 'stock'],
      ['an empty name', { name: '  ' }, 'name'],
      ['an oversized name', { name: 'x'.repeat(201) }, 'name'],
      ['a negative material cost', { materialCostCents: -5 }, 'materialCostCents'],
      ['an extra key that names a modelled field', { extra: { price: 3 } }, 'extra.price'],
      ['a NUL character', { name: 'bad\u0000name' }, 'name'],
    ])('rejects %s with a ValidationError naming the field, writing nothing', async (_what, over, field) => {
      const bad = product(over as Partial<Product>);
      const err = await rejection(repo().upsert(bad));
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).field).toBe(field);
      expect(await raw().product(bad.slug)).toBeNull();
      expect(await raw().listed(bad.slug)).toBe(false);
    });

    it('rejects a negative variant stock without touching the stored product', async () => {
      const p = await repo().upsert(product());
      const bad = product({ slug: p.slug });
      bad.variantConfig!.variantData['standard-vanilla'] = { stock: -1 };
      const err = await rejection(repo().upsert(bad));
      expect(err).toBeInstanceOf(ValidationError);
      expect(await raw().product(p.slug)).toEqual(p);
    });
  });

  describe('static catalogue fallback', () => {
    it('listResolved shows a static product until one is stored under its slug, and again after deletion', async () => {
      const slug = 'la-crema-candle';
      const shown = (await repo().listResolved()).filter((x) => x.slug === slug);
      expect(shown).toEqual([expect.objectContaining({ slug, priceCents: 1999, sku: 'DCW-0004', stock: 0 })]);
      expect(await repo().get(slug)).toBeNull();
      expect(await repo().getResolved(slug)).toEqual(shown[0]);
      expect((await repo().list()).map((x) => x.slug)).not.toContain(slug);

      const live = await repo().upsert({ ...shown[0]!, stock: 9, name: 'La Crema Candle (live)' });
      expect((await repo().listResolved()).filter((x) => x.slug === slug)).toEqual([live]);

      await repo().delete(slug);
      expect((await repo().listResolved()).filter((x) => x.slug === slug)).toEqual(shown);
    });

    it('lists all 15 static slugs when nothing is stored under them', async () => {
      const resolved = await repo().listResolved();
      const skus = resolved.filter((x) => x.sku?.match(/^DCW-00(0[1-9]|1[0-5])$/)).map((x) => x.sku);
      expect(new Set(skus).size).toBe(15);
      expect(resolved.map((x) => x.slug)).toEqual([...resolved.map((x) => x.slug)].sort());
    });

    it('the first stock change on a static-only slug copies it in (ensureLive)', async () => {
      const slug = 'bacardi-candle';
      expect(await repo().adjustStock(slug, 5)).toBe(5);
      const copied = await raw().product(slug);
      expect(copied).toMatchObject({
        slug,
        sku: 'DCW-0009',
        priceCents: 2499,
        alcoholType: 'Rum',
        bestSeller: false,
        youngDumb: false,
        stock: 5,
      });
      expect(copied?.variantConfig).toBeUndefined();
      expect(await raw().listed(slug)).toBe(true);
      expect(await raw().bookkeepingOk(slug)).toBe(true);
    });

    it('a refused decrement on a static-only slug copies nothing', async () => {
      const slug = 'hendricks-gin-candle';
      await expect(repo().adjustStock(slug, -1)).rejects.toBeInstanceOf(InsufficientStockError);
      expect(await raw().product(slug)).toBeNull();
      expect(await raw().listed(slug)).toBe(false);
    });
  });

  describe('base stock', () => {
    it('sets and adjusts the base stock', async () => {
      const p = await repo().upsert(product({ stock: 3 }));
      expect((await repo().setStock(p.slug, 10)).stock).toBe(10);
      expect(await repo().adjustStock(p.slug, -4)).toBe(6);
      expect(await repo().adjustStock(p.slug, 2)).toBe(8);
      expect(await raw().product(p.slug)).toEqual({ ...p, stock: 8 });
      expect(await raw().bookkeepingOk(p.slug)).toBe(true);
    });

    it('never goes below zero: InsufficientStockError says what was asked and what is there, nothing written', async () => {
      const p = await repo().upsert(product({ stock: 2 }));
      const err = await rejection(repo().adjustStock(p.slug, -3));
      expect(err).toBeInstanceOf(InsufficientStockError);
      expect(err).toMatchObject({ slug: p.slug, requested: 3, available: 2 });
      expect(await raw().product(p.slug)).toEqual(p);
    });

    it('reads a stored null stock as 0', async () => {
      const p = legacyProduct();
      await raw().seed(p);
      await expect(repo().adjustStock(p.slug, -1)).rejects.toBeInstanceOf(InsufficientStockError);
      expect(await raw().product(p.slug)).toEqual(p);
      expect(await repo().adjustStock(p.slug, 3)).toBe(3);
      expect(await raw().product(p.slug)).toEqual({ ...p, stock: 3 });
    });

    it('an unknown slug is NotFoundError; bad numbers are ValidationErrors; nothing is written', async () => {
      const slug = `missing-${uniq()}`;
      await expect(repo().adjustStock(slug, 1)).rejects.toBeInstanceOf(NotFoundError);
      await expect(repo().setStock(slug, 1)).rejects.toBeInstanceOf(NotFoundError);
      expect(await raw().product(slug)).toBeNull();
      const p = await repo().upsert(product({ stock: 4 }));
      await expect(repo().adjustStock(p.slug, 0.5)).rejects.toBeInstanceOf(ValidationError);
      await expect(repo().setStock(p.slug, -1)).rejects.toBeInstanceOf(ValidationError);
      await expect(repo().setStock(p.slug, 2.5)).rejects.toBeInstanceOf(ValidationError);
      expect(await raw().product(p.slug)).toEqual(p);
    });
  });

  describe('variant stock', () => {
    it('sets and adjusts one variant and leaves the others alone', async () => {
      const p = await repo().upsert(product());
      const after = await repo().setVariantStock(p.slug, 'wood-desert-rain', 11);
      expect(after.variantConfig?.variantData).toEqual({
        'standard-vanilla': { stock: 4 },
        'wood-desert-rain': { stock: 11 },
      });
      expect(await repo().adjustVariantStock(p.slug, 'standard-vanilla', -4)).toBe(0);
      expect(await raw().legacyJson(p.slug)).toMatchObject({
        stock: 7,
        variantConfig: {
          variantData: { 'standard-vanilla': { stock: 0 }, 'wood-desert-rain': { stock: 11 } },
        },
      });
      expect(await raw().bookkeepingOk(p.slug)).toBe(true);
    });

    it('keeps the other keys of a variant entry (legacy stripePriceId) when its stock changes', async () => {
      const p = legacyProduct();
      await raw().seed(p);
      expect(await repo().adjustVariantStock(p.slug, 'standard-vanilla', 2)).toBe(5);
      const stored = await raw().product(p.slug);
      expect(stored?.variantConfig?.variantData['standard-vanilla']).toEqual({ stock: 5, stripePriceId: '' });
      expect(stored).toEqual({
        ...p,
        variantConfig: {
          ...p.variantConfig!,
          variantData: {
            ...p.variantConfig!.variantData,
            'standard-vanilla': { stock: 5, stripePriceId: '' },
          },
        },
      });
    });

    it('a null variant stock reads as 0', async () => {
      const p = legacyProduct();
      await raw().seed(p);
      await expect(repo().adjustVariantStock(p.slug, 'standard-lavender', -1)).rejects.toBeInstanceOf(
        InsufficientStockError,
      );
      expect(await repo().adjustVariantStock(p.slug, 'standard-lavender', 2)).toBe(2);
    });

    it('a missing variant entry: a decrement is refused and writes nothing, an increment creates it', async () => {
      const p = await repo().upsert(product());
      const err = await rejection(repo().adjustVariantStock(p.slug, 'wood-vanilla', -1));
      expect(err).toBeInstanceOf(InsufficientStockError);
      expect(err).toMatchObject({ variantId: 'wood-vanilla', requested: 1, available: 0 });
      expect(await raw().product(p.slug)).toEqual(p);
      expect(await repo().adjustVariantStock(p.slug, 'wood-vanilla', 3)).toBe(3);
      expect((await raw().product(p.slug))?.variantConfig?.variantData['wood-vanilla']).toEqual({ stock: 3 });
    });

    it('a product without a variantConfig gains the default one when a variant stock is set', async () => {
      const p = await repo().upsert(product({ variantConfig: undefined }));
      await repo().setVariantStock(p.slug, 'standard-vanilla', 6);
      expect((await raw().product(p.slug))?.variantConfig).toEqual({
        wickTypes: [{ id: 'standard', name: 'Standard Wick' }],
        variantData: { 'standard-vanilla': { stock: 6 } },
      });
    });

    it('variant stock on an unknown product is NotFoundError; an empty variant id is a ValidationError', async () => {
      await expect(
        repo().adjustVariantStock(`missing-${uniq()}`, 'standard-vanilla', 1),
      ).rejects.toBeInstanceOf(NotFoundError);
      const p = await repo().upsert(product());
      await expect(repo().setVariantStock(p.slug, '', 1)).rejects.toBeInstanceOf(ValidationError);
      expect(await raw().product(p.slug)).toEqual(p);
    });
  });
});
