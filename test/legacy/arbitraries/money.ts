/** Arbitraries for purchases (fractional quantities and cents) and promotions (§4.5, §4.6). */
import fc from 'fast-check';
import type { Promotion } from '../../../src/domain/promotion.js';
import type { Purchase, PurchaseItem } from '../../../src/domain/purchase.js';
import { promotionCodec } from '../../../src/legacy/codecs/promotion.js';
import { purchaseCodec, purchaseItemCodec } from '../../../src/legacy/codecs/purchase.js';
import {
  anyNumber,
  cents,
  count,
  fractional,
  isoDate,
  isoTimestamp,
  orNull,
  promotionId,
  recordWith,
  slug,
  text,
  uuid,
  withExtra,
} from './primitives.js';

export const purchaseItem: fc.Arbitrary<PurchaseItem> = withExtra(
  recordWith<PurchaseItem>(
    { name: text, quantity: fractional, unitCostCents: fractional, category: text, notes: orNull(text) },
    ['name', 'quantity', 'unitCostCents', 'category'],
  ),
  purchaseItemCodec,
);

export const purchase: fc.Arbitrary<Purchase> = withExtra(
  recordWith<Purchase>(
    {
      id: uuid,
      vendorName: text,
      purchaseDate: isoDate,
      items: fc.array(purchaseItem, { minLength: 1, maxLength: 4 }),
      subtotalCents: fractional,
      shippingCents: fractional,
      taxCents: fractional,
      totalCents: fractional,
      receiptImageUrl: orNull(fc.oneof(fc.constant(''), fc.webUrl())),
      notes: orNull(text),
      createdAt: isoTimestamp,
      updatedAt: isoTimestamp,
    },
    [
      'id',
      'vendorName',
      'purchaseDate',
      'items',
      'subtotalCents',
      'shippingCents',
      'taxCents',
      'totalCents',
      'createdAt',
      'updatedAt',
    ],
  ),
  purchaseCodec,
);

export const promotion: fc.Arbitrary<Promotion> = withExtra(
  recordWith<Promotion>(
    {
      id: promotionId,
      stripeCouponId: orNull(text),
      stripePromotionCodeId: orNull(text),
      code: text,
      name: text,
      description: orNull(text),
      trigger: fc.constantFrom('code_required', 'automatic'),
      type: fc.constantFrom('percentage', 'fixed_amount', 'quantity_discount', 'bogo'),
      discountPercent: orNull(anyNumber),
      discountAmountCents: orNull(cents),
      minQuantity: orNull(count),
      applyToQuantity: orNull(count),
      minOrderAmountCents: orNull(cents),
      maxRedemptions: orNull(count),
      maxRedemptionsPerCustomer: orNull(count),
      applicableProductSlugs: orNull(fc.array(slug, { maxLength: 3 })),
      userTargeting: fc.constantFrom(
        'all',
        'first_time',
        'returning',
        'specific_users',
        'order_count',
        'lifetime_spend',
      ),
      targetUserIds: orNull(fc.array(uuid, { maxLength: 3 })),
      minOrderCount: orNull(count),
      minLifetimeSpendCents: orNull(cents),
      startsAt: orNull(isoTimestamp),
      expiresAt: orNull(isoTimestamp),
      active: fc.boolean(),
      currentRedemptions: count,
      createdAt: isoTimestamp,
      updatedAt: isoTimestamp,
    },
    [
      'id',
      'code',
      'name',
      'trigger',
      'type',
      'userTargeting',
      'active',
      'currentRedemptions',
      'createdAt',
      'updatedAt',
    ],
  ),
  promotionCodec,
);
