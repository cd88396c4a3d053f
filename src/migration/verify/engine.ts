/**
 * `runVerify`: compares every record of every selected entity between Redis and Postgres and stores
 * the outcome. A typed function (the CLI is a thin wrapper); it returns a report with a status per
 * entity and throws only for infrastructure failures (after marking the stored run `error`).
 */
import { type AnyEntitySync, selectEntities } from '../entities/index.js';
import type { Order } from '../../domain/order.js';
import type { Product } from '../../domain/product.js';
import type { Purchase } from '../../domain/purchase.js';
import type { Refund } from '../../domain/refund.js';
import { QuarantineLookup } from './backfill-records.js';
import { checkLedger, DriftCollector } from './drift.js';
import { verifyEntity } from './entity-pass.js';
import { checkRelationships, childRowCounts } from './relationships.js';
import { finishRun, MismatchWriter, saveEntityResult, startRun } from './store.js';
import type { EntityVerifyResult, Mismatch, VerifyOptions, VerifyReport } from './types.js';

/** Child rows of a record, by entity (the Postgres child table holds one row each). */
function childCount(entity: AnyEntitySync, record: unknown): number | undefined {
  switch (entity.name) {
    case 'orders':
      return (record as Order).items.length;
    case 'purchases':
      return (record as Purchase).items.length;
    case 'refunds':
      return (record as Refund).items.length;
    case 'products':
      return Object.keys((record as Product).variantConfig?.variantData ?? {}).length;
    default:
      return undefined;
  }
}

function mismatchTotal(r: EntityVerifyResult): number {
  const c = r.counts;
  return c.different + c.missingInPostgres + c.missingInRedis + c.undecodable + c.unlinkedRefs;
}

/** Runs a verify; see {@link VerifyOptions}. */
export async function runVerify(opts: VerifyOptions): Promise<VerifyReport> {
  const { ctx } = opts;
  const entities = selectEntities(opts.only);
  const names = entities.map((e) => e.name);
  const store = opts.store ?? true;
  const batchSize = opts.batchSize ?? 500;
  const started = new Date();
  const runId = store
    ? await startRun(ctx.pg, 'verify', names, {
        batchSize,
        sample: opts.sample ?? 5,
        recheckDelayMs: opts.recheckDelayMs ?? 250,
        prefix: ctx.keys.prefix,
      })
    : undefined;
  const writer = runId === undefined ? undefined : new MismatchWriter(ctx.pg, runId);
  try {
    const report = await verifyAll(opts, entities, writer);
    report.startedAt = started.toISOString();
    report.durationMs = Date.now() - started.getTime();
    if (runId !== undefined) {
      report.runId = runId;
      for (const r of Object.values(report.entities)) await saveEntityResult(ctx.pg, runId, r);
      await finishRun(ctx.pg, runId, report.clean ? 'clean' : 'mismatch', report);
    }
    return report;
  } catch (err) {
    if (runId !== undefined) {
      await finishRun(ctx.pg, runId, 'error', null, err instanceof Error ? err.message : String(err)).catch(
        () => undefined,
      );
    }
    throw err;
  }
}

async function verifyAll(
  opts: VerifyOptions,
  entities: AnyEntitySync[],
  writer: MismatchWriter | undefined,
): Promise<VerifyReport> {
  const { ctx } = opts;
  const batchSize = opts.batchSize ?? 500;
  const drift = new DriftCollector();
  const quarantine = new QuarantineLookup(ctx.pg);
  const results: Record<string, EntityVerifyResult> = {};
  const report = (m: Mismatch) => writer?.add(m) ?? Promise.resolve();

  for (const entity of entities) {
    results[entity.name] = await verifyEntity(entity, {
      ctx,
      quarantine,
      batchSize,
      sample: opts.sample ?? 5,
      diffLimit: opts.diffLimit ?? 20,
      recheckDelayMs: opts.recheckDelayMs ?? 250,
      recheckRounds: opts.recheckRounds ?? 3,
      report,
      observe: (e, obs) => drift.observe(e, obs),
      childCount,
      onProgress: (phase, done) => opts.onProgress?.({ entity: entity.name, phase, done }),
    });
  }

  const names = entities.map((e) => e.name);
  opts.onProgress?.({ entity: '(relationships)', phase: 'checks', done: 0 });
  const relationships = await checkRelationships(ctx.pg, names);
  for (const m of relationships.unlinked) {
    const r = results[m.entity];
    if (!r) continue;
    r.counts.unlinkedRefs++;
    if (r.samples.length < (opts.sample ?? 5)) r.samples.push(m);
    await report(m);
  }
  for (const [entity, n] of await childRowCounts(ctx.pg, names)) {
    const r = results[entity];
    if (r) r.childRows = { redis: r.childRows?.redis ?? 0, postgres: n };
  }
  await writer?.flush();

  const ledger =
    names.includes('users') && names.includes('points_transactions')
      ? await checkLedger(ctx, batchSize)
      : undefined;
  let clean = true;
  for (const r of Object.values(results)) {
    r.clean = mismatchTotal(r) === 0;
    clean &&= r.clean;
  }
  return {
    startedAt: '',
    durationMs: 0,
    clean,
    entities: results,
    relationships: relationships.report,
    stock: { count: drift.stockCount, sample: drift.stock },
    points: {
      balanceDrift: { count: drift.balanceCount, sample: drift.balances },
      ...(ledger ? { ledger } : {}),
    },
  };
}
