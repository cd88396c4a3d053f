/**
 * How failures become HTTP answers. Domain errors are the caller's to fix: 4xx with the domain
 * message (it names the field or record and never contains store internals). Anything else is an
 * infrastructure failure: 503 with a generic message and `Retry-After`, so an outage is never
 * reported as "not found" and no driver message (which may hold a connection string) leaks.
 */
import type { DomainErrorCode } from '../domain/errors.js';
import { findDomainError } from '../ops/error-kind.js';

/** An HTTP-level refusal (bad body, not logged in, rate limited) raised by the API itself. */
export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 429,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const DOMAIN_STATUS: Record<DomainErrorCode, 400 | 404 | 409 | 422> = {
  VALIDATION: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INSUFFICIENT_STOCK: 409,
  INSUFFICIENT_POINTS: 409,
  PROMOTION_EXHAUSTED: 422,
  PROMOTION_INVALID: 422,
  ALREADY_CLAIMED: 409,
};

export interface ErrorAnswer {
  status: number;
  body: { error: { code: string; message: string; subject?: string } };
  headers: Record<string, string>;
}

export const UNAVAILABLE_MESSAGE = 'the store is temporarily unavailable; please try again in a moment';

export function errorAnswer(err: unknown): ErrorAnswer {
  if (err instanceof ApiError) {
    return {
      status: err.status,
      body: { error: { code: err.code, message: err.message } },
      headers: err.headers,
    };
  }
  const domain = findDomainError(err);
  if (domain) {
    return {
      status: DOMAIN_STATUS[domain.code] ?? 400,
      body: {
        error: {
          code: domain.code,
          message: domain.message,
          ...(domain.subject !== undefined ? { subject: domain.subject } : {}),
        },
      },
      headers: {},
    };
  }
  return {
    status: 503,
    body: { error: { code: 'UNAVAILABLE', message: UNAVAILABLE_MESSAGE } },
    headers: { 'Retry-After': '5' },
  };
}
