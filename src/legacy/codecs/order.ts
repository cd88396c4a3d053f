/** `order:{orderId}` (§4.2). */
import {
  ORDER_STATUSES,
  type Order,
  type OrderItem,
  PAYMENT_METHODS,
  SHIPPING_STATUSES,
  type ShippingAddress,
} from '../../domain/order.js';
import { type ObjectFields, objectCodec, opt, optOrNull, req } from './object.js';
import { arrayOf, bool, int, isoTimestamp, oneOf, str } from './primitives.js';
import { jsonValue } from './value.js';

const shippingAddressFields: ObjectFields<ShippingAddress> = {
  name: opt(str),
  line1: opt(str),
  line2: opt(str),
  city: opt(str),
  state: opt(str),
  postalCode: opt(str),
  country: opt(str),
};

/** Built field by field by the store, so an unknown key is an error rather than `extra`. */
export const shippingAddressCodec = objectCodec<ShippingAddress>(shippingAddressFields, { extra: false });

// Test orders store the client's item objects verbatim: `null` variantId and unknown keys happen.
const orderItemFields: ObjectFields<OrderItem> = {
  productSlug: req(str),
  productName: req(str),
  quantity: req(int),
  priceCents: req(int),
  variantId: optOrNull(str),
};

export const orderItemCodec = objectCodec<OrderItem>(orderItemFields, { extra: true });

const orderFields: ObjectFields<Order> = {
  id: req(str),
  userId: opt(str),
  email: req(str),
  items: req(arrayOf(orderItemCodec)),
  totalCents: req(int),
  productSubtotalCents: opt(int),
  shippingCents: opt(int),
  taxCents: opt(int),
  pointsEarned: req(int),
  pointsRedeemed: opt(int),
  promotionId: opt(str),
  paymentMethod: opt(oneOf(PAYMENT_METHODS)),
  notes: opt(str),
  status: req(oneOf(ORDER_STATUSES)),
  isGuest: opt(bool),
  shippingAddress: opt(shippingAddressCodec),
  phone: opt(str),
  createdAt: req(isoTimestamp),
  completedAt: opt(isoTimestamp),
  trackingNumber: opt(str),
  shippingStatus: opt(oneOf(SHIPPING_STATUSES)),
  shippedAt: opt(isoTimestamp),
  deliveredAt: opt(isoTimestamp),
};

export const orderCodec = objectCodec<Order>(orderFields, { extra: true });
export const orderValue = jsonValue(orderCodec);
export const decodeOrder = orderValue.decode;
export const encodeOrder = orderValue.encode;
