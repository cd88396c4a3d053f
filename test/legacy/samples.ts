/**
 * Hand-written raw legacy values, shaped exactly like legacy-redis-format.md: every §8 edge case and §9
 * drift variant that a single value can show, for every key family. Reusable by any test that needs
 * realistic legacy data.
 */
import { adminSamples, tokenSamples } from './samples/admin-tokens.js';
import { alcoholTypeSamples, productSamples, scentSamples, workshopSamples } from './samples/catalogue.js';
import { promotionSamples, purchaseSamples, refundSamples } from './samples/money.js';
import { orderSamples } from './samples/orders.js';
import { pointsSamples, userSamples } from './samples/users.js';
import type { LegacySample } from './samples/types.js';

export { memberSamples } from './samples/members.js';
export type { LegacySample, MemberSample } from './samples/types.js';

/** Every string-valued sample. */
export const legacySamples: LegacySample[] = [
  ...userSamples,
  ...pointsSamples,
  ...orderSamples,
  ...productSamples,
  ...purchaseSamples,
  ...promotionSamples,
  ...refundSamples,
  ...alcoholTypeSamples,
  ...scentSamples,
  ...workshopSamples,
  ...adminSamples,
  ...tokenSamples,
];
