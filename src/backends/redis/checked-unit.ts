/**
 * A unit of work whose domain errors are trustworthy. A unit's reads are separate GETs, not one
 * snapshot: a checkout can read "no order with this id" before a concurrent checkout of the same id
 * commits and "no stock left" after it, and would then report InsufficientStockError instead of
 * replaying. The commit's guards catch such a mix only when the unit writes; a unit that throws never
 * reaches them. So before a domain error leaves, this runner checks the unit's guards (a CAS with no
 * writes): if any read is stale, the unit runs again on fresh values.
 */
import { DomainError } from '../../domain/errors.js';
import { casWrite, type RedisUnitOfWork, runUnitOfWork } from './atomic.js';
import type { RedisClient } from './client.js';

class StaleReads extends Error {}

const MAX_ATTEMPTS = 100;

export async function runCheckedUnit<T>(
  client: RedisClient,
  what: string,
  work: (uow: RedisUnitOfWork) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await runUnitOfWork(client, what, async (uow) => {
        try {
          return await work(uow);
        } catch (err) {
          if (err instanceof DomainError && !(await casWrite(client, uow.plan().guards, [])).ok) {
            throw new StaleReads();
          }
          throw err;
        }
      });
    } catch (err) {
      if (!(err instanceof StaleReads) || attempt >= MAX_ATTEMPTS) throw err;
    }
  }
}
