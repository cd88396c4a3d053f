/**
 * Hands the differences the last `migrate:verify` found to the repair journal of the source of truth,
 * so the reconciler copies them the way shadow writes are copied: from the source, re-reading it
 * after each write and copying again if a live write changed it meanwhile. This is the safe way to
 * catch up while traffic runs (after `redis` or `postgres-only`, which write one store only).
 */
import type { PgHandle } from '../../backends/postgres/client.js';
import type { Journal, RecordRef } from '../journal/types.js';
import { relinkReferences } from '../verify/relationships.js';
import { latestVerifyResults, openMismatches } from '../verify/store.js';
import { domainOfEntity } from './domains.js';
import type { StoreName } from './stages.js';

export interface RequeueResult {
  /** Records journaled, per entity. */
  journaled: Record<string, number>;
  /** `*_ref` columns linked (unlinked references are fixed in place, there is nothing to copy). */
  relinked: number;
}

export async function requeueMismatches(
  pg: PgHandle,
  journals: Record<StoreName, Journal>,
  sourceOf: (domain: string) => StoreName,
): Promise<RequeueResult> {
  const result: RequeueResult = { journaled: {}, relinked: 0 };
  const dirty = (await latestVerifyResults(pg)).filter((r) => !r.clean).map((r) => r.entity);
  for (const entity of dirty) {
    const domain = domainOfEntity(entity) ?? 'unknown';
    for await (const page of openMismatches(pg, entity, 500)) {
      const refs: RecordRef[] = page
        .filter((m) => m.kind !== 'unlinked_ref')
        .map((m) => ({ domain, entity, id: m.recordId }));
      if (refs.length === 0) continue;
      await journals[sourceOf(domain)].record(refs, 'migrate:verify found it different', 0);
      result.journaled[entity] = (result.journaled[entity] ?? 0) + refs.length;
    }
  }
  if (dirty.length > 0) result.relinked = await relinkReferences(pg, dirty);
  return result;
}
