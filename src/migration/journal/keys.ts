/**
 * Redis keys of the migration router, all under `{prefix}mig:`: a segment none of the 47 legacy key
 * patterns matches, so the backfill and verify classify these keys as unknown and never take them for
 * records. Caller-supplied segments are encoded so a `:` or a glob character cannot forge another key.
 */
import { keySegment } from '../../ephemeral/keys.js';

export type MigrationKeys = ReturnType<typeof migrationKeys>;

/** Key builders for one base prefix (the same prefix given to `legacyKeys`). */
export function migrationKeys(prefix = '') {
  const k = (s: string) => `${prefix}mig:${s}`;
  return {
    prefix,
    /** Sorted set of a domain's journaled records: member = {@link journalMember}, score = first failure (epoch ms). */
    journal: (domain: string) => k(`journal:${keySegment(domain)}`),
    /** Hash member → generation, bumped on every new failure of the record. */
    journalGen: (domain: string) => k(`journal-gen:${keySegment(domain)}`),
    /** Hash member → JSON {@link RedisJournalInfo}: attempts, next attempt, last error, parked. */
    journalInfo: (domain: string) => k(`journal-info:${keySegment(domain)}`),
    /** Set of the domains that may have journal entries (so a summary needs no SCAN). */
    journalDomains: () => k('journal-domains'),
  };
}

/** A journal member names one record: entity and id, as a JSON pair (ids may contain any character). */
export function journalMember(entity: string, id: string): string {
  return JSON.stringify([entity, id]);
}

export function parseJournalMember(member: string): { entity: string; id: string } | null {
  try {
    const v: unknown = JSON.parse(member);
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') {
      return { entity: v[0], id: v[1] };
    }
  } catch {
    // not ours: reported as unreadable by the caller
  }
  return null;
}

/** What the info hash holds per member. */
export interface RedisJournalInfo {
  lastAt: number;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  parked: boolean;
}
