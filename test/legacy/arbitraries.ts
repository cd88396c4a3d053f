/**
 * fast-check arbitraries for every domain record and every legacy key family's value (reusable by the
 * codec round trips, backend contract suites and dataset generators). Everything generated here is a
 * value the codecs accept, so `decode(encode(x))` must give `x` back.
 */
export * from './arbitraries/admin-tokens.js';
export * from './arbitraries/catalogue.js';
export * from './arbitraries/families.js';
export * from './arbitraries/primitives.js';
export * from './arbitraries/money.js';
export * from './arbitraries/products.js';
export * from './arbitraries/records.js';
