/**
 * Journal entries name records (entity + id). Collections (a user's newest ledger entries, the admin
 * log) are journaled under a pseudo-entity `@<collection>`, resolved again when they are reconciled.
 */
import type { TouchedKey } from '../router/declare.js';
import { domainOfEntity } from '../router/domains.js';
import type { RecordRef } from './types.js';

export function entityOfKey(key: TouchedKey): string {
  return 'collection' in key ? `@${key.collection}` : key.entity;
}

export function keyOfEntry(entry: { entity: string; id: string }): TouchedKey {
  if (entry.entity === '@userLedger') return { collection: 'userLedger', id: entry.id };
  if (entry.entity === '@adminLogs') return { collection: 'adminLogs', id: entry.id };
  return { entity: entry.entity, id: entry.id };
}

/** The journal reference of a key, filed under the domain that owns its entity. */
export function refOfKey(key: TouchedKey): RecordRef {
  const entity = entityOfKey(key);
  return { domain: domainOfEntity(entity) ?? 'unknown', entity, id: key.id };
}
