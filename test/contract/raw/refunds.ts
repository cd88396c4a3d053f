/**
 * Raw readers for refunds: the stored record and the sets that name it, read without the repositories
 * (Redis: GET + the codec, SMEMBERS; Postgres: the `refunds` / `refund_items` rows).
 */
import { eq } from 'drizzle-orm';
import { fromRefundRow, toRefundRows } from '../../../src/backends/postgres/mappers/refund.js';
import { refundItems, refunds } from '../../../src/backends/postgres/schema.js';
import { canonicalHash } from '../../../src/domain/canonical.js';
import type { Refund } from '../../../src/domain/refund.js';
import { decodeRefund, encodeRefund } from '../../../src/legacy/codecs/refund.js';
import type { ContractContext, RawFactory } from '../harness.js';

export interface RefundsRaw {
  refund(id: string): Promise<Refund | null>;
  /** Ids in `refunds:index` (Postgres: every row). */
  listedIds(): Promise<string[]>;
  /** Ids in `order:{orderId}:refunds` (Postgres: rows with that order_id). */
  orderRefundIds(orderId: string): Promise<string[]>;
  /** Redis: the JSON is exactly the codec's text; Postgres: `sync_hash` matches and a live write is marked. */
  bookkeepingOk(id: string): Promise<boolean>;
  /** Writes a legacy refund with both set entries (Postgres: rows as the backfill writes them). */
  seedRefund(refund: Refund): Promise<void>;
}

export const refundsRaw: RawFactory<RefundsRaw> = {
  redis(ctx: ContractContext): RefundsRaw {
    const { client, keys } = ctx.redis!;
    const read = async (id: string) => {
      const raw = await client.get(keys.refund(id));
      if (raw === null) return null;
      const r = decodeRefund(keys.refund(id), raw);
      if (!r.ok) throw new Error(`stored refund does not decode: ${r.error.problem}`);
      return { raw, refund: r.value };
    };
    return {
      refund: async (id) => (await read(id))?.refund ?? null,
      listedIds: () => client.sMembers(keys.refundsIndex()),
      orderRefundIds: (orderId) => client.sMembers(keys.orderRefunds(orderId)),
      bookkeepingOk: async (id) => {
        const r = await read(id);
        return r !== null && encodeRefund(r.refund) === r.raw;
      },
      seedRefund: async (refund) => {
        await client.set(keys.refund(refund.id), encodeRefund(refund));
        await client.sAdd(keys.refundsIndex(), refund.id);
        await client.sAdd(keys.orderRefunds(refund.orderId), refund.id);
      },
    };
  },
  postgres(ctx: ContractContext): RefundsRaw {
    const db = ctx.pg!.db;
    const read = async (id: string) => {
      const [row] = await db.select().from(refunds).where(eq(refunds.id, id));
      if (!row) return null;
      const items = await db.select().from(refundItems).where(eq(refundItems.refundId, id));
      return { row, refund: fromRefundRow(row, items) };
    };
    return {
      refund: async (id) => (await read(id))?.refund ?? null,
      listedIds: async () => (await db.select({ id: refunds.id }).from(refunds)).map((r) => r.id),
      orderRefundIds: async (orderId) =>
        (await db.select({ id: refunds.id }).from(refunds).where(eq(refunds.orderId, orderId))).map(
          (r) => r.id,
        ),
      bookkeepingOk: async (id) => {
        const r = await read(id);
        return r !== null && r.row.syncHash === canonicalHash(r.refund) && r.row.syncWrittenAt !== null;
      },
      seedRefund: async (refund) => {
        const rows = toRefundRows(refund);
        await db.insert(refunds).values(rows.refund);
        if (rows.items.length > 0) await db.insert(refundItems).values(rows.items);
      },
    };
  },
};
