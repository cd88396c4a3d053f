/** Why one legacy value could not be decoded. */
export interface DecodeError {
  /** The Redis key (prefix included) the value was read from. */
  key: string;
  /** Path of the offending field, e.g. `items[2].quantity`; `""` for the value as a whole. */
  field: string;
  /** What is wrong, e.g. `2.5 is not a whole number`. */
  problem: string;
  /** The raw text that was decoded (the member text for set/list members). */
  raw: string;
}

/** Decoding never throws: it returns one of these. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: DecodeError };

/** `product:foo: field "stock": 2.5 is not a whole number`. */
export function describeDecodeError(error: DecodeError): string {
  return error.field === ''
    ? `${error.key}: ${error.problem}`
    : `${error.key}: field "${error.field}": ${error.problem}`;
}
