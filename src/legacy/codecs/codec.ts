/**
 * The decode/encode pair every legacy codec is built from. A codec works on parsed JSON values; the
 * wrappers in `value.ts` add the text layer and turn failures into `Result`s.
 *
 * Inside a codec a bad field throws a {@link FieldProblem}; only `value.ts` catches it, so no caller ever
 * sees a throw, and nested codecs need no error plumbing.
 */

/** Decodes one parsed JSON value into its domain form and back into the JSON the store writes. */
export interface Codec<T> {
  /** Returns the domain value or throws {@link FieldProblem} naming `path`. */
  decode(input: unknown, path: string): T;
  /** The JSON value the store would write (field names, order, `null`s, extra keys). */
  encode(value: T): unknown;
}

/** A field that cannot be decoded. Internal to the codecs; surfaced as a `DecodeError`. */
export class FieldProblem extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(path === '' ? problem : `field "${path}": ${problem}`);
    this.name = 'FieldProblem';
  }
}

/** Throws the {@link FieldProblem} for `path`. */
export function fail(path: string, problem: string): never {
  throw new FieldProblem(path, problem);
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `items` + 2 → `items[2]`; `variantData` + `wood-vanilla` → `variantData["wood-vanilla"]`. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (IDENTIFIER.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

/** Short description of a value for messages: `number 2.5`, `string "abc"`, `an array`, `null`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'number':
    case 'boolean':
      return `${typeof value} ${String(value)}`;
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

/** Throws "expected …, got …". */
export function expected(path: string, what: string, got: unknown): never {
  return fail(path, `expected ${what}, got ${describeValue(got)}`);
}

/** A plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
