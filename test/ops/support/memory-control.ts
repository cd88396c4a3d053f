/**
 * An in-memory MigrationControl with the router's guard-rail rule (forward past shadow-read needs a
 * clean verify and an empty journal), for rendering the dashboard without the migration modules.
 */
import {
  type DomainState,
  type JournalEntry,
  type MigrationControl,
  STAGES,
  type ShadowSample,
  type Stage,
  type StoreCounts,
  stageIndex,
  type VerifySummary,
  type BackfillProgress,
  type ShadowStats,
  isVerifyClean,
} from '../../../src/ops/migration-control.js';

export interface MemoryState {
  domains: DomainState[];
  journal: JournalEntry[];
  verify: VerifySummary[];
  samples: ShadowSample[];
  stats: ShadowStats[];
  backfill: BackfillProgress[];
  counts: StoreCounts[];
}

export function memoryControl(state: MemoryState, now = () => new Date()): MigrationControl {
  const find = (domain: string) => state.domains.find((d) => d.domain === domain);
  return {
    async listDomains() {
      return structuredClone(state.domains);
    },
    async setStage(domain, to) {
      const d = find(domain);
      if (!d) throw new Error(`no domain ${domain}`);
      const group = d.group.length > 0 ? d.group : [domain];
      const from = d.stage;
      const reasons: string[] = [];
      if (stageIndex(to) > stageIndex(from) && stageIndex(to) > stageIndex('shadow-read')) {
        for (const member of group) {
          const m = find(member)!;
          const depth = state.journal.filter((e) => e.domain === member).length;
          if (depth > 0) reasons.push(`${member}: the repair journal holds ${depth} entries`);
          for (const v of state.verify.filter((x) => (m.entities ?? [member]).includes(x.entity))) {
            if (!isVerifyClean(v)) reasons.push(`${member}: the last verify of ${v.entity} is not clean`);
          }
        }
      }
      if (Math.abs(stageIndex(to) - stageIndex(from)) !== 1) reasons.push('one step at a time');
      if (reasons.length > 0) return { ok: false, stage: from, reasons };
      for (const member of group) find(member)!.stage = to;
      return { ok: true, stage: to, reasons: [] };
    },
    async journal(domain, limit = 20) {
      const entries = state.journal.filter((e) => e.domain === domain);
      const oldest = entries.reduce<string | null>(
        (m, e) => (m === null || e.createdAt < m ? e.createdAt : m),
        null,
      );
      return {
        domain,
        depth: entries.length,
        oldestAgeSeconds: oldest === null ? null : (now().getTime() - Date.parse(oldest)) / 1000,
        entries: entries.slice(0, limit),
      };
    },
    async lastVerify() {
      return structuredClone(state.verify);
    },
    async shadowSamples(domain, limit = 10) {
      return state.samples.filter((s) => s.domain === domain).slice(0, limit);
    },
    async shadowStats() {
      return structuredClone(state.stats);
    },
    async backfillProgress() {
      return structuredClone(state.backfill);
    },
    async counts() {
      return structuredClone(state.counts);
    },
  };
}

/** A realistic mid-migration picture: checkout group at shadow-read with a dirty products verify. */
export function sampleState(now: Date): MemoryState {
  const iso = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000).toISOString();
  const checkout = ['orders', 'products', 'points', 'promotions', 'checkout'];
  const d = (domain: string, stage: Stage, group: string[] = [], entities?: string[]): DomainState => ({
    domain,
    stage,
    group,
    ...(entities ? { entities } : {}),
  });
  return {
    domains: [
      d('users', 'postgres-read', [], ['users']),
      d('tokens', 'dual-write', [], ['password_reset_tokens']),
      d('admin', 'postgres', [], ['admin_users']),
      d('webhookEvents', 'redis'),
      d('orders', 'shadow-read', checkout, ['orders']),
      d('products', 'shadow-read', checkout, ['products']),
      d('points', 'shadow-read', checkout, ['points_transactions']),
      d('promotions', 'shadow-read', checkout, ['promotions']),
      d('checkout', 'shadow-read', checkout, []),
      d('refunds', 'dual-write', [], ['refunds']),
      d('alcoholTypes', 'postgres-only', [], ['alcohol_types']),
      d('catalogue', 'postgres', [], ['scents']),
      d('purchases', 'postgres-read', [], ['purchases']),
    ],
    journal: [
      {
        id: 'j1',
        domain: 'refunds',
        recordKey: 'refunds:7f1c2a9e-1b7e-4d0e-9a55-0c8f3e2b1d44',
        target: 'postgres',
        error: 'canceling statement due to statement timeout',
        attempts: 3,
        createdAt: iso(42),
      },
    ],
    verify: [
      {
        entity: 'users',
        finishedAt: iso(12),
        checked: 1843,
        missingInPostgres: 0,
        missingInRedis: 0,
        mismatched: 0,
        examples: [],
      },
      {
        entity: 'orders',
        finishedAt: iso(12),
        checked: 5210,
        missingInPostgres: 0,
        missingInRedis: 0,
        mismatched: 0,
        examples: [],
      },
      {
        entity: 'products',
        finishedAt: iso(12),
        checked: 64,
        missingInPostgres: 0,
        missingInRedis: 0,
        mismatched: 2,
        examples: ['titos-candle', 'desert-sage'],
      },
      {
        entity: 'points_transactions',
        finishedAt: iso(12),
        checked: 9120,
        missingInPostgres: 1,
        missingInRedis: 0,
        mismatched: 0,
        examples: ['4e0d5c1a-…'],
      },
      {
        entity: 'refunds',
        finishedAt: iso(12),
        checked: 37,
        missingInPostgres: 0,
        missingInRedis: 0,
        mismatched: 0,
        examples: [],
      },
    ],
    samples: [
      {
        id: 's1',
        domain: 'products',
        method: 'get',
        recordKey: 'products:titos-candle',
        at: iso(3),
        diffs: [
          { path: 'stock', redis: 12, postgres: 13 },
          { path: 'variantConfig.variantData.wood-lavender.stock', redis: 0, postgres: undefined },
        ],
      },
    ],
    stats: [
      { domain: 'products', compared: 4210, mismatched: 6 },
      { domain: 'orders', compared: 12033, mismatched: 0 },
      { domain: 'users', compared: 3301, mismatched: 0 },
    ],
    backfill: [
      {
        entity: 'users',
        status: 'done',
        processed: 1843,
        total: 1843,
        startedAt: iso(90),
        updatedAt: iso(80),
        ratePerSecond: 410,
      },
      {
        entity: 'orders',
        status: 'done',
        processed: 5210,
        total: 5210,
        startedAt: iso(80),
        updatedAt: iso(70),
        ratePerSecond: 350,
      },
      {
        entity: 'points_transactions',
        status: 'running',
        processed: 6120,
        total: 9120,
        startedAt: iso(5),
        updatedAt: iso(0),
        ratePerSecond: 220,
      },
      {
        entity: 'refunds',
        status: 'pending',
        processed: 0,
        total: null,
        startedAt: null,
        updatedAt: null,
        ratePerSecond: null,
      },
    ],
    counts: [
      { entity: 'users', redis: 1843, postgres: 1843 },
      { entity: 'orders', redis: 5210, postgres: 5210 },
      { entity: 'products', redis: 64, postgres: 64 },
      { entity: 'points_transactions', redis: 9120, postgres: 6120 },
      { entity: 'refunds', redis: 37, postgres: 37 },
    ],
  };
}

export { STAGES };
