/**
 * The six migration stages of a domain (architecture.md, "Stages") and what each one means for the
 * router: which store is the source of truth, whether the other store is written as a shadow, where
 * reads go, and whether a sample of reads is compared with the other store.
 */

export const STAGES = [
  'redis',
  'dual-write',
  'shadow-read',
  'postgres-read',
  'postgres',
  'postgres-only',
] as const;
export type Stage = (typeof STAGES)[number];

export type StoreName = 'redis' | 'postgres';

/** What a stage asks of the router. */
export interface StagePlan {
  /** Source of truth: written first; its result is what the caller gets. */
  primary: StoreName;
  /** Written after the primary by copying the touched records' state; `null` = not written. */
  shadow: StoreName | null;
  /** Where reads are served from (before journal and fallback rules). */
  reads: StoreName;
  /** A read that finds nothing in `reads` is retried on the other store (logged). */
  readFallback: boolean;
  /** A sample of reads is also run on the other store and compared, off the request path. */
  compareReads: boolean;
}

const PLANS: Record<Stage, StagePlan> = {
  redis: { primary: 'redis', shadow: null, reads: 'redis', readFallback: false, compareReads: false },
  'dual-write': {
    primary: 'redis',
    shadow: 'postgres',
    reads: 'redis',
    readFallback: false,
    compareReads: false,
  },
  'shadow-read': {
    primary: 'redis',
    shadow: 'postgres',
    reads: 'redis',
    readFallback: false,
    compareReads: true,
  },
  // Reads come from Postgres, but Redis is still the source of truth: a miss falls back to it, and the
  // sample keeps comparing so the evidence for the cut-over keeps accumulating.
  'postgres-read': {
    primary: 'redis',
    shadow: 'postgres',
    reads: 'postgres',
    readFallback: true,
    compareReads: true,
  },
  postgres: {
    primary: 'postgres',
    shadow: 'redis',
    reads: 'postgres',
    readFallback: false,
    compareReads: true,
  },
  'postgres-only': {
    primary: 'postgres',
    shadow: null,
    reads: 'postgres',
    readFallback: false,
    compareReads: false,
  },
};

export function planOf(stage: Stage): StagePlan {
  return PLANS[stage];
}

export function isStage(value: string): value is Stage {
  return (STAGES as readonly string[]).includes(value);
}

/** Position in {@link STAGES}; larger = further towards Postgres. */
export function stageIndex(stage: Stage): number {
  return STAGES.indexOf(stage);
}

/**
 * A move that needs evidence (clean verify, empty journal, low mismatch rate): forward, ending past
 * `shadow-read`. Moving into `shadow-read` or earlier, and any step back, needs none.
 */
export function needsEvidence(from: Stage, to: Stage): boolean {
  return stageIndex(to) > stageIndex(from) && stageIndex(to) > stageIndex('shadow-read');
}

/** The move changes which store is the source of truth (the cut-over or its rollback). */
export function flipsPrimary(from: Stage, to: Stage): boolean {
  return planOf(from).primary !== planOf(to).primary;
}

export function otherStore(store: StoreName): StoreName {
  return store === 'redis' ? 'postgres' : 'redis';
}
