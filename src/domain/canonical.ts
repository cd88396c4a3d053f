import { createHash } from 'node:crypto';

/**
 * The one way records are compared (verify, shadow reads, the contract suite, backfill merge hashes).
 *
 * Rules: object keys sorted by UTF-16 code unit; properties whose value is `undefined` dropped (absent
 * and undefined are the same thing in a domain record); `null` kept (it differs from absent); arrays
 * keep their order; numbers, strings and booleans as `JSON.stringify` writes them (so `-0` is `0`).
 * Domain records hold only JSON values; anything else (functions, symbols) is dropped like
 * `JSON.stringify` would, never thrown on.
 */
export function canonicalize(value: unknown): string {
  return write(value) ?? 'null';
}

/** SHA-256 (hex) of {@link canonicalize}: equal hashes ⇔ equal canonical records. */
export function canonicalHash(value: unknown): string {
  return createHash('sha256').update(canonicalize(value), 'utf8').digest('hex');
}

/** True when two values have the same canonical form. */
export function canonicallyEqual(a: unknown, b: unknown): boolean {
  return canonicalize(a) === canonicalize(b);
}

// `undefined` result = "no value here" (dropped from objects, `null` inside arrays, as in JSON).
function write(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'object':
      return Array.isArray(value) ? writeArray(value) : writeObject(value as Record<string, unknown>);
    default:
      return undefined;
  }
}

function writeArray(items: readonly unknown[]): string {
  return `[${items.map((item) => write(item) ?? 'null').join(',')}]`;
}

function writeObject(obj: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const key of Object.keys(obj).sort()) {
    const text = write(obj[key]);
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}
