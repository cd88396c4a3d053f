/**
 * Field-level differences between two values in canonical form (src/domain/canonical.ts), for the
 * mismatch log. Pure; paths look like `orders[2].items[0].priceCents`.
 */
import { canonicalize } from '../../domain/canonical.js';
import type { DiffEntry } from './shadow-store.js';

/** The canonical JSON value (sorted keys, `undefined` dropped) of anything a repository returns. */
export function canonicalValue(value: unknown): unknown {
  return JSON.parse(canonicalize(value));
}

/** Up to `limit` differing paths; `[]` when the canonical forms are equal. */
export function diffValues(served: unknown, compared: unknown, limit = 50): DiffEntry[] {
  const out: DiffEntry[] = [];
  walk(canonicalValue(served), canonicalValue(compared), '', out, limit);
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function walk(a: unknown, b: unknown, path: string, out: DiffEntry[], limit: number): void {
  if (out.length >= limit) return;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (i >= a.length) out.push({ path: `${path}[${i}]`, compared: b[i] });
      else if (i >= b.length) out.push({ path: `${path}[${i}]`, served: a[i] });
      else walk(a[i], b[i], `${path}[${i}]`, out, limit);
      if (out.length >= limit) return;
    }
    return;
  }
  if (isObject(a) && isObject(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const p = path ? `${path}.${key}` : key;
      if (!(key in b)) out.push({ path: p, served: a[key] });
      else if (!(key in a)) out.push({ path: p, compared: b[key] });
      else walk(a[key], b[key], p, out, limit);
      if (out.length >= limit) return;
    }
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ path: path || '(value)', served: a, compared: b });
}
