/**
 * Which report entity every legacy key family belongs to, in which order entities are migrated, and
 * how each record family becomes rows (through the Postgres mappers).
 */
import * as m from '../../backends/postgres/mappers/index.js';
import * as s from '../../backends/postgres/schema.js';
import type { LegacyValue } from '../../legacy/codecs/dispatch.js';
import type { StringFamily } from '../../legacy/codecs/families.js';
import type { KeyFamily } from '../../legacy/keys.js';
import { tableSpec } from './tables.js';
import type { StagedRecord, WriteSpec } from './write.js';

/** Index families: read for discovery only (Postgres uses plain indexes instead). */
export const INDEX_TARGET = {
  usersIndex: 'user',
  userEmail: 'user',
  pointsUser: 'pointsTransaction',
  ordersIndex: 'order',
  ordersUser: 'order',
  ordersGuest: 'order',
  orderRefunds: 'refund',
  refundsIndex: 'refund',
  productsIndex: 'product',
  purchasesIndex: 'purchase',
  purchasesVendor: 'purchase',
  purchasesDate: 'purchase',
  promotionsIndex: 'promotion',
  alcoholTypesIndex: 'alcoholType',
  scentsIndex: 'scent',
  baseOilsIndex: 'baseOil',
  containersIndex: 'container',
  calculatorWicksIndex: 'calculatorWick',
  adminUsersIndex: 'adminUser',
} as const satisfies Partial<Record<KeyFamily, KeyFamily>>;

export type IndexFamily = keyof typeof INDEX_TARGET;

/** Lists, where a repeated id is a duplicate entry (§8.3); the other index families are sets. */
export const LIST_INDEX_FAMILIES: ReadonlySet<string> = new Set(['pointsUser', 'ordersUser', 'ordersGuest']);

/** The index every record of a family should be in; missing = an unindexed record (§8.2). */
export const PRIMARY_INDEX: Partial<Record<KeyFamily, IndexFamily>> = {
  user: 'usersIndex',
  pointsTransaction: 'pointsUser',
  order: 'ordersIndex',
  refund: 'refundsIndex',
  product: 'productsIndex',
  purchase: 'purchasesIndex',
  promotion: 'promotionsIndex',
  alcoholType: 'alcoholTypesIndex',
  scent: 'scentsIndex',
  baseOil: 'baseOilsIndex',
  container: 'containersIndex',
  calculatorWick: 'calculatorWicksIndex',
  adminUser: 'adminUsersIndex',
};

/** Ephemeral families: counted as keptInRedis, never migrated (architecture.md "What stays in Redis"). */
export const EPHEMERAL_ENTITY = {
  userSession: 'user_sessions',
  adminSession: 'admin_sessions',
  passwordResetUser: 'password_reset_pointers',
  mobileUpload: 'mobile_upload_sessions',
  webhookEvent: 'webhook_markers',
  rateLimitLogin: 'login_rate_limits',
  tiktokToken: 'tiktok_shop_token',
  legacyStock: 'legacy_stock_counters',
} as const satisfies Partial<Record<KeyFamily, string>>;

/**
 * The app's own ephemeral keys (holds, query cache, limiter windows, session indexes, OAuth locks…),
 * all under `{prefix}eph:` (src/ephemeral/keys.ts). No legacy pattern matches them; they are kept in
 * Redis by design, not unknown.
 */
export const APP_EPHEMERAL_FAMILY = 'appEphemeral';
export const APP_EPHEMERAL_ENTITY = 'app_ephemeral_keys';

/** Whether `key` is in the namespace of src/ephemeral/keys.ts under `prefix`. */
export function isAppEphemeralKey(key: string, prefix: string): boolean {
  return key.startsWith(`${prefix}eph:`);
}

export const INDEXES_ENTITY = 'indexes';
export const UNKNOWN_ENTITY = 'unknown_keys';

/** A record family migrated one record per key. */
export interface RecordEntity {
  /** The parent table, which is also the report entity. */
  name: string;
  family: StringFamily;
  write: WriteSpec;
  /** Tokens: expired ones are counted, live ones get `expires_at` from the key's TTL. */
  token?: boolean;
  /**
   * Batches may be written concurrently on several connections: no rule ties one record's row to
   * another's of the same entity. Not for UNIQUE columns and conflict flags (users' e-mail, codes,
   * names), where the first key in byte order must win whatever the timing.
   */
  parallel?: boolean;
  /** Rows of one decoded value. */
  rows(value: LegacyValue['value'], opts: { expiresAt?: Date }): Pick<StagedRecord, 'parent' | 'children'>;
}

