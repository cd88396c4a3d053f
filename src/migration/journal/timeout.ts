/**
 * Time limits for calls to a store that may hang (a Redis client queues commands while disconnected),
 * and bounded concurrency (background work must not queue a hundred queries ahead of the app's).
 */

/** Runs `fn` over `items`, at most `limit` at a time. */
export async function eachLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export class TimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} timed out after ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

/** Rejects with {@link TimeoutError} after `ms`; the work itself is not cancelled. */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(what, ms)), ms);
  });
  work.catch(() => undefined); // a late failure of abandoned work is not unhandled
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Like {@link withTimeout}, and when the work finishes after the deadline (a copy queued by a
 * disconnected client lands once it reconnects), `onLate` runs: the caller re-journals what that
 * late write may have overwritten, so it is copied again after it.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string, onLate: () => void): Promise<T> {
  let late = false;
  const timed = withTimeout(work, ms, what).catch((err: unknown) => {
    if (err instanceof TimeoutError) late = true;
    throw err;
  });
  work.then(
    () => late && onLate(),
    () => late && onLate(),
  );
  return timed;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
