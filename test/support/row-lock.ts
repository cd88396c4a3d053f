/**
 * Holds `SELECT … FOR UPDATE` on one `users` row in a transaction of its own connection, so a test
 * can make another statement wait on it (statement-timeout tests). Resolves once the lock is held.
 */
import type { Sql } from 'postgres';

export async function lockUserRow(sql: Sql, userId: string): Promise<{ release: () => Promise<void> }> {
  let unlock!: () => void;
  const held = new Promise<void>((r) => {
    unlock = r;
  });
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => {
    locked = r;
  });
  const tx = sql.begin(async (t) => {
    await t`select id from users where id = ${userId} for update`;
    locked();
    await held;
  });
  // A failed BEGIN or SELECT must surface here, not leave the test waiting for the lock.
  await Promise.race([isLocked, tx]);
  return {
    release: async () => {
      unlock();
      await tx;
    },
  };
}
