/** Named errors of the ephemeral services. Not-found is a value; these are broken invariants or timeouts. */

/** A value stored in Redis does not have the shape this module writes (or the legacy store wrote). */
export class EphemeralDecodeError extends Error {
  override name = 'EphemeralDecodeError';
  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super(`value at ${key} cannot be decoded: ${reason}`);
  }
}

/** Waiting for another process that holds a lock (token refresh, cache load) took too long. */
export class LockWaitTimeoutError extends Error {
  override name = 'LockWaitTimeoutError';
  constructor(
    readonly key: string,
    readonly waitedMs: number,
  ) {
    super(`gave up after ${waitedMs} ms waiting for the lock ${key} to be released`);
  }
}

/** A Lua script answered with something other than what it is written to return. */
export class UnexpectedReplyError extends Error {
  override name = 'UnexpectedReplyError';
  constructor(
    readonly script: string,
    readonly reply: unknown,
  ) {
    super(`script ${script} returned an unexpected reply: ${JSON.stringify(reply)}`);
  }
}

/** Redis did not answer within the time a caller allows (the command may still run later). */
export class RedisTimeoutError extends Error {
  override name = 'RedisTimeoutError';
  constructor(
    readonly operation: string,
    readonly timeoutMs: number,
  ) {
    super(`Redis did not answer ${operation} within ${timeoutMs} ms`);
  }
}
