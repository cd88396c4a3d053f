/**
 * Every migrated entity, in dependency order (a parent before the rows that reference it, as the
 * backfill writes them), and the lookups the CLIs and the router use.
 */
import { adminLogsEntity } from './admin-logs.js';
import { adminUsersEntity } from './admin-users.js';
import {
  alcoholTypesEntity,
  baseOilsEntity,
  calculatorWicksEntity,
  containersEntity,
  scentsEntity,
} from './catalogue.js';
import { ordersEntity } from './orders.js';
import { pointsEntity } from './points.js';
import { productsEntity } from './products.js';
import { promotionsEntity } from './promotions.js';
import { purchasesEntity } from './purchases.js';
import { refundsEntity } from './refunds.js';
import { calculatorSettingsEntity, legacyTwoFactorEntity } from './singletons.js';
import {
  emailVerificationTokensEntity,
  invoiceAccessTokensEntity,
  passwordResetTokensEntity,
} from './tokens.js';
import type { AnyEntitySync, SyncContext } from './types.js';
import { usersEntity } from './users.js';

export { copyRecord, sameRecord } from './copy.js';
export * from './types.js';

/** All entities, parents first. */
export const ENTITIES: readonly AnyEntitySync[] = [
  usersEntity,
  productsEntity,
  alcoholTypesEntity,
  scentsEntity,
  baseOilsEntity,
  containersEntity,
  calculatorSettingsEntity,
  calculatorWicksEntity,
  ordersEntity,
  pointsEntity,
  purchasesEntity,
  promotionsEntity,
  refundsEntity,
  passwordResetTokensEntity,
  emailVerificationTokensEntity,
  invoiceAccessTokensEntity,
  adminUsersEntity,
  adminLogsEntity,
  legacyTwoFactorEntity,
] as AnyEntitySync[];

/** Entity names (the Postgres parent tables). */
export const ENTITY_NAMES: readonly string[] = ENTITIES.map((e) => e.name);

/** Domain names (several entities may share one, e.g. `tokens`, `catalogue`, `admin`). */
export const DOMAIN_NAMES: readonly string[] = [...new Set(ENTITIES.map((e) => e.domain))];

/** The entity called `name`, or undefined. */
export function entityByName(name: string): AnyEntitySync | undefined {
  return ENTITIES.find((e) => e.name === name);
}

/** A name given to `--only` that is neither an entity nor a domain. */
export class UnknownEntityError extends Error {
  constructor(readonly unknown: string[]) {
    super(
      `unknown entit${unknown.length === 1 ? 'y' : 'ies'} ${unknown.join(', ')}; known entities: ${ENTITY_NAMES.join(', ')}; domains: ${DOMAIN_NAMES.join(', ')}`,
    );
    this.name = 'UnknownEntityError';
  }
}

/**
 * The entities named by a list of entity or domain names (`orders,tokens`), in dependency order;
 * every entity when `names` is undefined or empty.
 */
export function selectEntities(names: readonly string[] | undefined): AnyEntitySync[] {
  if (!names || names.length === 0) return [...ENTITIES];
  const unknown = names.filter((n) => !ENTITY_NAMES.includes(n) && !DOMAIN_NAMES.includes(n));
  if (unknown.length > 0) throw new UnknownEntityError(unknown);
  return ENTITIES.filter((e) => names.includes(e.name) || names.includes(e.domain));
}

/** A fresh context (the token map starts empty). */
export function createSyncContext(
  deps: Omit<SyncContext, 'tokenKeys' | 'now'> & { now?: () => Date },
): SyncContext {
  return { ...deps, now: deps.now ?? (() => new Date()), tokenKeys: new Map() };
}
