import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPostgresDataLayer } from '../../src/backends/postgres/index.js';
import { createRedisDataLayer } from '../../src/backends/redis/index.js';
import { ConflictError, NotFoundError, ValidationError } from '../../src/domain/errors.js';
import type { NewPurchase, Purchase } from '../../src/domain/purchase.js';
import { rawFor, runContract } from './harness.js';
import { purchasesRaw } from './raw/purchases.js';

const uniq = () => randomUUID().slice(0, 8);
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function input(over: Partial<NewPurchase> = {}): NewPurchase {
  return {
    vendorName: `  Candle Supply ${uniq()} `,
    purchaseDate: '2025-12-11',
    items: [
      { name: 'Soy wax 10 lb', quantity: 2.5, unitCostCents: 1999, category: 'wax' },
      { name: 'CD 10 wicks', quantity: 3, unitCostCents: 450, category: 'wicks', notes: '' },
    ],
    shippingCents: 899,
    taxCents: 412,
    notes: '  restock  ',
    ...over,
  };
}

/** A purchase as the store (CSV import, PATCH) could leave it. */
function legacyPurchase(over: Partial<Purchase> = {}): Purchase {
  return {
    id: randomUUID(),
    vendorName: `Amazon ${uniq()}`,
    purchaseDate: '2025-12-01',
    items: [
      { name: 'Labels', quantity: 1.5, unitCostCents: 1325.02, category: 'labels', extra: { sku: 'LBL-1' } },
    ],
    subtotalCents: 1987.53,
    shippingCents: 0,
    taxCents: 0,
    totalCents: 1987.53,
    receiptImageUrl: '',
    notes: null,
    createdAt: '2025-12-11T18:00:00.000Z',
    updatedAt: '2025-12-11T18:00:00.000Z',
    extra: { importedFrom: 'csv' },
    ...over,
  };
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

runContract('purchases', (ctx) => {
  const repo = () => ctx().layer.purchases;
  const raw = () => rawFor(ctx(), purchasesRaw);

  describe('create and read', () => {
    it('recomputes the totals (fractions kept), trims vendor and notes, and indexes by vendor and month', async () => {
      const p = await repo().create(input({ vendorName: ' Wax & Wick Co ' }));
      expect(p.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(p).toMatchObject({
        vendorName: 'Wax & Wick Co',
        subtotalCents: 2.5 * 1999 + 3 * 450,
        totalCents: 2.5 * 1999 + 3 * 450 + 899 + 412,
        notes: 'restock',
      });
      expect(p.createdAt).toMatch(ISO_MS);
      expect(p.updatedAt).toBe(p.createdAt);
      expect(await raw().purchase(p.id)).toEqual(p);
      expect(await raw().listedIds()).toContain(p.id);
      expect(await raw().vendorIds('wax & wick co')).toContain(p.id);
      expect(await raw().monthIds('2025-12')).toContain(p.id);
      expect(await raw().bookkeepingOk(p.id)).toBe(true);
      expect(await repo().get(p.id)).toEqual(p);
    });

    it('ignores totals passed by the caller and defaults shipping and tax to 0', async () => {
      const bogus = {
        ...input({ shippingCents: undefined, taxCents: undefined }),
        totalCents: 1,
      } as NewPurchase;
      const p = await repo().create(bogus);
      expect(p).toMatchObject({ shippingCents: 0, taxCents: 0, totalCents: p.subtotalCents });
    });

    it('keeps unknown item keys and an explicit null', async () => {
      const p = await repo().create(
        input({
          items: [
            {
              name: 'Jars',
              quantity: 12,
              unitCostCents: 93,
              category: 'bottles',
              notes: null,
              extra: { lot: 7 },
            },
          ],
        }),
      );
      expect(p.items[0]).toEqual({
        name: 'Jars',
        quantity: 12,
        unitCostCents: 93,
        category: 'bottles',
        notes: null,
        extra: { lot: 7 },
      });
      expect(await raw().purchase(p.id)).toEqual(p);
    });

    it('refuses a second purchase with an existing id', async () => {
      const p = await repo().create(input({ id: randomUUID() }));
      await expect(repo().create(input({ id: p.id, vendorName: 'Other' }))).rejects.toBeInstanceOf(
        ConflictError,
      );
      expect(await raw().purchase(p.id)).toEqual(p);
    });

    it('not found: get is null, update is NotFoundError, delete is false', async () => {
      expect(await repo().get(randomUUID())).toBeNull();
      await expect(repo().update(randomUUID(), { notes: 'x' })).rejects.toBeInstanceOf(NotFoundError);
      expect(await repo().delete(randomUUID())).toBe(false);
    });

    it.each([
      ['an empty vendor', { vendorName: '   ' }, 'vendorName'],
      ['a two-digit year (CSV import)', { purchaseDate: '25-12-01' }, 'purchaseDate'],
      ['a day that does not exist', { purchaseDate: '2025-02-30' }, 'purchaseDate'],
      ['no items', { items: [] }, 'items'],
      [
        'a zero quantity',
        { items: [{ name: 'Wax', quantity: 0, unitCostCents: 100, category: 'wax' }] },
        'items[0].quantity',
      ],
      [
        'a negative unit cost',
        { items: [{ name: 'Wax', quantity: 1, unitCostCents: -1, category: 'wax' }] },
        'items[0].unitCostCents',
      ],
      [
        'an empty category',
        { items: [{ name: 'Wax', quantity: 1, unitCostCents: 1, category: '' }] },
        'items[0].category',
      ],
      ['a negative shipping', { shippingCents: -5 }, 'shippingCents'],
      ['an oversized vendor', { vendorName: 'v'.repeat(201) }, 'vendorName'],
    ])('rejects %s with a ValidationError naming the field, writing nothing', async (_what, over, field) => {
      const bad = input({ id: randomUUID(), ...(over as Partial<NewPurchase>) });
      const err = await rejection(repo().create(bad));
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).field).toBe(field);
      expect(await raw().purchase(bad.id!)).toBeNull();
      expect(await raw().listedIds()).not.toContain(bad.id);
    });
  });

  describe('update and delete', () => {
    it('moves the vendor and month index entries when they change', async () => {
      const u = uniq();
      const p = await repo().create(input({ vendorName: `Old Vendor ${u}`, purchaseDate: '2025-11-30' }));
      const moved = await repo().update(p.id, {
        vendorName: ` New Vendor ${u} `,
        purchaseDate: '2025-12-02',
      });
      expect(moved).toMatchObject({
        vendorName: `New Vendor ${u}`,
        purchaseDate: '2025-12-02',
        createdAt: p.createdAt,
      });
      expect(moved.updatedAt >= p.updatedAt).toBe(true);
      expect(await raw().vendorIds(`old vendor ${u}`)).not.toContain(p.id);
      expect(await raw().vendorIds(`new vendor ${u}`)).toContain(p.id);
      expect(await raw().monthIds('2025-11')).not.toContain(p.id);
      expect(await raw().monthIds('2025-12')).toContain(p.id);
      expect(await raw().purchase(p.id)).toEqual(moved);
      expect(await raw().bookkeepingOk(p.id)).toBe(true);
      expect((await repo().byVendor(`old vendor ${u}`)).map((x) => x.id)).not.toContain(p.id);
      expect((await repo().byVendor(`NEW VENDOR ${u}`)).map((x) => x.id)).toEqual([p.id]);
    });

    it('recomputes the subtotal when items change and the total on every update', async () => {
      const p = await repo().create(input());
      const items = [{ name: 'Fragrance oil', quantity: 0.5, unitCostCents: 3001, category: 'scents' }];
      const withItems = await repo().update(p.id, { items });
      expect(withItems).toMatchObject({ subtotalCents: 1500.5, totalCents: 1500.5 + 899 + 412, items });
      const noTax = await repo().update(p.id, { taxCents: 0, receiptImageUrl: null });
      expect(noTax).toMatchObject({ subtotalCents: 1500.5, totalCents: 1500.5 + 899, receiptImageUrl: null });
      expect(await raw().purchase(p.id)).toEqual(noTax);
    });

    it('a legacy record keeps its fractional cents, empty receipt URL and unknown keys through an update', async () => {
      const legacy = legacyPurchase({ shippingCents: 10, totalCents: 1990 });
      await raw().seed(legacy);
      expect(await repo().get(legacy.id)).toEqual(legacy);
      const updated = await repo().update(legacy.id, { notes: 'checked' });
      expect(updated).toEqual({
        ...legacy,
        notes: 'checked',
        totalCents: 1997.53,
        updatedAt: updated.updatedAt,
      });
      expect(await raw().purchase(legacy.id)).toEqual(updated);
    });

    it('two updates at the same instant (a fixed clock) store the record’s own updatedAt', async () => {
      const fixed = new Date('2026-01-05T10:00:00.000Z');
      const c = ctx();
      const now = () => fixed;
      const layer = c.redis
        ? createRedisDataLayer({ ...c.redis, now })
        : createPostgresDataLayer({ pg: c.pg!, now });
      const p = await layer.purchases.create(input());
      const first = await layer.purchases.update(p.id, { notes: 'one' });
      expect(first.updatedAt).toBe(fixed.toISOString());
      expect(await raw().purchase(p.id)).toEqual(first);
      const second = await layer.purchases.update(p.id, { notes: 'two' });
      expect(second).toMatchObject({
        createdAt: fixed.toISOString(),
        updatedAt: fixed.toISOString(),
        notes: 'two',
      });
      expect(await raw().purchase(p.id)).toEqual(second);
      expect(await raw().bookkeepingOk(p.id)).toBe(true);
    });

    it('rejects a bad patch without changing anything', async () => {
      const p = await repo().create(input());
      await expect(repo().update(p.id, { purchaseDate: '12/01/2025' })).rejects.toBeInstanceOf(
        ValidationError,
      );
      await expect(repo().update(p.id, { items: [] })).rejects.toBeInstanceOf(ValidationError);
      expect(await raw().purchase(p.id)).toEqual(p);
    });

    it('deletes the record and all three index entries', async () => {
      const u = uniq();
      const p = await repo().create(input({ vendorName: `Gone ${u}`, purchaseDate: '2024-02-29' }));
      expect(await repo().delete(p.id)).toBe(true);
      expect(await raw().purchase(p.id)).toBeNull();
      expect(await raw().listedIds()).not.toContain(p.id);
      expect(await raw().vendorIds(`gone ${u}`)).not.toContain(p.id);
      expect(await raw().monthIds('2024-02')).not.toContain(p.id);
      expect(await repo().get(p.id)).toBeNull();
    });
  });

  describe('lists', () => {
    it('byVendor ignores case and surrounding spaces; lists newest purchase date first', async () => {
      const u = uniq();
      const older = await repo().create(input({ vendorName: `Amazon ${u}`, purchaseDate: '2025-10-03' }));
      const newer = await repo().create(input({ vendorName: `amazon ${u}`, purchaseDate: '2025-12-05' }));
      await repo().create(input({ vendorName: `Amazon Business ${u}` }));
      expect((await repo().byVendor(`  AMAZON ${u} `)).map((p) => p.id)).toEqual([newer.id, older.id]);
      expect(await repo().byVendor(`nobody ${u}`)).toEqual([]);
    });

    it('byMonth returns the purchases dated in that month', async () => {
      const a = await repo().create(input({ purchaseDate: '2023-03-31' }));
      const b = await repo().create(input({ purchaseDate: '2023-03-01' }));
      const c = await repo().create(input({ purchaseDate: '2023-04-01' }));
      expect((await repo().byMonth('2023-03')).map((p) => p.id)).toEqual([a.id, b.id]);
      expect((await repo().byMonth('2023-04')).map((p) => p.id)).toEqual([c.id]);
      expect(await repo().byMonth('1999-01')).toEqual([]);
    });

    it.each(['2023-3', '2023-13', '202303', ''])('byMonth rejects %j', async (bad) => {
      const err = await rejection(repo().byMonth(bad));
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).field).toBe('yearMonth');
    });

    it('list holds every purchase, newest purchase date first', async () => {
      const x = await repo().create(input({ purchaseDate: '2021-01-02' }));
      const y = await repo().create(input({ purchaseDate: '2021-01-01' }));
      const all = await repo().list();
      const ids = all.map((p) => p.id);
      expect(ids.indexOf(x.id)).toBeLessThan(ids.indexOf(y.id));
      const dates = all.map((p) => p.purchaseDate);
      expect(dates).toEqual([...dates].sort().reverse());
    });
  });
});
