/**
 * Stage changes: stored in Postgres and audited, moved per group, refused without evidence (with the
 * reason and the next command), forced on request, always allowed backwards; every process switches
 * at the same moment, within about 2 s with the default timings; an unreachable stage store leaves a
 * process on its last known stages and says so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSyncContext } from '../../src/migration/entities/index.js';
import { createRedisJournal } from '../../src/migration/journal/redis-journal.js';
import { migrationKeys } from '../../src/migration/journal/keys.js';
import type { RoutedDataLayer } from '../../src/migration/router/index.js';
import { createStageStore } from '../../src/migration/stage-store/store.js';
import { runVerify } from '../../src/migration/verify/engine.js';
import { newUser } from '../contract/fixtures/accounts.js';
import { usePostgres, useRedis } from '../support/harness.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { buildRouter, keysOf, openExtraPg, waitFor } from './fixtures.js';

const pg = usePostgres();
const redis = useRedis();
const codes = (r: { reasons: { code: string }[] }) => [...new Set(r.reasons.map((f) => f.code))].sort();

let layer: RoutedDataLayer;
beforeAll(async () => {
  layer = await buildRouter(pg, redis, { env: {}, reconciler: { enabled: false } });
});
afterAll(() => layer.migration.close());

const addComparisons = (domain: string, compared: number, mismatched: number) =>
  pg.handle.query(
    `INSERT INTO migration_shadow_stats (domain, bucket, calibration, compared, mismatched)
     VALUES ($1, clock_timestamp(), false, $2, $3)
     ON CONFLICT (domain, bucket, calibration) DO UPDATE
       SET compared = migration_shadow_stats.compared + $2, mismatched = migration_shadow_stats.mismatched + $3`,
    [domain, compared, mismatched],
  );

describe('groups and the audit trail', () => {
  it('moves the whole group when one member is set, and audits who, why and from → to', async () => {
    const r = await layer.migration.setStage({
      target: 'orders',
      stage: 'dual-write',
      reason: 'start',
      by: 'ops',
    });
    expect(r.ok).toBe(true);
    const group = layer.migration.model.groupOf('orders');
    expect(r.moves.map((m) => m.domain).sort()).toEqual([...group].sort());
    expect(r.moves.every((m) => m.from === 'redis' && m.to === 'dual-write')).toBe(true);
    for (const d of group) expect(layer.migration.stageOf(d)).toBe('redis'); // not before effectiveAt
    await waitFor('the switch', async () => layer.migration.stageOf('points') === 'dual-write');
    expect(layer.migration.stageOf('admin')).toBe('redis');
    const audit = await createStageStore(pg.handle).audit({ domain: 'users', limit: 1 });
    expect(audit[0]).toMatchObject({
      fromStage: 'redis',
      toStage: 'dual-write',
      changedBy: 'ops',
      reason: 'start',
      outcome: 'applied',
      forced: false,
    });
  });

  it('needs no evidence to enter shadow-read, and nothing happens when already there', async () => {
    expect((await layer.migration.setStage({ target: 'admin', stage: 'shadow-read', by: 't' })).ok).toBe(
      true,
    );
    const again = await layer.migration.setStage({ target: 'admin', stage: 'shadow-read', by: 't' });
    expect(again).toMatchObject({ ok: true, moves: [] });
  });
});

describe('evidence for moving past shadow-read', () => {
  it('refuses without a verify and without shadow reads, says what to run, and audits the refusal', async () => {
    const r = await layer.migration.setStage({ target: 'purchases', stage: 'postgres-read', by: 'ops' });
    expect(r.ok).toBe(false);
    expect(codes(r)).toEqual(['no-shadow-reads', 'verify-missing']);
    expect(r.reasons.map((f) => f.message).join('\n')).toMatch(/npm run migrate:verify -- --only purchases/);
    expect(layer.migration.stageOf('purchases')).toBe('redis');
    const [audit] = await createStageStore(pg.handle).audit({ domain: 'purchases', limit: 1 });
    expect(audit).toMatchObject({ outcome: 'refused', toStage: 'postgres-read' });
    expect(audit!.findings.map((f) => f.code).sort()).toEqual(['no-shadow-reads', 'verify-missing']);
  });

  it('checks the journal, the verify and the mismatch rate, and applies once all are good', async () => {
    const ctx = createSyncContext({ redis: redis.client, keys: keysOf(redis), pg: pg.handle });
    await layer.migration.setStage({ target: 'catalogue', stage: 'shadow-read', by: 't' });
    await waitFor('shadow-read', async () => layer.migration.stageOf('catalogue') === 'shadow-read');
    expect((await runVerify({ ctx, only: ['catalogue'], recheckDelayMs: 10 })).clean).toBe(true);

    const journal = createRedisJournal(redis.client, migrationKeys(redis.prefix));
    await journal.record([{ domain: 'catalogue', entity: 'scents', id: 'lavender' }], 'postgres was down', 0);
    await addComparisons('catalogue', 40, 0);
    let r = await layer.migration.setStage({ target: 'catalogue', stage: 'postgres-read', by: 'ops' });
    expect(codes(r)).toEqual(['journal-not-empty', 'too-few-comparisons']);
    expect(r.reasons.find((f) => f.code === 'journal-not-empty')?.message).toMatch(
      /1 record\(s\).*migrate:status -- --drain/,
    );

    const [entry] = await journal.list({ domain: 'catalogue' });
    await journal.clear(entry!);
    await addComparisons('catalogue', 100, 1); // 1 in 140: above 0.1 %
    r = await layer.migration.setStage({ target: 'catalogue', stage: 'postgres-read', by: 'ops' });
    expect(codes(r)).toEqual(['mismatch-rate']);
    expect(r.reasons[0]!.message).toMatch(/0\.714 % \(1 of 140\).*above 0\.1 %/);

    await addComparisons('catalogue', 800, 0); // 1 in 940: still above
    expect(
      codes(await layer.migration.setStage({ target: 'catalogue', stage: 'postgres-read', by: 'ops' })),
    ).toEqual(['mismatch-rate']);
    await addComparisons('catalogue', 10_000, 0); // 1 in 10940: below
    r = await layer.migration.setStage({ target: 'catalogue', stage: 'postgres-read', by: 'ops' });
    expect(r).toMatchObject({ ok: true, reasons: [] });
  });

  it('a dirty verify is named with the command that repairs it', async () => {
    const ctx = createSyncContext({ redis: redis.client, keys: keysOf(redis), pg: pg.handle });
    await layer.migration.setStage({ target: 'users', stage: 'shadow-read', by: 't' });
    // A user only Redis has: written behind the router's back.
    await (await import('../../src/backends/redis/index.js'))
      .createRedisDataLayer({ client: redis.client, keys: keysOf(redis), now: () => new Date() })
      .users.create(newUser());
    expect((await runVerify({ ctx, only: ['users'], recheckDelayMs: 10 })).clean).toBe(false);
    const r = await layer.migration.setStage({ target: 'users', stage: 'postgres', by: 'ops' });
    const dirty = r.reasons.find((f) => f.code === 'verify-dirty');
    expect(dirty?.message).toMatch(
      /users: the last verify of users .* was not clean \(1 missingInPostgres\).*migrate:repair -- --only users/,
    );
  });

  it('--force applies anyway and keeps what it overrode in the audit', async () => {
    const r = await layer.migration.setStage({
      target: 'alcoholTypes',
      stage: 'postgres',
      force: true,
      by: 'ops',
      reason: 'drill',
    });
    expect(r.ok).toBe(true);
    expect(r.reasons.length).toBeGreaterThan(0);
    const [audit] = await createStageStore(pg.handle).audit({ domain: 'alcoholTypes', limit: 1 });
    expect(audit).toMatchObject({ outcome: 'applied', forced: true, reason: 'drill', toStage: 'postgres' });
    expect(audit!.findings.length).toBe(r.reasons.length);
  });

  it('always allows a step back, whatever the evidence says', async () => {
    await waitFor('postgres', async () => layer.migration.stageOf('alcoholTypes') === 'postgres');
    const r = await layer.migration.setStage({ target: 'alcoholTypes', stage: 'dual-write', by: 'ops' });
    expect(r).toMatchObject({ ok: true, reasons: [] });
    expect(r.warnings.join('\n')).toMatch(/Redis is the source of truth again/);
  });
});

describe('every process follows the stored stage', () => {
  it('switches another process at the same moment, within about 2 s with the default timings', async () => {
    const a = await buildRouter(pg, redis, { env: {}, stages: {}, reconciler: { enabled: false } });
    const b = await buildRouter(pg, redis, { env: {}, stages: {}, reconciler: { enabled: false } });
    try {
      const started = Date.now();
      const r = await a.migration.setStage({ target: 'purchases', stage: 'dual-write', by: 'ops' });
      const switched = await waitFor('process b to switch', async () =>
        b.migration.stageOf('purchases') === 'dual-write' ? Date.now() : undefined,
      );
      expect(switched - started).toBeLessThan(2500);
      expect(switched).toBeGreaterThanOrEqual(r.effectiveAt!.getTime() - 5);
      expect(a.migration.stageOf('purchases')).toBe('dual-write');
    } finally {
      await a.migration.close();
      await b.migration.close();
    }
  });

  it('keeps the last known stages while the stage store is unreachable, and says so', async () => {
    let proxy: TcpProxy | undefined;
    const viaProxy = await (async () => {
      proxy = await startTcpProxy({ port: 5432 });
      return openExtraPg(pg.url.replace('127.0.0.1:5432', `127.0.0.1:${proxy.port}`));
    })();
    const c = await buildRouter(pg, redis, { env: {}, pg: viaProxy, reconciler: { enabled: false } });
    try {
      await layer.migration.setStage({ target: 'purchases', stage: 'shadow-read', by: 'ops' });
      await waitFor('c to see shadow-read', async () => c.migration.stageOf('purchases') === 'shadow-read');
      proxy!.cut();
      await waitFor('c to notice', async () => c.migration.stageHealth().stale);
      expect(c.migration.stageOf('purchases')).toBe('shadow-read');
      expect(c.migration.stageHealth().lastError).toBeTruthy();
      await proxy!.restore();
      await waitFor('c to recover', async () => !c.migration.stageHealth().stale);
    } finally {
      await c.migration.close();
      await viaProxy.close();
      await proxy?.close();
    }
  });
});
