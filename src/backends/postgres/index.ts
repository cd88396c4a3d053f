/** Builds the Postgres (Drizzle) implementation of every repository. */
import type { BackendCapabilities, DataLayer } from '../../domain/data-layer.js';
import type { PgHandle } from './client.js';
// POSTGRES-IMPORTS (one line per domain; keep this marker)
import { createPostgresCheckoutService } from './checkout-repository.js';
import { createPostgresRefundRepository } from './refund-repository.js';
import { createPostgresOrderRepository } from './order-repository.js';
import { createPostgresPurchaseRepository } from './purchase-repository.js';
import { createPostgresCatalogueRepository } from './catalogue-repository.js';
import { createPostgresAlcoholTypeRepository } from './alcohol-type-repository.js';
import { createPostgresAdminRepository } from './admin-repository.js';
import { createPostgresPointsRepository } from './points-repository.js';
import { createPostgresTokenRepository } from './token-repository.js';
import { createPostgresUserRepository } from './user-repository.js';
import { createPostgresProductRepository } from './product-repository.js';
import { createPostgresPromotionRepository } from './promotion-repository.js';
import { createPostgresWebhookEventRepository } from './webhook-event-repository.js';

export interface PgDeps {
  pg: PgHandle;
  /** Injected clock, so tests and the migration engine control timestamps. */
  now: () => Date;
}

export function postgresCapabilities(pg: PgHandle): BackendCapabilities {
  return {
    name: pg.kind === 'postgres-js' ? 'postgres' : pg.kind,
    atomicMultiRecordWrites: true,
    listsByScanningIndex: false,
    uniqueAdminEmailUnderConcurrency: true,
    uniquePromotionCodeUnderConcurrency: true,
    adminLogsKept: null,
  };
}

export function createPostgresDataLayer(deps: PgDeps): DataLayer {
  return {
    // POSTGRES-MEMBERS (one line per domain; keep this marker)
    checkout: createPostgresCheckoutService(deps),
    refunds: createPostgresRefundRepository(deps),
    orders: createPostgresOrderRepository(deps),
    purchases: createPostgresPurchaseRepository(deps),
    catalogue: createPostgresCatalogueRepository(deps),
    alcoholTypes: createPostgresAlcoholTypeRepository(deps),
    users: createPostgresUserRepository(deps),
    points: createPostgresPointsRepository(deps),
    tokens: createPostgresTokenRepository(deps),
    admin: createPostgresAdminRepository(deps),
    products: createPostgresProductRepository(deps),
    promotions: createPostgresPromotionRepository(deps),
    webhookEvents: createPostgresWebhookEventRepository(deps),
  };
}
