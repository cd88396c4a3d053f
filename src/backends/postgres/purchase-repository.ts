/**
 * Purchases in `purchases` + `purchase_items` (one row per item, keyed by position). The vendor and
 * month indexes of the legacy layout are plain indexes here (`lower(vendor_name)`, `purchase_date`),
 * so an update has nothing to move. Each write is one transaction over the parent and its items;
 * `updated_at` is written from the record, so the trigger keeps the record's own `updatedAt`.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import { checkString, MAX_ID_LENGTH, MAX_NAME_LENGTH } from '../../domain/field-checks.js';
import {
  comparePurchases,
  type NewPurchase,
  type Purchase,
  type PurchasePatch,
  type PurchaseRepository,
  vendorIndexName,
} from '../../domain/purchase.js';
import { checkYearMonth, newPurchaseRecord, patchedPurchase } from '../../domain/purchase-validation.js';
import type { Db } from './client.js';
import type { PgDeps } from './index.js';
import { fromPurchaseRow, toPurchaseRows } from './mappers/purchase.js';
import { type PurchaseRow, purchaseItems, purchases } from './schema.js';
import { sqlState, type Tx } from './transaction.js';

type Executor = Db | Tx;

const checkPurchaseId = (id: unknown) => checkString('id', id, MAX_ID_LENGTH);

/** The purchases of `rows` with their items, in list order. */
async function withItems(db: Executor, rows: PurchaseRow[]): Promise<Purchase[]> {
  if (rows.length === 0) return [];
  const items = await db
    .select()
    .from(purchaseItems)
    .where(
      inArray(
        purchaseItems.purchaseId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(purchaseItems.lineNo));
  const byId = new Map<string, (typeof items)[number][]>();
  for (const item of items) byId.set(item.purchaseId, [...(byId.get(item.purchaseId) ?? []), item]);
  return rows.map((r) => fromPurchaseRow(r, byId.get(r.id) ?? [])).sort(comparePurchases);
}

async function readPurchase(db: Executor, id: string, lock = false): Promise<Purchase | null> {
  const q = db.select().from(purchases).where(eq(purchases.id, id));
  const [row] = await (lock ? q.for('update') : q);
  return row ? ((await withItems(db, [row]))[0] ?? null) : null;
}

/** Inserts or rewrites the parent row and, when `items` is set, replaces the item rows. */
async function writePurchase(deps: PgDeps, tx: Tx, p: Purchase, replaceItems: boolean): Promise<void> {
  const rows = toPurchaseRows(p);
  const { id: _id, createdAt: _created, ...columns } = rows.purchase;
  await tx
    .insert(purchases)
    .values({ ...rows.purchase, syncWrittenAt: deps.now() })
    .onConflictDoUpdate({ target: purchases.id, set: { ...columns, syncWrittenAt: deps.now() } });
  if (!replaceItems) return;
  await tx.delete(purchaseItems).where(eq(purchaseItems.purchaseId, p.id));
  if (rows.items.length > 0) await tx.insert(purchaseItems).values(rows.items);
}

export function createPostgresPurchaseRepository(deps: PgDeps): PurchaseRepository {
  const { db } = deps.pg;

  return {
    async create(input: NewPurchase): Promise<Purchase> {
      const id = input.id === undefined ? randomUUID() : checkPurchaseId(input.id);
      const record = newPurchaseRecord(input, id, deps.now().toISOString());
      try {
        return await db.transaction(async (tx) => {
          if (await readPurchase(tx, id)) throw new ConflictError('purchase', id, 'the id is already taken');
          await writePurchase(deps, tx, record, true);
          return (await readPurchase(tx, id)) as Purchase;
        });
      } catch (err) {
        // A concurrent create with the same id inserted first.
        if (sqlState(err) === '23505') throw new ConflictError('purchase', id, 'the id is already taken');
        throw err;
      }
    },

    async get(id: string): Promise<Purchase | null> {
      return readPurchase(db, checkPurchaseId(id));
    },

    async update(id: string, patch: PurchasePatch): Promise<Purchase> {
      const purchaseId = checkPurchaseId(id);
      return db.transaction(async (tx) => {
        const current = await readPurchase(tx, purchaseId, true);
        if (!current) throw new NotFoundError('purchase', purchaseId);
        const next = patchedPurchase(current, patch, deps.now().toISOString());
        if (next.updatedAt === current.updatedAt) {
          // The updated_at trigger replaces a value equal to the old one with now() (decisions.md §10);
          // two edits in one millisecond (or a fixed clock) must still store the record's own updatedAt.
          await tx
            .update(purchases)
            .set({ updatedAt: sql`'-infinity'::timestamptz` })
            .where(eq(purchases.id, purchaseId));
        }
        await writePurchase(deps, tx, next, patch.items !== undefined);
        return (await readPurchase(tx, purchaseId)) as Purchase;
      });
    },

    async delete(id: string): Promise<boolean> {
      const gone = await db
        .delete(purchases)
        .where(eq(purchases.id, checkPurchaseId(id)))
        .returning({ id: purchases.id });
      return gone.length > 0;
    },

    async list(): Promise<Purchase[]> {
      return withItems(db, await db.select().from(purchases));
    },

    async byVendor(vendorName: string): Promise<Purchase[]> {
      const vendor = vendorIndexName(checkString('vendorName', vendorName, MAX_NAME_LENGTH).trim());
      const rows = await db
        .select()
        .from(purchases)
        .where(sql`lower(${purchases.vendorName}) = lower(${vendor})`);
      // JavaScript's lower-casing decides, as the Redis key does; SQL `lower` only narrows the rows.
      return (await withItems(db, rows)).filter((p) => vendorIndexName(p.vendorName) === vendor);
    },

    async byMonth(yearMonth: string): Promise<Purchase[]> {
      const month = checkYearMonth(yearMonth);
      const [y, m] = month.split('-').map(Number) as [number, number];
      const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
      const rows = await db
        .select()
        .from(purchases)
        .where(and(gte(purchases.purchaseDate, `${month}-01`), lt(purchases.purchaseDate, next)));
      return withItems(db, rows);
    },
  };
}
