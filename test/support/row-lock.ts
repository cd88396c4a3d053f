/**
 * Holds `SELECT … FOR UPDATE` on one `users` row in a transaction of its own connection, so a test
 * can make another statement wait on it (statement-timeout tests). Resolves once the lock is held.
 */
import type { Sql } from 'postgres';
import { deferred } from './deferred.js';

export async function lockUserRow(sql: Sql, userId: string): Promise<{ release: () => Promise<void> }> {
  const held = deferred();
  const locked = deferred();
  const tx = sql.begin(async (t) => {
    await t`select id from users where id = ${userId} for update`;
    locked.resolve();
    await held.promise;
  });
  // A failed BEGIN or SELECT must surface here, not leave the test waiting for the lock.
  await Promise.race([locked.promise, tx]);
  return {
    release: async () => {
      held.resolve();
      await tx;
    },
  };
}
