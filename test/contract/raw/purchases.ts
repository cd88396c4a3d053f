/**
 * Raw readers for purchases (Redis: GET + the legacy codec, SMEMBERS of the three index sets;
 * Postgres: the `purchases` and `purchase_items` rows).
 */
import { and, asc, eq, gte, lt, sql } from 'drizzle-orm';
import { fromPurchaseRow, toPurchaseRows } from '../../../src/backends/postgres/mappers/purchase.js';
import { purchaseItems, purchases } from '../../../src/backends/postgres/schema.js';
import { canonicalHash } from '../../../src/domain/canonical.js';
import type { Purchase } from '../../../src/domain/purchase.js';
import { decodePurchase, encodePurchase } from '../../../src/legacy/codecs/purchase.js';
import type { ContractContext, RawFactory } from '../harness.js';

export interface PurchasesRaw {
  /** The stored record in canonical form, or null. */
  purchase(id: string): Promise<Purchase | null>;
  /** Ids the store lists (Redis `purchases:index`; Postgres every row). */
  listedIds(): Promise<string[]>;
  /** Ids found under a lower-cased vendor (Redis `purchases:vendor:{v}`; Postgres `lower(vendor_name)`). */
  vendorIds(vendorLower: string): Promise<string[]>;
  /** Ids found under a month (Redis `purchases:date:{YYYY-MM}`; Postgres `purchase_date` in that month). */
  monthIds(yearMonth: string): Promise<string[]>;
  /** Redis: the JSON is exactly what the codec writes; Postgres: `sync_hash` matches and `sync_written_at` is set. */
  bookkeepingOk(id: string): Promise<boolean>;
  /** Writes a legacy record and its three index entries directly. */
  seed(p: Purchase): Promise<void>;
}

export const purchasesRaw: RawFactory<PurchasesRaw> = {
  redis(ctx: ContractContext): PurchasesRaw {
    const { client, keys } = ctx.redis!;
    const read = async (id: string) => {
      const raw = await client.get(keys.purchase(id));
      if (raw === null) return null;
      const r = decodePurchase(keys.purchase(id), raw);
      if (!r.ok) throw new Error(`stored purchase does not decode: ${r.error.problem}`);
      return { raw, value: r.value };
    };
    return {
      purchase: async (id) => (await read(id))?.value ?? null,
      listedIds: () => client.sMembers(keys.purchasesIndex()),
      vendorIds: (vendorLower) => client.sMembers(keys.purchasesVendor(vendorLower)),
      monthIds: (yearMonth) => client.sMembers(keys.purchasesDate(yearMonth)),
      bookkeepingOk: async (id) => {
        const r = await read(id);
        return r !== null && encodePurchase(r.value) === r.raw;
      },
      seed: async (p) => {
        await client.set(keys.purchase(p.id), encodePurchase(p));
        await client.sAdd(keys.purchasesIndex(), p.id);
        await client.sAdd(keys.purchasesVendor(p.vendorName.toLowerCase()), p.id);
        await client.sAdd(keys.purchasesDate(p.purchaseDate.slice(0, 7)), p.id);
      },
    };
  },

  postgres(ctx: ContractContext): PurchasesRaw {
    const db = ctx.pg!.db;
    const read = async (id: string) => {
      const row = (await db.select().from(purchases).where(eq(purchases.id, id)))[0];
      if (!row) return null;
      const items = await db
        .select()
        .from(purchaseItems)
        .where(eq(purchaseItems.purchaseId, id))
        .orderBy(asc(purchaseItems.lineNo));
      return { row, value: fromPurchaseRow(row, items) };
    };
    const ids = async (where: ReturnType<typeof eq>) =>
      (await db.select({ id: purchases.id }).from(purchases).where(where)).map((r) => r.id);
    return {
      purchase: async (id) => (await read(id))?.value ?? null,
      listedIds: async () => (await db.select({ id: purchases.id }).from(purchases)).map((r) => r.id),
      vendorIds: (vendorLower) => ids(sql`lower(${purchases.vendorName}) = ${vendorLower}`),
      monthIds: (yearMonth) => {
        const [y, m] = yearMonth.split('-').map(Number) as [number, number];
        const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
        return ids(and(gte(purchases.purchaseDate, `${yearMonth}-01`), lt(purchases.purchaseDate, next))!);
      },
      bookkeepingOk: async (id) => {
        const r = await read(id);
        return r !== null && r.row.syncHash === canonicalHash(r.value) && r.row.syncWrittenAt !== null;
      },
      seed: async (p) => {
        const rows = toPurchaseRows(p);
        await db.insert(purchases).values(rows.purchase);
        if (rows.items.length > 0) await db.insert(purchaseItems).values(rows.items);
      },
    };
  },
};
