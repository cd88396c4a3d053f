/**
 * The declaration table's vocabulary. Every DataLayer method is declared once as a read or a write,
 * with the domains it touches (its footprint, from which the groups are derived) and the records it
 * touches (from its arguments and result). The router has one generic wrapper driven by this table;
 * there is no hand-written routing per method.
 */
import type { DataLayer } from '../../domain/data-layer.js';
import type { Lookups } from './lookups.js';
import type { StoreName } from './stages.js';

/** One record, named as the entity sync layer names it (`users` + id, `orders` + id, …). */
export interface RecordKey {
  entity: string;
  id: string;
  /**
   * The raw token when `id` is its digest (tokens): Postgres keeps only the digest, so a copy to
   * Redis needs the token to name the key. Not stored in the journal.
   */
  token?: string;
}

/**
 * Records found by listing rather than by id: the newest entries of a user's points ledger (the
 * transactions a checkout or a completion wrote are not in its result). Resolved on the source store.
 */
export interface CollectionKey {
  collection: CollectionName;
  id: string;
}

export type CollectionName = 'userLedger' | 'adminLogs';

export type TouchedKey = RecordKey | CollectionKey;

export function isCollectionKey(key: TouchedKey): key is CollectionKey {
  return 'collection' in key;
}

/** What a write's key resolver may read: the layer of the store that was just written (the source). */
export interface ResolveContext {
  source: DataLayer;
}

/** What a `before` resolver may read: the store about to be written, through fixed lookups. */
export interface BeforeContext {
  store: StoreName;
  lookups: Lookups;
}

type AsyncFn = (...args: never[]) => Promise<unknown>;
type Args<F> = F extends (...args: infer A) => Promise<unknown> ? A : never;
type Result<F> = F extends (...args: never[]) => Promise<infer R> ? R : never;

/** A read: served from the stage's read store; sampled for comparison. */
export interface ReadDecl<F extends AsyncFn> {
  kind: 'read';
  /** Domains besides its own whose records it returns (points.balance reads the user record). */
  touches?: readonly string[];
  /** Records named by the arguments; a journaled one makes the read go to the store that has it newest. */
  keys?: (args: Args<F>) => TouchedKey[];
  /** Records in the result (mismatch attribution and repair). */
  resultKeys?: (result: Result<F>, args: Args<F>) => TouchedKey[];
  /** What is compared (default: the whole result). */
  compare?: (result: Result<F>) => unknown;
  /** Results that mean "not found", retried on Redis in `postgres-read` (default: `null`). */
  notFound?: (result: Result<F>) => boolean;
}

/** A write: primary first, then the touched records' state copied to the shadow. */
export interface WriteDecl<F extends AsyncFn> {
  kind: 'write';
  touches?: readonly string[];
  /** Records the arguments name; journaled in the other direction, they are reconciled first. */
  preKeys?: (args: Args<F>) => TouchedKey[];
  /** Records the write will remove that its result does not name, looked up before it runs. */
  before?: (args: Args<F>, ctx: BeforeContext) => Promise<TouchedKey[]>;
  /** Every record the call may have changed (read after the primary succeeded). */
  keys: (args: Args<F>, result: Result<F>, ctx: ResolveContext) => TouchedKey[] | Promise<TouchedKey[]>;
}

/**
 * A call that must reach one store only (webhook claims: a lease and its fence cannot be split over
 * two stores): the stage's source of truth, with no shadow and no comparison.
 */
export interface PrimaryOnlyDecl {
  kind: 'primary-only';
}

export type MethodDecl<F extends AsyncFn> = ReadDecl<F> | WriteDecl<F> | PrimaryOnlyDecl;

/** A declaration per method, nested like the repository (tokens.passwordReset.create …). */
export type DeclTree<T> = {
  [K in keyof T]-?: T[K] extends AsyncFn ? MethodDecl<T[K]> : DeclTree<T[K]>;
};

/** The whole table: one tree per DataLayer member; a domain missing here does not compile. */
export type DeclTable = { [D in keyof DataLayer]-?: DeclTree<DataLayer[D]> };

/** Shorthands that keep the table readable. */
export const rec = (entity: string, id: string | null | undefined): TouchedKey[] =>
  id === null || id === undefined || id === '' ? [] : [{ entity, id }];

export const recs = (entity: string, ids: readonly (string | null | undefined)[]): TouchedKey[] =>
  ids.flatMap((id) => rec(entity, id));

export const ledger = (userId: string | null | undefined): TouchedKey[] =>
  userId ? [{ collection: 'userLedger', id: userId }] : [];

export function read<F extends AsyncFn>(decl: Omit<ReadDecl<F>, 'kind'> = {}): ReadDecl<F> {
  return { kind: 'read', ...decl };
}

export function write<F extends AsyncFn>(decl: Omit<WriteDecl<F>, 'kind'>): WriteDecl<F> {
  return { kind: 'write', ...decl };
}

export const primaryOnly: PrimaryOnlyDecl = { kind: 'primary-only' };

/** Walks a declaration tree: calls `visit` with the dotted path of every method. */
export function walkDecls(
  tree: Record<string, unknown>,
  visit: (path: string[], decl: MethodDecl<AsyncFn>) => void,
  path: string[] = [],
): void {
  for (const [name, node] of Object.entries(tree)) {
    if (isMethodDecl(node)) visit([...path, name], node);
    else walkDecls(node as Record<string, unknown>, visit, [...path, name]);
  }
}

export function isMethodDecl(node: unknown): node is MethodDecl<AsyncFn> {
  return typeof node === 'object' && node !== null && typeof (node as { kind?: unknown }).kind === 'string';
}
