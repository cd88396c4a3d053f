/**
 * Field-level differences between two domain records, on the same canonical view `canonicalHash`
 * hashes (src/domain/canonical.ts): `undefined` properties are absent, `null` is a value, arrays keep
 * their order, numbers compare as JSON writes them. Pure.
 */
import { canonicalize } from '../../domain/canonical.js';

/** Marker for a field one side does not have (distinct from `null`). */
export const ABSENT = '(absent)';

/** One differing leaf (or a subtree whose shape differs). `path` like `items[2].quantity`. */
export interface FieldDiff {
  path: string;
  redis: unknown;
  postgres: unknown;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (IDENT.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function present(v: unknown): boolean {
  return v !== undefined && typeof v !== 'function' && typeof v !== 'symbol';
}

/** A JSON-safe copy of a leaf for reports (absent → the ABSENT marker). */
function shown(v: unknown): unknown {
  return present(v) ? JSON.parse(canonicalize(v)) : ABSENT;
}

function walk(a: unknown, b: unknown, path: string, out: FieldDiff[], limit: number): void {
  if (out.length >= limit) return;
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      const x = present(a[k]) ? a[k] : undefined;
      const y = present(b[k]) ? b[k] : undefined;
      if (x === undefined && y === undefined) continue;
      walk(x, y, child(path, k), out, limit);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) walk(a[i], b[i], child(path, i), out, limit);
    return;
  }
  if (!present(a) || !present(b) || canonicalize(a) !== canonicalize(b)) {
    if (!present(a) && !present(b)) return;
    out.push({ path: path === '' ? '(record)' : path, redis: shown(a), postgres: shown(b) });
  }
}

/** The differing fields of `redis` vs `postgres`, at most `limit`, in key order. */
export function diffRecords(redis: unknown, postgres: unknown, limit = 50): FieldDiff[] {
  const out: FieldDiff[] = [];
  walk(redis, postgres, '', out, limit);
  return out;
}
