/**
 * The Postgres schema: every table of the store, as Drizzle definitions. drizzle-kit reads this
 * module (drizzle.config.ts) to generate the migrations in drizzle/; the tables live in schema/ by
 * domain. docs/schema.md explains each table and every deviation from the seed plan.
 */
export * from './schema/admin.js';
export * from './schema/backfill.js';
export * from './schema/catalog.js';
export * from './schema/enums.js';
export * from './schema/migration-router.js';
export * from './schema/migration-verify.js';
export * from './schema/orders.js';
export * from './schema/points.js';
export * from './schema/promotions.js';
export * from './schema/purchases.js';
export * from './schema/refunds.js';
export * from './schema/tokens.js';
export * from './schema/users.js';
export * from './schema/webhooks.js';
export * from './schema/workshop.js';
