/**
 * Concurrency of the catalogue domains on real servers, over several connections (Redis: 4 clients
 * sharing the prefix; Postgres: a pool of 10 postgres.js connections): stock never oversells or loses
 * a movement, a static product is copied in once, names stay unique, purchase indexes stay exact.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConflictError, InsufficientStockError } from '../../src/domain/errors.js';
import type { Product } from '../../src/domain/product.js';
import { outcomes, together, useLayers } from './fixtures/concurrency.js';
import { rawFor, runContract, selectedTargets } from './harness.js';
import { alcoholTypesRaw } from './raw/alcohol-types.js';
import { productsRaw } from './raw/products.js';
import { purchasesRaw } from './raw/purchases.js';

const targets = selectedTargets().filter((t) => t === 'redis' || t === 'postgres');
const uniq = () => randomUUID().slice(0, 8);

const candle = (stock: number, variantStock: number): Product => ({
  slug: `race-candle-${uniq()}`,
  name: 'Race Candle',
  priceCents: 2499,
  sku: 'DCW-0200',
  stock,
  variantConfig: {
    wickTypes: [{ id: 'standard', name: 'Standard Wick' }],
    variantData: { 'standard-vanilla': { stock: variantStock }, 'standard-lavender': { stock: 3 } },
  },
});

runContract(
  'catalogue races',
  (ctx) => {
    const layers = useLayers(ctx);
    const products = () => rawFor(ctx(), productsRaw);

    describe('stock', () => {
      it('200 parallel variant decrements on a stock of 50: exactly 50 succeed and the stock ends at 0', async () => {
        const p = await ctx().layer.products.upsert(candle(9, 50));
        const settled = await together(layers(), 200, (layer) =>
          layer.products.adjustVariantStock(p.slug, 'standard-vanilla', -1),
        );
        const { ok, errors } = outcomes(settled);
        expect(ok).toHaveLength(50);
        expect(errors).toHaveLength(150);
        for (const e of errors) expect(e).toBeInstanceOf(InsufficientStockError);
        // Every success saw a distinct remaining stock: no two decrements took the same unit.
        expect(new Set(ok).size).toBe(50);
        const stored = await products().product(p.slug);
        expect(stored?.variantConfig?.variantData).toEqual({
          'standard-vanilla': { stock: 0 },
          'standard-lavender': { stock: 3 },
        });
        expect(stored?.stock).toBe(9);
        expect(await products().bookkeepingOk(p.slug)).toBe(true);
      });

      it('200 parallel base-stock decrements on a stock of 50: exactly 50 succeed and the stock ends at 0', async () => {
        const p = await ctx().layer.products.upsert(candle(50, 4));
        const settled = await together(layers(), 200, (layer) => layer.products.adjustStock(p.slug, -1));
        const { ok, errors } = outcomes(settled);
        expect(ok).toHaveLength(50);
        expect(errors).toHaveLength(150);
        for (const e of errors) expect(e).toBeInstanceOf(InsufficientStockError);
        expect(new Set(ok).size).toBe(50);
        expect(await products().product(p.slug)).toEqual({ ...p, stock: 0 });
      });

      it('mixed increments and decrements on several variants lose nothing', async () => {
        const p = await ctx().layer.products.upsert(candle(0, 20));
        const settled = await together(layers(), 120, (layer, i) =>
          i % 3 === 0
            ? layer.products.adjustVariantStock(p.slug, 'standard-vanilla', 2)
            : i % 3 === 1
              ? layer.products.adjustVariantStock(p.slug, 'standard-vanilla', -1)
              : layer.products.adjustVariantStock(p.slug, 'wood-vanilla', 1),
        );
        expect(outcomes(settled).errors).toEqual([]);
        const data = (await products().product(p.slug))?.variantConfig?.variantData;
        expect(data?.['standard-vanilla']).toEqual({ stock: 20 + 40 * 2 - 40 });
        expect(data?.['wood-vanilla']).toEqual({ stock: 40 });
        expect(data?.['standard-lavender']).toEqual({ stock: 3 });
      });

      it('parallel first stock changes on a static-only product copy it in once and count every unit', async () => {
        const slug = 'grand-marnier-candle';
        const settled = await together(layers(), 40, (layer) => layer.products.adjustStock(slug, 1));
        expect(outcomes(settled).errors).toEqual([]);
        expect(await products().product(slug)).toMatchObject({ slug, sku: 'DCW-0012', stock: 40 });
        expect(await products().listed(slug)).toBe(true);
      });
    });

    describe('uniqueness and indexes', () => {
      it('10 parallel adds of one alcohol-type name: exactly one succeeds', async () => {
        const name = `Race Mezcal ${uniq()}`;
        const settled = await together(layers(), 10, (layer, i) =>
          layer.alcoholTypes.add({ name: i % 2 === 0 ? name : name.toUpperCase() }),
        );
        const { ok, errors } = outcomes(settled);
        expect(ok).toHaveLength(1);
        for (const e of errors) expect(e).toBeInstanceOf(ConflictError);
        expect(await rawFor(ctx(), alcoholTypesRaw).type(ok[0]!.id)).toEqual(ok[0]);
      });

      it('parallel vendor changes of one purchase leave it under exactly its final vendor', async () => {
        const raw = rawFor(ctx(), purchasesRaw);
        const u = uniq();
        const p = await ctx().layer.purchases.create({
          vendorName: `Vendor 0 ${u}`,
          purchaseDate: '2025-12-12',
          items: [{ name: 'Wax', quantity: 1, unitCostCents: 100, category: 'wax' }],
        });
        const settled = await together(layers(), 20, (layer, i) =>
          layer.purchases.update(p.id, {
            vendorName: `Vendor ${i % 5} ${u}`,
            purchaseDate: `2025-${10 + (i % 3)}-01`,
          }),
        );
        expect(outcomes(settled).errors).toEqual([]);
        const final = await raw.purchase(p.id);
        for (let v = 0; v < 5; v++) {
          const listed = (await raw.vendorIds(`vendor ${v} ${u}`)).includes(p.id);
          expect(listed).toBe(final?.vendorName === `Vendor ${v} ${u}`);
        }
        for (const month of ['2025-10', '2025-11', '2025-12']) {
          expect((await raw.monthIds(month)).includes(p.id)).toBe(final?.purchaseDate.startsWith(month));
        }
      });
    });
  },
  targets,
);
