/**
 * The data layer the app calls: one repository per domain, the same interfaces whichever store is
 * behind them (Redis legacy layout, Postgres, or the migration router that routes between both).
 */
// DATA-LAYER-IMPORTS (one line per domain; keep this marker)
import type { ProductRepository } from './product.js';
import type { AlcoholTypeRepository } from './alcohol-type.js';
import type { CatalogueRepository } from './catalogue.js';
import type { PurchaseRepository } from './purchase.js';
import type { AdminRepository } from './admin.js';
import type { PointsRepository } from './points.js';
import type { TokenRepository } from './tokens.js';
import type { UserRepository } from './user.js';
import type { CheckoutService } from './checkout.js';
import type { OrderRepository } from './order.js';
import type { PromotionRepository } from './promotion.js';
import type { RefundRepository } from './refund.js';
import type { WebhookEventRepository } from './webhook-event.js';

export type DataLayer = {
  // DATA-LAYER-MEMBERS (one line per domain; keep this marker)
  products: ProductRepository;
  alcoholTypes: AlcoholTypeRepository;
  catalogue: CatalogueRepository;
  purchases: PurchaseRepository;
  users: UserRepository;
  points: PointsRepository;
  tokens: TokenRepository;
  admin: AdminRepository;
  orders: OrderRepository;
  promotions: PromotionRepository;
  refunds: RefundRepository;
  webhookEvents: WebhookEventRepository;
  checkout: CheckoutService;
};

/** Differences between backends, declared instead of checked by name (style.md). */
export interface BackendCapabilities {
  /** Name for logs and test titles: `redis`, `postgres`, `pglite`, `router:<stage>`. */
  name: string;
  /** Writes that touch several records are atomic (MULTI/EXEC, Lua, or SQL transactions). */
  atomicMultiRecordWrites: boolean;
  /** Listing everything scans the whole keyspace or index (Redis) rather than using a SQL index. */
  listsByScanningIndex: boolean;
  /**
   * Two concurrent `admin.create` calls with one e-mail cannot both succeed. False on Redis: the
   * legacy layout has no e-mail key for admins, so uniqueness is a scan of `admin:users:index` (as
   * the store did) and a create racing another is not seen; Postgres has a unique index.
   */
  uniqueAdminEmailUnderConcurrency: boolean;
  /**
   * Two concurrent `promotions.create` (or code-changing `update`) calls with one code cannot both
   * succeed. False on Redis: the legacy layout has no key per code, so uniqueness is a scan of
   * `promotions:index` (as the store's create did) and a create racing another is not seen; Postgres
   * has a partial unique index on `upper(code)`.
   */
  uniquePromotionCodeUnderConcurrency: boolean;
  /** How many admin-log entries the store keeps: Redis trims `admin:logs` to the newest 1000; `null` = all (Postgres). */
  adminLogsKept: number | null;
}
