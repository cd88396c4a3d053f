/**
 * Building blocks shared by the row mappers (docs/decisions.md §1, §4). A nullable column holds NULL
 * both for an absent field and for an explicit legacy `null`; `legacy_nulls` names the fields whose
 * value was `null`, so `fromRow` can put back exactly what the codec decoded.
 */
import type { Extra } from '../../../domain/common.js';

/** Collects the column value of optional fields and remembers which ones were explicit `null`s. */
export class NullTracker {
  readonly nulls: string[] = [];

  /** Column value of `value` (NULL for absent and for `null`); records `name` when it is `null`. */
  col<T>(name: string, value: T | null | undefined): T | null {
    if (value === null) this.nulls.push(name);
    return value ?? null;
  }
}

/**
 * Reads optional fields back: a non-NULL column is the value, NULL is `null` when the field is
 * listed in `legacy_nulls` and absent otherwise. Absent fields are never written as `undefined`
 * keys, so records compare equal to the codec's output key for key.
 */
export class RecordBuilder {
  private readonly nulls: ReadonlySet<string>;
  readonly out: Record<string, unknown> = {};

  constructor(legacyNulls: readonly string[] | null | undefined) {
    this.nulls = new Set(legacyNulls ?? []);
  }

  /** Sets a field that is always present. */
  req(name: string, value: unknown): this {
    this.out[name] = value;
    return this;
  }

  /** Sets an optional field from its column (`map` converts non-NULL column values). */
  opt<T>(name: string, value: T | null | undefined, map?: (v: T) => unknown): this {
    if (value !== null && value !== undefined) this.out[name] = map ? map(value) : value;
    else if (this.nulls.has(name)) this.out[name] = null;
    return this;
  }

  /** True when `name` was an explicit legacy `null`. */
  wasNull(name: string): boolean {
    return this.nulls.has(name);
  }

  /** Adds `extra` when the row carries unknown legacy keys. */
  extra(extra: Extra | null | undefined): this {
    if (extra && Object.keys(extra).length > 0) this.out.extra = copyObject(extra);
    return this;
  }

  build<T>(): T {
    return this.out as T;
  }
}

/** ISO string with milliseconds → the `Date` a `timestamptz` column is written with. */
export function toDate(iso: string): Date {
  return new Date(iso);
}

/** `timestamptz` read back (a `Date`, or the driver's text) → `toISOString()` form. */
export function toIso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

/** `toDate` for optional fields. */
export function toDateOrNull(iso: string | null | undefined): Date | null {
  return iso === null || iso === undefined ? null : toDate(iso);
}

/** The `extra` column value of a record (always an object). */
export function extraColumn(extra: Extra | undefined): Extra {
  return extra ? copyObject(extra) : {};
}

/**
 * A shallow copy that keeps every key an own data property, `__proto__` included (an object spread
 * or `obj[k] = v` would turn that key into a prototype change).
 */
export function copyObject<T>(source: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(source)) as Record<string, T>;
}
