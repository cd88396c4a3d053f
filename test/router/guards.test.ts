/**
 * The guard's "last verify is clean" finds the right verify for every router domain. Verify names
 * entities (`alcohol_types`) and files them under its own domains (`catalogue`), the router names
 * DataLayer members (`alcoholTypes`): the mapping is checked against the entity list, and a dirty
 * verify of each entity, stored the way migrate:verify stores it, blocks its own domain's promotion
 * and no other's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTITIES, ENTITY_NAMES } from '../../src/migration/entities/index.js';
import { DECLARATIONS } from '../../src/migration/router/declarations/index.js';
import { buildDomainModel, domainOfEntity, entitiesOfDomain } from '../../src/migration/router/domains.js';
import { evidenceFindings } from '../../src/migration/router/guards.js';
import type { RoutedDataLayer } from '../../src/migration/router/index.js';
import { createShadowStore } from '../../src/migration/router/shadow-store.js';
import { emptyCounts } from '../../src/migration/verify/entity-pass.js';
import { finishRun, saveEntityResult, startRun } from '../../src/migration/verify/store.js';
import type { EntityCounts } from '../../src/migration/verify/types.js';
import { usePostgres, useRedis } from '../support/harness.js';
import { buildRouter, waitFor } from './fixtures.js';

const pg = usePostgres();
const redis = useRedis();
const model = buildDomainModel(DECLARATIONS);

const counts = (different: number): EntityCounts => ({
  ...emptyCounts(),
  redisRecords: 3,
  postgresRecords: 3,
  equal: 3 - different,
  different,
});

/** Stores one verify run of `entities` as runVerify does (its own domain names included). */
async function storeVerify(entities: readonly string[], dirty: ReadonlySet<string>): Promise<void> {
  const runId = await startRun(pg.handle, 'verify', entities, {});
  for (const name of entities) {
    const entity = ENTITIES.find((e) => e.name === name)!;
    await saveEntityResult(pg.handle, runId, {
      entity: name,
      domain: entity.domain,
      clean: !dirty.has(name),
      counts: counts(dirty.has(name) ? 1 : 0),
      skippedReasons: {},
      samples: [],
    });
  }
  await finishRun(pg.handle, runId, dirty.size > 0 ? 'mismatch' : 'clean', null);
}

async function verifyFindings(domain: string) {
  const findings = await evidenceFindings(
    pg.handle,
    createShadowStore(pg.handle),
    { domain, stage: 'shadow-read', since: new Date(), hasReads: false, lag: [] },
    { maxMismatchRate: 0.001, minComparisons: 100 },
  );
  return findings.filter((f) => f.code.startsWith('verify-'));
}

describe('router domains ↔ verify entities', () => {
  it('files every verified entity under exactly one router domain, a DataLayer member', () => {
    for (const name of ENTITY_NAMES) expect(model.domains, name).toContain(domainOfEntity(name));
    const mapped = model.domains.flatMap((d) => entitiesOfDomain(d));
    expect([...mapped].sort()).toEqual([...ENTITY_NAMES].sort());
  });

  it('leaves out only domains that hold no migrated records of their own', () => {
    const without = model.domains.filter((d) => entitiesOfDomain(d).length === 0);
    // checkout writes orders, stock, points and promotions (its group carries their verifies);
    // webhook claims stay in one store (primary-only).
    expect(without.sort()).toEqual(['checkout', 'webhookEvents']);
    expect(model.primaryOnly.has('webhookEvents')).toBe(true);
    expect(model.groupOf('checkout')).toEqual(expect.arrayContaining(['orders', 'products', 'points']));
  });

  it('before any verify, each domain names exactly its own entities as never verified', async () => {
    for (const d of model.domains) {
      const found = await verifyFindings(d);
      expect(found.every((f) => f.code === 'verify-missing')).toBe(true);
      const named = found.map((f) => /: (\w+) has never been verified/.exec(f.message)?.[1]);
      expect(named.sort(), d).toEqual(entitiesOfDomain(d).sort());
    }
  });

  it('a dirty verify of each entity blocks its own domain, and only that one', async () => {
    const gated = model.domains.filter((d) => entitiesOfDomain(d).length > 0);
    await storeVerify(ENTITY_NAMES, new Set());
    for (const d of gated) expect(await verifyFindings(d), d).toEqual([]);

    for (const entity of ENTITY_NAMES) {
      await storeVerify([entity], new Set([entity]));
      const owner = domainOfEntity(entity)!;
      for (const d of gated) {
        const found = await verifyFindings(d);
        if (d === owner) {
          expect(found, `${entity} → ${d}`).toEqual([
            expect.objectContaining({ code: 'verify-dirty', message: expect.stringContaining(entity) }),
          ]);
          expect(found[0]!.message).toContain(`--only ${entity}`);
        } else expect(found, `${entity} must not block ${d}`).toEqual([]);
      }
      await storeVerify([entity], new Set()); // clean again before the next entity
    }
  });
});

describe('through setStage', () => {
  let layer: RoutedDataLayer;
  beforeAll(async () => {
    layer = await buildRouter(pg, redis, { env: {}, reconciler: { enabled: false } });
  });
  afterAll(() => layer.migration.close());

  it('alcoholTypes is held back by a dirty alcohol_types verify (filed by verify under catalogue)', async () => {
    await layer.migration.setStage({ target: 'alcoholTypes', stage: 'shadow-read', by: 't' });
    await layer.migration.setStage({ target: 'catalogue', stage: 'shadow-read', by: 't' });
    await waitFor('shadow-read', async () => layer.migration.stageOf('alcoholTypes') === 'shadow-read');
    await storeVerify(ENTITY_NAMES, new Set(['alcohol_types']));
    const codes = async (target: string) =>
      (await layer.migration.setStage({ target, stage: 'postgres-read', by: 't' })).reasons.map(
        (f) => f.code,
      );
    expect(await codes('alcoholTypes')).toContain('verify-dirty');
    expect(await codes('catalogue')).not.toContain('verify-dirty');
    await storeVerify(['alcohol_types'], new Set());
    expect(await codes('alcoholTypes')).not.toContain('verify-dirty');
  });
});
