/** Postgres rows ⇄ domain records, one module per entity (docs/decisions.md). */
export * from './admin.js';
export * from './alcohol-type.js';
export * from './catalogue.js';
export * from './order.js';
export * from './points.js';
export * from './product.js';
export * from './promotion.js';
export * from './purchase.js';
export * from './refund.js';
export * from './representable.js';
export * from './tokens.js';
export * from './user.js';
