import { describe, expect, it } from 'vitest';
import { DECLARATIONS } from '../../src/migration/router/declarations/index.js';
import { buildDomainModel, ENTITY_DOMAINS } from '../../src/migration/router/domains.js';
import { ENTITIES } from '../../src/migration/entities/index.js';
import { stageDefaultsFromEnv } from '../../src/migration/stage-store/defaults.js';
import { flipsPrimary, needsEvidence, planOf, STAGES } from '../../src/migration/router/stages.js';

const model = buildDomainModel(DECLARATIONS);

describe('stage plans (architecture.md stage table)', () => {
  it('keeps the other store written in every stage but the two ends', () => {
    expect(STAGES.map((s) => [s, planOf(s).primary, planOf(s).shadow, planOf(s).reads])).toEqual([
      ['redis', 'redis', null, 'redis'],
      ['dual-write', 'redis', 'postgres', 'redis'],
      ['shadow-read', 'redis', 'postgres', 'redis'],
      ['postgres-read', 'redis', 'postgres', 'postgres'],
      ['postgres', 'postgres', 'redis', 'postgres'],
      ['postgres-only', 'postgres', null, 'postgres'],
    ]);
    expect(STAGES.filter((s) => planOf(s).readFallback)).toEqual(['postgres-read']);
  });

  it('asks for evidence only when moving forward past shadow-read', () => {
    expect(needsEvidence('dual-write', 'shadow-read')).toBe(false);
    expect(needsEvidence('shadow-read', 'postgres-read')).toBe(true);
    expect(needsEvidence('redis', 'postgres')).toBe(true);
    expect(needsEvidence('postgres', 'postgres-only')).toBe(true);
    expect(needsEvidence('postgres-only', 'redis')).toBe(false);
    expect(flipsPrimary('postgres-read', 'postgres')).toBe(true);
    expect(flipsPrimary('dual-write', 'postgres-read')).toBe(false);
  });
});

describe('domain groups', () => {
  it('puts every domain a checkout or a refund touches into one group', () => {
    const group = model.groupOf('checkout');
    expect([...group].sort()).toEqual(
      ['checkout', 'orders', 'points', 'products', 'promotions', 'refunds', 'tokens', 'users'].sort(),
    );
    for (const d of group) expect(model.groupOf(d)).toEqual(group);
  });

  it('leaves domains no operation ties together on their own', () => {
    for (const d of ['admin', 'purchases', 'alcoholTypes', 'catalogue', 'webhookEvents'] as const) {
      expect(model.groupOf(d)).toEqual([d]);
    }
    expect([...model.primaryOnly]).toEqual(['webhookEvents']);
  });

  it('files every sync-layer entity under a domain of the data layer', () => {
    for (const e of ENTITIES) expect(model.domains).toContain(ENTITY_DOMAINS[e.name]);
  });
});

describe('env defaults (seed plan flags)', () => {
  const groups = model.groups;

  it('is redis with nothing set, and follows USE_POSTGRES both ways', () => {
    expect(stageDefaultsFromEnv({}, groups).stages.get('orders')).toBe('redis');
    expect(stageDefaultsFromEnv({ USE_POSTGRES: 'true' }, groups).stages.get('orders')).toBe('postgres');
    // The seed plan's rollback (USE_POSTGRES=false) keeps dual-write on, so nothing is lost.
    expect(stageDefaultsFromEnv({ USE_POSTGRES: 'false' }, groups).stages.get('orders')).toBe('dual-write');
  });

  it('lets a per-domain variable win over the global one', () => {
    const d = stageDefaultsFromEnv(
      { USE_POSTGRES: 'true', MIGRATION_STAGE_ALCOHOL_TYPES: 'shadow-read', USE_POSTGRES_PURCHASES: 'false' },
      groups,
    ).stages;
    expect(d.get('alcoholTypes')).toBe('shadow-read');
    expect(d.get('purchases')).toBe('dual-write');
    expect(d.get('catalogue')).toBe('postgres');
  });

  it('moves a group to its least advanced member when the env splits it, and says so', () => {
    const d = stageDefaultsFromEnv(
      { USE_POSTGRES_ORDERS: 'true', MIGRATION_STAGE_POINTS: 'dual-write' },
      groups,
    );
    for (const member of model.groupOf('orders')) expect(d.stages.get(member)).toBe('redis');
    expect(d.warnings.join('\n')).toMatch(/orders=postgres.*all use redis/);
  });

  it('ignores a value that is not a stage, with a warning', () => {
    const d = stageDefaultsFromEnv({ MIGRATION_STAGE: 'postgress' }, groups);
    expect(d.stages.get('admin')).toBe('redis');
    expect(d.warnings[0]).toMatch(/MIGRATION_STAGE="postgress" is not a stage/);
  });
});
