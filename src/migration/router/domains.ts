/**
 * Domains (the DataLayer members), the sync-layer entities each one owns, and the groups of domains
 * that must share a stage. Groups are derived, not listed: every method declares the domains it
 * touches, and the groups are the connected components of that graph (a checkout touches orders,
 * products, points, users and promotions, so they are one group; a refund adds itself to it).
 */
import type { DataLayer } from '../../domain/data-layer.js';
import { type DeclTable, walkDecls } from './declare.js';

export type Domain = keyof DataLayer & string;

/** Sync-layer entity → the domain whose stage decides where it is written. */
export const ENTITY_DOMAINS: Readonly<Record<string, Domain>> = {
  users: 'users',
  points_transactions: 'points',
  password_reset_tokens: 'tokens',
  email_verification_tokens: 'tokens',
  invoice_access_tokens: 'tokens',
  admin_users: 'admin',
  admin_logs: 'admin',
  admin_legacy_two_factor: 'admin',
  orders: 'orders',
  promotions: 'promotions',
  refunds: 'refunds',
  products: 'products',
  alcohol_types: 'alcoholTypes',
  scents: 'catalogue',
  base_oils: 'catalogue',
  containers: 'catalogue',
  calculator_settings: 'catalogue',
  calculator_wicks: 'catalogue',
  purchases: 'purchases',
};

/** Collections are filed under the domain of their records. */
const COLLECTION_DOMAINS: Readonly<Record<string, Domain>> = {
  '@userLedger': 'points',
  '@adminLogs': 'admin',
};

export function domainOfEntity(entity: string): Domain | undefined {
  return ENTITY_DOMAINS[entity] ?? COLLECTION_DOMAINS[entity];
}

/** The entities of a domain (for verify results). */
export function entitiesOfDomain(domain: string): string[] {
  return Object.entries(ENTITY_DOMAINS)
    .filter(([, d]) => d === domain)
    .map(([e]) => e);
}

export interface DomainModel {
  /** Every domain in table order. */
  domains: Domain[];
  /** Domains whose calls all go to one store (no shadow): they still have a stage of their own. */
  primaryOnly: Set<Domain>;
  /** Each domain's group, members in table order (a domain alone is a group of one). */
  groupOf(domain: string): Domain[];
  /** The distinct groups. */
  groups: Domain[][];
}

export function buildDomainModel(table: DeclTable): DomainModel {
  const domains = Object.keys(table) as Domain[];
  const parent = new Map<string, string>(domains.map((d) => [d, d]));
  const find = (d: string): string => {
    let root = d;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(d, root);
    return root;
  };
  const union = (a: string, b: string) => {
    if (!parent.has(b))
      throw new Error(`the declaration table names an unknown domain "${b}" in a footprint of ${a}`);
    parent.set(find(a), find(b));
  };
  const primaryOnly = new Set<Domain>();
  for (const domain of domains) {
    let kinds = 0;
    let primaryOnlyCalls = 0;
    walkDecls(table[domain] as Record<string, unknown>, (_path, decl) => {
      kinds++;
      if (decl.kind === 'primary-only') primaryOnlyCalls++;
      else for (const other of decl.touches ?? []) union(domain, other);
    });
    if (kinds > 0 && primaryOnlyCalls === kinds) primaryOnly.add(domain);
  }
  const byRoot = new Map<string, Domain[]>();
  for (const d of domains) {
    const root = find(d);
    byRoot.set(root, [...(byRoot.get(root) ?? []), d]);
  }
  const groups = [...byRoot.values()];
  return {
    domains,
    primaryOnly,
    groups,
    groupOf: (domain) => groups.find((g) => g.includes(domain as Domain)) ?? [domain as Domain],
  };
}
