/**
 * The whole legacy dataset as a lazy stream of write batches. Nothing is read back and nothing
 * depends on wall-clock time: the same options give the same batches, byte for byte. Sections run
 * in a fixed order; within each, records are written before the index sets and lists that name
 * them, as the store does.
 */
import { adminSection } from './admin.js';
import { createContext, type GenContext } from './context.js';
import { edgeProducts } from './edge-products.js';
import { edgePromotions, edgePurchases, edgeTokens } from './edge-records.js';
import { edgeCustomers } from './edge-orders.js';
import { edgeReference } from './edge-reference.js';
import { ephemeralSection } from './ephemeral.js';
import { guestsSection, manualSalesSection, squareSection } from './guests.js';
import { catalogueSection, productsSection } from './products.js';
import { promotionsSection } from './promotions.js';
import { purchasesSection } from './purchases.js';
import type { EdgeCase, GeneratorOptions, WriteOp } from './types.js';
import { emitUser } from './users.js';

/** Operations per yielded batch (a soft limit: one entity's writes are never split). */
const BATCH = 2000;

function* usersSection(ctx: GenContext): Generator<void> {
  for (let u = 0; u < ctx.counts.users; u++) {
    emitUser(ctx, `u${u}`, u === 0 ? { template: true } : u === 1 ? { linked: true } : {});
    yield;
  }
  ctx.index.flush();
}

function* once(fn: () => void): Generator<void> {
  fn();
  yield;
}

/** A generated dataset: lazy write batches plus the edge cases logged while producing them. */
export interface Dataset {
  /** The write batches, produced on demand. Iterate once. */
  batches: Generator<WriteOp[]>;
  /** Filled while `batches` is iterated; complete once it is exhausted. */
  edgeCases: EdgeCase[];
}

export function generateDataset(opts: GeneratorOptions): Dataset {
  const ctx = createContext(opts);
  function* run(): Generator<WriteOp[]> {
    const sections: Iterable<void>[] = [
      once(() => catalogueSection(ctx)),
      productsSection(ctx),
      usersSection(ctx),
      guestsSection(ctx),
      manualSalesSection(ctx),
      squareSection(ctx),
      purchasesSection(ctx),
      once(() => promotionsSection(ctx)),
      once(() => adminSection(ctx)),
      once(() => ephemeralSection(ctx)),
      once(() => edgeReference(ctx)),
      once(() => edgeProducts(ctx)),
      once(() => edgePurchases(ctx)),
      once(() => edgePromotions(ctx)),
      once(() => edgeTokens(ctx)),
      edgeCustomers(ctx),
    ];
    for (const section of sections) {
      for (const _ of section) {
        if (ctx.out.size >= BATCH) yield ctx.out.take();
      }
      ctx.index.flush();
    }
    if (ctx.out.size > 0) yield ctx.out.take();
  }
  return { batches: run(), edgeCases: ctx.edges };
}
