import { describe, expect, it } from 'vitest';
import {
  type Purchase,
  type PurchaseItem,
  purchaseAllocations,
  purchaseSubtotal,
} from '../../src/domain/purchase.js';

const item = (quantity: number, unitCostCents: number): PurchaseItem => ({
  name: `item ${quantity}x${unitCostCents}`,
  quantity,
  unitCostCents,
  category: 'wax',
});

function purchase(items: PurchaseItem[], shippingCents: number, taxCents: number): Purchase {
  const subtotalCents = purchaseSubtotal(items);
  return {
    id: 'p',
    vendorName: 'Vendor',
    purchaseDate: '2025-12-12',
    items,
    subtotalCents,
    shippingCents,
    taxCents,
    totalCents: subtotalCents + shippingCents + taxCents,
    createdAt: '2025-12-12T00:00:00.000Z',
    updatedAt: '2025-12-12T00:00:00.000Z',
  };
}

const rows = (p: Purchase) =>
  purchaseAllocations(p).map((a) => [
    a.lineCostCents,
    a.allocatedShippingCents,
    a.allocatedTaxCents,
    a.fullyLoadedCents,
    a.costPerUnitCents,
  ]);

describe('purchase cost allocation (§4.5)', () => {
  it('shares shipping and tax by line cost, rounding each share and the cost per unit half up', () => {
    // Lines 300 and 100 of 400: ratios 0.75 / 0.25. Shipping 99 → 74.25 → 74 and 24.75 → 25;
    // tax 33 → 24.75 → 25 and 8.25 → 8. Fully loaded 399 over 2 units = 199.5 → 200.
    expect(rows(purchase([item(2, 150), item(1, 100)], 99, 33))).toEqual([
      [300, 74, 25, 399, 200],
      [100, 25, 8, 133, 133],
    ]);
  });

  it('rounded shares need not add up to the purchase totals', () => {
    // Three equal lines and 100 cents shipping: 33.33… each rounds to 33, which sums to 99.
    const thirds = purchaseAllocations(purchase([item(1, 500), item(1, 500), item(1, 500)], 100, 0));
    expect(thirds.map((a) => a.allocatedShippingCents)).toEqual([33, 33, 33]);
    // Two equal lines and 1 cent tax: 0.5 each rounds up to 1, which sums to 2.
    const halves = purchaseAllocations(purchase([item(1, 10), item(1, 10)], 0, 1));
    expect(halves.map((a) => a.allocatedTaxCents)).toEqual([1, 1]);
  });

  it('keeps fractional quantities (CSV import) and rounds only the allocations and the unit cost', () => {
    // 2.5 × 1999 = 4997.5 of 4997.5 + 1350 = 6347.5; shipping 899 × 0.7873… = 707.8 → 708.
    const [wax, wicks] = purchaseAllocations(purchase([item(2.5, 1999), item(3, 450)], 899, 0));
    expect(wax).toMatchObject({
      lineCostCents: 4997.5,
      allocatedShippingCents: 708,
      fullyLoadedCents: 5705.5,
    });
    expect(wax?.costPerUnitCents).toBe(Math.round(5705.5 / 2.5));
    expect(wicks).toMatchObject({ lineCostCents: 1350, allocatedShippingCents: 191, costPerUnitCents: 514 });
  });

  it('with a subtotal of 0 every allocation is 0', () => {
    expect(rows(purchase([item(4, 0), item(2, 0)], 500, 40))).toEqual([
      [0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0],
    ]);
    expect(purchaseAllocations(purchase([item(4, 0)], 500, 40))[0]?.ratio).toBe(0);
  });

  it('subtotal sums quantity × unit cost left to right, fractions included', () => {
    expect(purchaseSubtotal([item(1.5, 1325.02), item(1, 0.5)])).toBe(1.5 * 1325.02 + 0.5);
  });
});
