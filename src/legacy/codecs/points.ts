/** `points:transaction:{txId}` (§4.3). */
import { POINTS_TRANSACTION_TYPES, type PointsTransaction } from '../../domain/points.js';
import { type ObjectFields, objectCodec, opt, req } from './object.js';
import { int, isoTimestamp, oneOf, str } from './primitives.js';
import { jsonValue } from './value.js';

const pointsTransactionFields: ObjectFields<PointsTransaction> = {
  id: req(str),
  userId: req(str),
  amount: req(int),
  type: req(oneOf(POINTS_TRANSACTION_TYPES)),
  description: req(str),
  orderId: opt(str),
  createdAt: req(isoTimestamp),
};

export const pointsTransactionCodec = objectCodec<PointsTransaction>(pointsTransactionFields, {
  extra: true,
});
export const pointsTransactionValue = jsonValue(pointsTransactionCodec);
export const decodePointsTransaction = pointsTransactionValue.decode;
export const encodePointsTransaction = pointsTransactionValue.encode;
