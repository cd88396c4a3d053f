/** Verify's public surface: the engine, its report types, and the stored results the router reads. */
export { runVerify } from './engine.js';
export { diffRecords, type FieldDiff } from './diff.js';
export {
  type DomainVerify,
  type LatestVerify,
  latestDomainVerify,
  latestVerifyResults,
} from './store.js';
export type * from './types.js';
