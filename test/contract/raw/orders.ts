/**
 * Raw readers for orders: the stored record and its index entries, read without the repositories
 * (Redis: GET + the codec, SMEMBERS, LRANGE; Postgres: the `orders` / `order_items` rows). `seedOrder`
 * writes a legacy order the way the store left it, duplicates in its list included (§8.3).
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { fromOrderRow, toOrderRows } from '../../../src/backends/postgres/mappers/order.js';
import { orderItems, orders, users } from '../../../src/backends/postgres/schema.js';
import { canonicalHash } from '../../../src/domain/canonical.js';
import type { Order } from '../../../src/domain/order.js';
import { decodeOrder, encodeOrder } from '../../../src/legacy/codecs/order.js';
import type { ContractContext, RawFactory } from '../harness.js';

export interface OrderIndexing {
  /** Redis: in `orders:index`; Postgres: the row exists. */
  indexed: boolean;
  /** How often the owner's index names it (Redis: occurrences in the user or guest list; Postgres: 0 or 1). */
  ownerEntries: number;
}

export interface OrdersRaw {
  order(id: string): Promise<Order | null>;
  indexing(id: string): Promise<OrderIndexing>;
  /** Ids of the guest orders filed under `emailLower` (Redis: the guest list; Postgres: guest rows). */
  guestIds(emailLower: string): Promise<string[]>;
  /** Redis: the JSON is exactly the codec's text; Postgres: `sync_hash` matches and a live write is marked. */
  bookkeepingOk(id: string): Promise<boolean>;
  /** Writes a legacy order: the record, `orders:index` unless `indexed: false`, its list entry `listTimes` times. */
  seedOrder(order: Order, opts?: { indexed?: boolean; listTimes?: number }): Promise<void>;
}

function decoded(key: string, raw: string): Order {
  const r = decodeOrder(key, raw);
  if (!r.ok) throw new Error(`stored order does not decode: ${r.error.problem}`);
  return r.value;
}

export const ordersRaw: RawFactory<OrdersRaw> = {
  redis(ctx: ContractContext): OrdersRaw {
    const { client, keys } = ctx.redis!;
    const ownerKey = (o: Order) =>
      o.userId !== undefined ? keys.ordersUser(o.userId) : keys.ordersGuest(o.email.toLowerCase());
    const read = async (id: string) => {
      const raw = await client.get(keys.order(id));
      return raw === null ? null : { raw, order: decoded(keys.order(id), raw) };
    };
    return {
      order: async (id) => (await read(id))?.order ?? null,
      indexing: async (id) => {
        const indexed = (await client.sIsMember(keys.ordersIndex(), id)) === 1;
        const r = await read(id);
        const list = r ? await client.lRange(ownerKey(r.order), 0, -1) : [];
        return { indexed, ownerEntries: list.filter((x) => x === id).length };
      },
      guestIds: (emailLower) => client.lRange(keys.ordersGuest(emailLower), 0, -1),
      bookkeepingOk: async (id) => {
        const r = await read(id);
        return r !== null && encodeOrder(r.order) === r.raw;
      },
      seedOrder: async (order, opts = {}) => {
        await client.set(keys.order(order.id), encodeOrder(order));
        if (opts.indexed ?? true) await client.sAdd(keys.ordersIndex(), order.id);
        for (let i = 0; i < (opts.listTimes ?? 1); i++) await client.lPush(ownerKey(order), order.id);
      },
    };
  },
  postgres(ctx: ContractContext): OrdersRaw {
    const db = ctx.pg!.db;
    const read = async (id: string) => {
      const [row] = await db.select().from(orders).where(eq(orders.id, id));
      if (!row) return null;
      const items = await db.select().from(orderItems).where(eq(orderItems.orderId, id));
      return { row, order: fromOrderRow(row, items) };
    };
    return {
      order: async (id) => (await read(id))?.order ?? null,
      indexing: async (id) => {
        const found = (await read(id)) !== null;
        return { indexed: found, ownerEntries: found ? 1 : 0 };
      },
      guestIds: async (emailLower) =>
        (
          await db
            .select({ id: orders.id })
            .from(orders)
            .where(and(isNull(orders.userId), sql`lower(${orders.email}) = ${emailLower}`))
        ).map((r) => r.id),
      bookkeepingOk: async (id) => {
        const r = await read(id);
        return r !== null && r.row.syncHash === canonicalHash(r.order) && r.row.syncWrittenAt !== null;
      },
      seedOrder: async (order) => {
        const userExists =
          order.userId !== undefined &&
          (await db.select({ id: users.id }).from(users).where(eq(users.id, order.userId))).length > 0;
        const rows = toOrderRows(order, { userExists });
        // As the backfill writes it: no live-write marker.
        await db.insert(orders).values(rows.order);
        if (rows.items.length > 0) await db.insert(orderItems).values(rows.items);
      },
    };
  },
};
