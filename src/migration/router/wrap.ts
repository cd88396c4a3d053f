/**
 * The one generic wrapper: builds an object with the DataLayer's shape whose every method forwards to
 * `route(domain, path, decl, args)`. Nothing here knows any repository; the declaration table drives it.
 */
import type { DataLayer } from '../../domain/data-layer.js';
import { type DeclTable, isMethodDecl, type MethodDecl } from './declare.js';

type AnyDecl = MethodDecl<(...args: never[]) => Promise<unknown>>;

export type Route = (
  domain: string,
  path: readonly string[],
  decl: AnyDecl,
  args: unknown[],
) => Promise<unknown>;

/** Calls the method at `path` (e.g. `['tokens', 'passwordReset', 'create']`) of a backend's layer. */
export function invoke(layer: DataLayer, path: readonly string[], args: unknown[]): Promise<unknown> {
  let target: unknown = layer;
  for (const name of path.slice(0, -1)) target = (target as Record<string, unknown>)[name];
  const method = (target as Record<string, unknown>)[path[path.length - 1]!];
  if (typeof method !== 'function') throw new Error(`the backend has no method ${path.join('.')}`);
  return (method as (...a: unknown[]) => Promise<unknown>).apply(target, args);
}

function wrapTree(
  domain: string,
  tree: Record<string, unknown>,
  path: string[],
  route: Route,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, node] of Object.entries(tree)) {
    const at = [...path, name];
    out[name] = isMethodDecl(node)
      ? (...args: unknown[]) => route(domain, at, node, args)
      : wrapTree(domain, node as Record<string, unknown>, at, route);
  }
  return out;
}

/** A DataLayer whose every method is routed. */
export function wrapDataLayer(table: DeclTable, route: Route): DataLayer {
  const layer: Record<string, unknown> = {};
  for (const [domain, tree] of Object.entries(table)) {
    layer[domain] = wrapTree(domain, tree as Record<string, unknown>, [domain], route);
  }
  return layer as DataLayer;
}