/**
 * The referenced id when that row exists, else NULL. A scalar subquery, probed through the primary
 * key row by row: written as `CASE WHEN EXISTS …` the planner may hash the whole referenced table for
 * every batch (it cannot see the staging table's size), which made each points batch at scale 1000
 * read all 360k orders.
 */
const exists = (table: string, column: string) => `(SELECT x.id FROM ${table} x WHERE x.id = s.${column})`;
const spec = tableSpec;

/**
 * Conflict flag for a case-insensitive unique column (`expr` uses `%` for the row alias): set when a
 * row outside this batch already holds the value unflagged, or an earlier row of the batch has it.
 */
function conflictFlag(table: string, expr: string): string {
  const on = (a: string) => expr.replace('%', a);
  const flag = table === 'promotions' ? 'code_conflict' : 'name_conflict';
  return `(EXISTS (SELECT 1 FROM ${table} x WHERE ${on('x')} = ${on('s')} AND x.id <> s.id AND NOT x.${flag}
      AND NOT EXISTS (SELECT 1 FROM bf_stage_${table} z WHERE z.id = x.id))
    OR EXISTS (SELECT 1 FROM bf_stage_${table} z WHERE ${on('z')} = ${on('s')} AND z.id COLLATE "C" < s.id COLLATE "C"))`;
}

type Rows = Pick<StagedRecord, 'parent' | 'children'>;
const row = (parent: object, children: Record<string, object[]> = {}): Rows => ({ parent, children }) as Rows;

