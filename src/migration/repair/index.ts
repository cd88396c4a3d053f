/** Repair's public surface. */
export {
  type EntityRepairResult,
  type RepairOptions,
  type RepairOutcome,
  type RepairReport,
  runRepair,
} from './engine.js';
