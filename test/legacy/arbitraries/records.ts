/** Arbitraries for users, the points ledger, orders and refunds (§4.1–§4.3, §4.7), every §9 drift variant included. */
import fc from 'fast-check';
import type { Order, OrderItem, ShippingAddress } from '../../../src/domain/order.js';
import type { PointsTransaction } from '../../../src/domain/points.js';
import type { Refund, RefundItem } from '../../../src/domain/refund.js';
import type { User } from '../../../src/domain/user.js';
import { orderCodec, orderItemCodec } from '../../../src/legacy/codecs/order.js';
import { pointsTransactionCodec } from '../../../src/legacy/codecs/points.js';
import { refundCodec, refundItemCodec } from '../../../src/legacy/codecs/refund.js';
import { userCodec } from '../../../src/legacy/codecs/user.js';
import {
  cents,
  count,
  email,
  isoTimestamp,
  orderId,
  orNull,
  promotionId,
  rawCaseEmail,
  recordWith,
  slug,
  text,
  uuid,
  wholeNumber,
  withExtra,
} from './primitives.js';

export const user: fc.Arbitrary<User> = withExtra(
  fc.record({
    id: uuid,
    email,
    passwordHash: fc.stringMatching(/^\$2[ab]\$1[02]\$[./A-Za-z0-9]{53}$/),
    firstName: text,
    lastName: text,
    points: wholeNumber,
    emailVerified: fc.boolean(),
    createdAt: isoTimestamp,
    updatedAt: isoTimestamp,
  }),
  userCodec,
);

export const pointsTransaction: fc.Arbitrary<PointsTransaction> = withExtra(
  recordWith<PointsTransaction>(
    {
      id: uuid,
      userId: uuid,
      amount: wholeNumber,
      type: fc.constantFrom('earn', 'redeem', 'admin_adjustment', 'adjustment'),
      description: text,
      orderId,
      createdAt: isoTimestamp,
    },
    ['id', 'userId', 'amount', 'type', 'description', 'createdAt'],
  ),
  pointsTransactionCodec,
);

const shippingAddress = recordWith<ShippingAddress>(
  {
    name: text,
    line1: text,
    line2: text,
    city: text,
    state: text,
    postalCode: text,
    country: fc.constantFrom('US', 'CA'),
  },
  [],
);

export const orderItem: fc.Arbitrary<OrderItem> = withExtra(
  recordWith<OrderItem>(
    {
      productSlug: fc.oneof(slug, fc.constantFrom('unmapped-', 'square-unmapped', 'square-pos-sale')),
      productName: text,
      quantity: fc.integer({ min: 1, max: 20 }),
      priceCents: cents,
      variantId: orNull(slug),
    },
    ['productSlug', 'productName', 'quantity', 'priceCents'],
  ),
  orderItemCodec,
);

export const order: fc.Arbitrary<Order> = withExtra(
  recordWith<Order>(
    {
      id: orderId,
      userId: uuid,
      email: fc.oneof(rawCaseEmail, fc.constantFrom('manual-sale@admin.local', 'square-pos@admin.local')),
      items: fc.array(orderItem, { maxLength: 4 }),
      totalCents: cents,
      productSubtotalCents: cents,
      shippingCents: cents,
      taxCents: cents,
      pointsEarned: count,
      pointsRedeemed: count,
      promotionId,
      paymentMethod: fc.constantFrom('cash', 'card', 'other', 'square'),
      notes: text,
      status: fc.constantFrom('pending', 'completed', 'cancelled'),
      isGuest: fc.boolean(),
      shippingAddress,
      phone: fc.stringMatching(/^\+1[0-9]{10}$/),
      createdAt: isoTimestamp,
      completedAt: isoTimestamp,
      trackingNumber: text,
      shippingStatus: fc.constantFrom('pending', 'shipped', 'delivered'),
      shippedAt: isoTimestamp,
      deliveredAt: isoTimestamp,
    },
    ['id', 'email', 'items', 'totalCents', 'pointsEarned', 'status', 'createdAt'],
  ),
  orderCodec,
);

const refundItem: fc.Arbitrary<RefundItem> = withExtra(
  recordWith<RefundItem>(
    {
      productSlug: slug,
      productName: text,
      quantity: fc.integer({ min: 1, max: 20 }),
      variantId: orNull(slug),
      refundAmountCents: cents,
    },
    ['productSlug', 'productName', 'quantity', 'refundAmountCents'],
  ),
  refundItemCodec,
);

export const refund: fc.Arbitrary<Refund> = withExtra(
  recordWith<Refund>(
    {
      id: uuid,
      orderId,
      stripeRefundId: text,
      email: rawCaseEmail,
      userId: uuid,
      amountCents: cents,
      // Any string: the store never validated the reason.
      reason: fc.oneof(fc.constantFrom('customer_request', 'damaged_product', 'other'), text),
      reasonNote: text,
      status: fc.constantFrom('pending', 'processing', 'completed', 'failed'),
      restoreInventory: fc.boolean(),
      pointsToDeduct: count,
      processedBy: fc.constant('admin'),
      createdAt: isoTimestamp,
      processedAt: isoTimestamp,
      items: fc.array(refundItem, { maxLength: 3 }),
    },
    ['id', 'orderId', 'email', 'amountCents', 'reason', 'status', 'restoreInventory', 'createdAt', 'items'],
  ),
  refundCodec,
);