/** Record entities in dependency order (users and catalogue first, then what references them). */
export const RECORD_ENTITIES: RecordEntity[] = [
  {
    name: 'users',
    family: 'user',
    write: { parent: spec(s.users), children: [] },
    rows: (v) => row(m.toUserRow(v as never)),
  },
  {
    name: 'products',
    parallel: true,
    family: 'product',
    write: {
      parent: spec(s.products),
      children: [{ spec: spec(s.productVariants), parentColumn: 'product_slug' }],
    },
    rows: (v) => {
      const r = m.toProductRows(v as never);
      return row(r.product, { product_variants: r.variants });
    },
  },
  {
    name: 'alcohol_types',
    family: 'alcoholType',
    write: {
      parent: spec(s.alcoholTypes),
      children: [],
      // A name already held keeps it; within a batch the first key in order does (§8.16).
      computed: { name_conflict: conflictFlag('alcohol_types', 'lower(%.name)') },
    },
    rows: (v) => row(m.toAlcoholTypeRow(v as never)),
  },
  {
    name: 'scents',
    family: 'scent',
    write: { parent: spec(s.scents), children: [] },
    rows: (v) => row(m.toScentRow(v as never)),
  },
  {
    name: 'base_oils',
    family: 'baseOil',
    write: { parent: spec(s.baseOils), children: [] },
    rows: (v) => row(m.toBaseOilRow(v as never)),
  },
  {
    name: 'containers',
    family: 'container',
    write: { parent: spec(s.containers), children: [] },
    rows: (v) => row(m.toContainerRow(v as never)),
  },
  {
    name: 'calculator_settings',
    family: 'calculatorSettings',
    write: { parent: spec(s.calculatorSettings), children: [] },
    rows: (v) => row(m.toCalculatorSettingsRow(v as never)),
  },
  {
    name: 'calculator_wicks',
    family: 'calculatorWick',
    write: { parent: spec(s.calculatorWicks), children: [] },
    rows: (v) => row(m.toCalculatorWickRow(v as never)),
  },
  {
    name: 'orders',
    parallel: true,
    family: 'order',
    write: {
      parent: spec(s.orders),
      children: [{ spec: spec(s.orderItems), parentColumn: 'order_id' }],
      computed: { user_ref: exists('users', 'user_id') },
    },
    rows: (v) => {
      const r = m.toOrderRows(v as never);
      return row(r.order, { order_items: r.items });
    },
  },
  {
    name: 'points_transactions',
    parallel: true,
    family: 'pointsTransaction',
    write: {
      parent: spec(s.pointsTransactions),
      children: [],
      computed: { user_ref: exists('users', 'user_id'), order_ref: exists('orders', 'order_id') },
    },
    rows: (v) => row(m.toPointsTransactionRow(v as never)),
  },
  {
    name: 'purchases',
    parallel: true,
    family: 'purchase',
    write: {
      parent: spec(s.purchases),
      children: [{ spec: spec(s.purchaseItems), parentColumn: 'purchase_id' }],
    },
    rows: (v) => {
      const r = m.toPurchaseRows(v as never);
      return row(r.purchase, { purchase_items: r.items });
    },
  },
  {
    name: 'promotions',
    family: 'promotion',
    write: {
      parent: spec(s.promotions),
      children: [],
      // A code already held keeps it; within a batch the first key in order does (§8.16).
      computed: { code_conflict: conflictFlag('promotions', 'upper(%.code)') },
    },
    rows: (v) => row(m.toPromotionRow(v as never)),
  },
  {
    name: 'refunds',
    parallel: true,
    family: 'refund',
    write: {
      parent: spec(s.refunds),
      children: [{ spec: spec(s.refundItems), parentColumn: 'refund_id' }],
      computed: { order_ref: exists('orders', 'order_id'), user_ref: exists('users', 'user_id') },
    },
    rows: (v) => {
      const r = m.toRefundRows(v as never);
      return row(r.refund, { refund_items: r.items });
    },
  },
  {
    name: 'password_reset_tokens',
    parallel: true,
    family: 'passwordReset',
    token: true,
    write: {
      parent: spec(s.passwordResetTokens),
      children: [],
      computed: { user_ref: exists('users', 'user_id') },
    },
    rows: (v, o) => row(m.toPasswordResetTokenRow(v as never, o)),
  },
  {
    name: 'email_verification_tokens',
    parallel: true,
    family: 'emailVerify',
    token: true,
    write: {
      parent: spec(s.emailVerificationTokens),
      children: [],
      computed: { user_ref: exists('users', 'user_id') },
    },
    rows: (v, o) => row(m.toEmailVerificationTokenRow(v as never, o)),
  },
  {
    name: 'invoice_access_tokens',
    parallel: true,
    family: 'invoiceToken',
    token: true,
    write: {
      parent: spec(s.invoiceAccessTokens),
      children: [],
      computed: { order_ref: exists('orders', 'order_id') },
    },
    rows: (v, o) => row(m.toInvoiceAccessTokenRow(v as never, o)),
  },
  {
    name: 'admin_users',
    family: 'adminUser',
    write: { parent: spec(s.adminUsers), children: [] },
    rows: (v) => row(m.toAdminUserRow(v as never)),
  },
];

export const ADMIN_LOGS_ENTITY = 'admin_logs';
export const TWO_FACTOR_ENTITY = 'admin_legacy_two_factor';

/** Every migrated entity in order (record entities, then the admin log and the legacy 2FA keys). */
export const MIGRATED_ENTITIES: readonly string[] = [
  ...RECORD_ENTITIES.map((e) => e.name),
  ADMIN_LOGS_ENTITY,
  TWO_FACTOR_ENTITY,
];

/** The report entity of a key family. */
export function entityOf(family: KeyFamily | 'unknown' | typeof APP_EPHEMERAL_FAMILY): string {
  if (family === 'unknown') return UNKNOWN_ENTITY;
  if (family === APP_EPHEMERAL_FAMILY) return APP_EPHEMERAL_ENTITY;
  if (family in INDEX_TARGET) return INDEXES_ENTITY;
  if (family in EPHEMERAL_ENTITY) return EPHEMERAL_ENTITY[family as keyof typeof EPHEMERAL_ENTITY];
  if (family === 'adminLogs') return ADMIN_LOGS_ENTITY;
  if (family === 'admin2faSecret' || family === 'admin2faBackupCodes') return TWO_FACTOR_ENTITY;
  const record = RECORD_ENTITIES.find((e) => e.family === family);
  if (!record) throw new Error(`no entity for key family ${family}`);
  return record.name;
}

/** Every report entity name (for --only validation and the report's row order). */
export const ALL_ENTITIES: readonly string[] = [
  ...MIGRATED_ENTITIES,
  ...Object.values(EPHEMERAL_ENTITY),
  APP_EPHEMERAL_ENTITY,
  UNKNOWN_ENTITY,
];
