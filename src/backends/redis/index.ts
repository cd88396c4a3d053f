/** Builds the Redis (legacy layout) implementation of every repository. */
import type { LegacyKeys } from '../../legacy/keys.js';
import type { BackendCapabilities, DataLayer } from '../../domain/data-layer.js';
import type { RedisClient } from './client.js';
// REDIS-IMPORTS (one line per domain; keep this marker)
import { createRedisRefundRepository } from './refund-repository.js';
import { createRedisCheckoutService } from './checkout-repository.js';
import { createRedisOrderRepository } from './order-repository.js';
import { createRedisProductRepository } from './product-repository.js';
import { createRedisAlcoholTypeRepository } from './alcohol-type-repository.js';
import { createRedisCatalogueRepository } from './catalogue-repository.js';
import { createRedisPurchaseRepository } from './purchase-repository.js';
import { createRedisAdminRepository } from './admin-repository.js';
import { createRedisPointsRepository } from './points-repository.js';
import { createRedisTokenRepository } from './token-repository.js';
import { createRedisUserRepository } from './user-repository.js';
import { createRedisPromotionRepository } from './promotion-repository.js';
import { createRedisWebhookEventRepository } from './webhook-event-repository.js';

export interface RedisDeps {
  client: RedisClient;
  keys: LegacyKeys;
  /** Injected clock, so tests and the migration engine control timestamps. */
  now: () => Date;
}

export const redisCapabilities: BackendCapabilities = {
  name: 'redis',
  atomicMultiRecordWrites: true,
  listsByScanningIndex: true,
  uniqueAdminEmailUnderConcurrency: false,
  uniquePromotionCodeUnderConcurrency: false,
  adminLogsKept: 1000,
};

export function createRedisDataLayer(deps: RedisDeps): DataLayer {
  return {
    // REDIS-MEMBERS (one line per domain; keep this marker)
    refunds: createRedisRefundRepository(deps),
    checkout: createRedisCheckoutService(deps),
    orders: createRedisOrderRepository(deps),
    products: createRedisProductRepository(deps),
    alcoholTypes: createRedisAlcoholTypeRepository(deps),
    catalogue: createRedisCatalogueRepository(deps),
    purchases: createRedisPurchaseRepository(deps),
    users: createRedisUserRepository(deps),
    points: createRedisPointsRepository(deps),
    tokens: createRedisTokenRepository(deps),
    admin: createRedisAdminRepository(deps),
    promotions: createRedisPromotionRepository(deps),
    webhookEvents: createRedisWebhookEventRepository(deps),
  };
}
