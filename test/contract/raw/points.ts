/**
 * Raw readers for the points ledger: what each store actually holds, read without the repositories
 * (Redis: GET + the legacy codecs, LRANGE; Postgres: the rows).
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import {
  fromPointsTransactionRow,
  toPointsTransactionRow,
} from '../../../src/backends/postgres/mappers/points.js';
import { fromUserRow } from '../../../src/backends/postgres/mappers/user.js';
import { pointsTransactions, users } from '../../../src/backends/postgres/schema.js';
import { canonicalHash } from '../../../src/domain/canonical.js';
import type { PointsTransaction } from '../../../src/domain/points.js';
import { decodePointsTransaction, encodePointsTransaction } from '../../../src/legacy/codecs/points.js';
import { decodeUser } from '../../../src/legacy/codecs/user.js';
import type { ContractContext, RawFactory } from '../harness.js';

export interface PointsRaw {
  /** The stored `user.points`, or null when the user record is gone. */
  balance(userId: string): Promise<number | null>;
  /** The stored ledger entry, or null. */
  transaction(txId: string): Promise<PointsTransaction | null>;
  /** The user's ledger entries as stored, newest first (Redis: `points:user:{uid}` order; Postgres: `created_at DESC`). */
  ledger(userId: string): Promise<PointsTransaction[]>;
  /** The entry's user reference still resolves (Redis: `user:{uid}` exists; Postgres: `user_ref` is set). */
  userRefResolves(txId: string): Promise<boolean>;
  /** Bookkeeping agrees with the record (Redis: exact codec bytes; Postgres: `sync_hash` + `sync_written_at`). */
  bookkeepingOk(txId: string): Promise<boolean>;
  /** Writes a legacy ledger entry (record + ledger index) as the store or the backfill left it. */
  seed(tx: PointsTransaction): Promise<void>;
  /**
   * Adds a ledger id whose record is missing (a crash inside the store's addPoints, §8.5). Postgres has
   * no separate index, so there is nothing that can dangle and this writes nothing.
   */
  seedDanglingLedgerId(userId: string, txId: string): Promise<void>;
}

export const pointsRaw: RawFactory<PointsRaw> = {
  redis(ctx: ContractContext): PointsRaw {
    const { client, keys } = ctx.redis!;
    const read = async (txId: string) => {
      const raw = await client.get(keys.pointsTransaction(txId));
      if (raw === null) return null;
      const r = decodePointsTransaction(keys.pointsTransaction(txId), raw);
      if (!r.ok) throw new Error(`stored transaction does not decode: ${r.error.problem}`);
      return { raw, value: r.value };
    };
    return {
      balance: async (userId) => {
        const raw = await client.get(keys.user(userId));
        if (raw === null) return null;
        const r = decodeUser(keys.user(userId), raw);
        if (!r.ok) throw new Error(`stored user does not decode: ${r.error.problem}`);
        return r.value.points;
      },
      transaction: async (txId) => (await read(txId))?.value ?? null,
      ledger: async (userId) => {
        const ids = await client.lRange(keys.pointsUser(userId), 0, -1);
        const out: PointsTransaction[] = [];
        for (const id of ids) {
          const r = await read(id);
          if (r) out.push(r.value);
        }
        return out;
      },
      userRefResolves: async (txId) => {
        const r = await read(txId);
        return r !== null && (await client.exists(keys.user(r.value.userId))) === 1;
      },
      bookkeepingOk: async (txId) => {
        const r = await read(txId);
        return r !== null && encodePointsTransaction(r.value) === r.raw;
      },
      seed: async (tx) => {
        await client.set(keys.pointsTransaction(tx.id), encodePointsTransaction(tx));
        await client.lPush(keys.pointsUser(tx.userId), tx.id);
      },
      seedDanglingLedgerId: async (userId, txId) => {
        await client.lPush(keys.pointsUser(userId), txId);
      },
    };
  },
  postgres(ctx: ContractContext): PointsRaw {
    const db = ctx.pg!.db;
    const row = async (txId: string) =>
      (await db.select().from(pointsTransactions).where(eq(pointsTransactions.id, txId)))[0];
    return {
      balance: async (userId) => {
        const r = (await db.select().from(users).where(eq(users.id, userId)))[0];
        return r ? fromUserRow(r).points : null;
      },
      transaction: async (txId) => {
        const r = await row(txId);
        return r ? fromPointsTransactionRow(r) : null;
      },
      ledger: async (userId) =>
        (
          await db
            .select()
            .from(pointsTransactions)
            .where(eq(pointsTransactions.userId, userId))
            .orderBy(desc(pointsTransactions.createdAt))
        ).map(fromPointsTransactionRow),
      userRefResolves: async (txId) => (await row(txId))?.userRef != null,
      bookkeepingOk: async (txId) => {
        const r = await row(txId);
        return (
          r !== undefined &&
          r.syncHash === canonicalHash(fromPointsTransactionRow(r)) &&
          r.syncWrittenAt !== null
        );
      },
      seed: async (tx) => {
        const exists = await db
          .select({ n: sql<number>`1` })
          .from(users)
          .where(and(eq(users.id, tx.userId)));
        await db
          .insert(pointsTransactions)
          .values(toPointsTransactionRow(tx, { userExists: exists.length > 0 }));
      },
      seedDanglingLedgerId: async () => undefined,
    };
  },
};
