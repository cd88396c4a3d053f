/**
 * What kind of failure an error is, for metrics labels and HTTP status codes. Domain errors are the
 * caller's problem (4xx); everything else is infrastructure (a store that did not answer, a
 * cancelled statement) and must never look like "not found".
 */
import { DomainError } from '../domain/errors.js';

/** SQLSTATE of a statement cancelled by `statement_timeout` (or by a cancel request). */
export const SQLSTATE_QUERY_CANCELED = '57014';

export type ErrorKind = 'domain' | 'timeout' | 'infrastructure';

/** Walks `cause` links (Drizzle wraps driver errors), at most a few levels, cycles ignored. */
function* causeChain(err: unknown): Generator<unknown> {
  const seen = new Set<unknown>();
  let cur: unknown = err;
  for (let depth = 0; depth < 8 && cur !== undefined && cur !== null && !seen.has(cur); depth++) {
    seen.add(cur);
    yield cur;
    cur = typeof cur === 'object' ? (cur as { cause?: unknown }).cause : undefined;
  }
}

/** True when the error (or one of its causes) carries SQLSTATE 57014. */
export function isStatementTimeout(err: unknown): boolean {
  for (const e of causeChain(err)) {
    if (typeof e === 'object' && e !== null && (e as { code?: unknown }).code === SQLSTATE_QUERY_CANCELED) {
      return true;
    }
  }
  return false;
}

/** The domain error in the chain, if any (a wrapper may wrap one). */
export function findDomainError(err: unknown): DomainError | undefined {
  for (const e of causeChain(err)) if (e instanceof DomainError) return e;
  return undefined;
}

export function errorKind(err: unknown): ErrorKind {
  if (findDomainError(err)) return 'domain';
  if (isStatementTimeout(err)) return 'timeout';
  return 'infrastructure';
}
