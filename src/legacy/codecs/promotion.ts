/** `promotion:{promotionId}` (§4.6). PATCH merges request bodies, so optional fields may be `null`. */
import {
  PROMOTION_TRIGGERS,
  PROMOTION_TYPES,
  type Promotion,
  USER_TARGETINGS,
} from '../../domain/promotion.js';
import { type ObjectFields, objectCodec, optOrNull, req } from './object.js';
import { arrayOf, bool, int, isoTimestamp, num, oneOf, str } from './primitives.js';
import { jsonValue } from './value.js';

const promotionFields: ObjectFields<Promotion> = {
  id: req(str),
  stripeCouponId: optOrNull(str),
  stripePromotionCodeId: optOrNull(str),
  code: req(str),
  name: req(str),
  description: optOrNull(str),
  trigger: req(oneOf(PROMOTION_TRIGGERS)),
  type: req(oneOf(PROMOTION_TYPES)),
  discountPercent: optOrNull(num),
  discountAmountCents: optOrNull(int),
  minQuantity: optOrNull(int),
  applyToQuantity: optOrNull(int),
  minOrderAmountCents: optOrNull(int),
  maxRedemptions: optOrNull(int),
  maxRedemptionsPerCustomer: optOrNull(int),
  applicableProductSlugs: optOrNull(arrayOf(str)),
  userTargeting: req(oneOf(USER_TARGETINGS)),
  targetUserIds: optOrNull(arrayOf(str)),
  minOrderCount: optOrNull(int),
  minLifetimeSpendCents: optOrNull(int),
  startsAt: optOrNull(isoTimestamp),
  expiresAt: optOrNull(isoTimestamp),
  active: req(bool),
  currentRedemptions: req(int),
  createdAt: req(isoTimestamp),
  updatedAt: req(isoTimestamp),
};

export const promotionCodec = objectCodec<Promotion>(promotionFields, { extra: true });
export const promotionValue = jsonValue(promotionCodec);
export const decodePromotion = promotionValue.decode;
export const encodePromotion = promotionValue.encode;
