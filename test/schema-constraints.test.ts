/**
 * What the schema accepts and rejects, on real Postgres and on PGlite: the constraints a legacy
 * record must get through (negative balances, dangling ids, identical lines, duplicate promotion
 * codes, any refund reason) and the ones that protect new writes (stock >= 0, line keys, enums).
 */
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { PgHandle } from '../src/backends/postgres/client.js';
import { calculatorWicks, purchaseItems, purchases } from '../src/backends/postgres/schema.js';
import { usePglite, usePostgres } from './support/harness.js';

const pg = usePostgres();
const lite = usePglite();

/** SQLSTATE classes the tests expect. */
const CHECK_VIOLATION = '23514';
const UNIQUE_VIOLATION = '23505';
const FK_VIOLATION = '23503';
const INVALID_ENUM_TEXT = '22P02';

let seq = 0;
const uid = (p: string) => `${p}-${Date.now().toString(36)}-${++seq}`;

async function insertUser(h: PgHandle, id: string, points = 0): Promise<void> {
  await h.query(
    `insert into users (id, email, password_hash, first_name, last_name, points)
     values ($1, $2, '$2b$10$hash', 'Ada', 'L', $3)`,
    [id, `${id}@example.com`, points],
  );
}

async function insertOrder(h: PgHandle, id: string, userId: string | null, userRef: string | null) {
  await h.query(
    `insert into orders (id, user_id, user_ref, email, total_cents) values ($1, $2, $3, 'A@Example.com', 2499)`,
    [id, userId, userRef],
  );
}

async function insertProduct(h: PgHandle, slug: string, stock: number | null): Promise<void> {
  await h.query(`insert into products (slug, name, price_cents, stock) values ($1, 'Tito''s', 2499, $2)`, [
    slug,
    stock,
  ]);
}

describe.each([
  ['Postgres', () => pg.handle],
  ['PGlite', () => lite.handle],
])('schema constraints on %s', (_name, handle) => {
  it('rejects negative base and variant stock, accepts null stock (decisions.md §3)', async () => {
    const h = handle();
    await expect(insertProduct(h, uid('neg'), -1)).rejects.toMatchObject({ code: CHECK_VIOLATION });
    const slug = uid('candle');
    await insertProduct(h, slug, null);
    await expect(
      h.query(
        `insert into product_variants (product_slug, variant_id, stock) values ($1, 'wood-vanilla', -1)`,
        [slug],
      ),
    ).rejects.toMatchObject({ code: CHECK_VIOLATION });
    await h.query(
      `insert into product_variants (product_slug, variant_id, stock) values ($1, 'wood-vanilla', 0)`,
      [slug],
    );
    await expect(
      h.query(`update product_variants set stock = stock - 1 where product_slug = $1`, [slug]),
    ).rejects.toMatchObject({ code: CHECK_VIOLATION });
  });

  it('deletes a product’s variant rows with the product', async () => {
    const h = handle();
    const slug = uid('gone');
    await insertProduct(h, slug, 3);
    await h.query(
      `insert into product_variants (product_slug, variant_id, stock) values ($1, 'standard-a', 1), ($1, 'standard-b', 2)`,
      [slug],
    );
    await h.query('delete from products where slug = $1', [slug]);
    const left = await h.query('select 1 from product_variants where product_slug = $1', [slug]);
    expect(left).toHaveLength(0);
  });

  it('accepts a negative points balance (legacy refund deductions, §4.1)', async () => {
    const h = handle();
    const id = uid('u');
    await insertUser(h, id, -42);
    const [row] = await h.query<{ points: number }>('select points from users where id = $1', [id]);
    expect(row?.points).toBe(-42);
  });

  it('keeps two identical order lines with different line_no and rejects a repeated line_no', async () => {
    const h = handle();
    const orderId = uid('cs_live');
    await insertOrder(h, orderId, null, null);
    const line = `insert into order_items (order_id, line_no, product_slug, product_name, quantity, price_cents)
                  values ($1, $2, 'titos-candle', 'Tito''s Candle', 1, 2499)`;
    await h.query(line, [orderId, 0]);
    await h.query(line, [orderId, 1]);
    await expect(h.query(line, [orderId, 1])).rejects.toMatchObject({ code: UNIQUE_VIOLATION });
    const rows = await h.query('select * from order_items where order_id = $1', [orderId]);
    expect(rows).toHaveLength(2);
  });

  it('keeps dangling legacy ids while the FK column only accepts existing rows (decisions.md §6)', async () => {
    const h = handle();
    const orderId = uid('MS');
    await insertOrder(h, orderId, 'deleted-user-id', null);
    await expect(insertOrder(h, uid('MS'), 'x', 'no-such-user')).rejects.toMatchObject({
      code: FK_VIOLATION,
    });
    await h.query(
      `insert into points_transactions (id, user_id, amount, type, description, order_id, created_at)
       values ($1, 'deleted-user-id', 25, 'earn', 'Purchase #test_ord', 'deleted-order', now())`,
      [uid('tx')],
    );
    const userId = uid('u');
    await insertUser(h, userId);
    const linked = uid('cs_test');
    await insertOrder(h, linked, userId, userId);
    await h.query('delete from users where id = $1', [userId]);
    const [row] = await h.query<{ user_id: string; user_ref: string | null }>(
      'select user_id, user_ref from orders where id = $1',
      [linked],
    );
    expect(row).toEqual({ user_id: userId, user_ref: null });
  });

  it('accepts the legacy `adjustment` type and any refund reason, rejects unknown enum values', async () => {
    const h = handle();
    await h.query(
      `insert into points_transactions (id, user_id, amount, type, description, created_at)
       values ($1, 'u1', -30, 'adjustment', 'Refund for order #SQ1A2B3C', now())`,
      [uid('tx')],
    );
    await h.query(
      `insert into refunds (id, order_id, email, amount_cents, reason, status)
       values ($1, 'deleted-order', 'x@example.com', 100, 'changed my mind (typed by hand)', 'processing')`,
      [uid('rf')],
    );
    await expect(
      h.query(
        `insert into orders (id, email, total_cents, payment_method) values ($1, 'a@b.c', 1, 'bitcoin')`,
        [uid('MS')],
      ),
    ).rejects.toMatchObject({ code: INVALID_ENUM_TEXT });
  });

  it('keeps an absent isGuest / paymentMethod / shipping status as NULL, with no invented defaults', async () => {
    const h = handle();
    const id = uid('cs_live');
    await h.query(`insert into orders (id, email, total_cents) values ($1, 'a@b.c', 1000)`, [id]);
    const [row] = await h.query<Record<string, unknown>>(
      `select is_guest, payment_method, shipping_status, shipping_country, points_redeemed
         from orders where id = $1`,
      [id],
    );
    expect(row).toEqual({
      is_guest: null,
      payment_method: null,
      shipping_status: null,
      shipping_country: null,
      points_redeemed: null,
    });
    await expect(
      h.query(`insert into orders (id, email, total_cents, shipping_city) values ($1, 'a@b.c', 1, 'Tempe')`, [
        uid('cs_live'),
      ]),
    ).rejects.toMatchObject({ code: CHECK_VIOLATION });
  });

  it('sets updated_at on a plain update but keeps an updated_at the update wrote (decisions.md §10)', async () => {
    const h = handle();
    const id = uid('u');
    await insertUser(h, id);
    await h.query(`update users set updated_at = '2020-01-01T00:00:00.000Z' where id = $1`, [id]);
    const [kept] = await h.query<{ ok: boolean }>(
      `select updated_at = '2020-01-01T00:00:00.000Z'::timestamptz as ok from users where id = $1`,
      [id],
    );
    expect(kept?.ok).toBe(true);
    await h.query(`update users set first_name = 'Grace' where id = $1`, [id]);
    const [bumped] = await h.query<{ age: number }>(
      `select extract(epoch from clock_timestamp() - updated_at)::float8 as age from users where id = $1`,
      [id],
    );
    expect(bumped?.age).toBeGreaterThanOrEqual(0);
    expect(bumped?.age).toBeLessThan(60);
  });

  it('looks promotion codes up case-insensitively and keeps legacy duplicates only when flagged (§8.16)', async () => {
    const h = handle();
    const code = uid('SUMMER').toUpperCase();
    const insert = (id: string, c: string, conflict: boolean) =>
      h.query(
        `insert into promotions (id, code, code_conflict, name, type, discount_percent, active)
         values ($1, $2, $3, 'Summer', 'percentage', 12.5, true)`,
        [id, c, conflict],
      );
    await insert(uid('promo'), code, false);
    await expect(insert(uid('promo'), code.toLowerCase(), false)).rejects.toMatchObject({
      code: UNIQUE_VIOLATION,
    });
    await insert(uid('promo'), code.toLowerCase(), true);
    const rows = await h.query<{ discount_percent: string | number }>(
      'select discount_percent from promotions where upper(code) = upper($1)',
      [code.toLowerCase()],
    );
    expect(rows).toHaveLength(2);
    expect(Number(rows[0]?.discount_percent)).toBe(12.5);
  });

  it('stores token digests only, and claims webhook events with a lease', async () => {
    const h = handle();
    const insertToken = (hash: string) =>
      h.query(
        `insert into password_reset_tokens (token_hash, user_id, email, expires_at)
         values ($1, 'u1', 'a@b.c', now() + interval '1 hour')`,
        [hash],
      );
    await expect(insertToken('A'.repeat(64))).rejects.toMatchObject({ code: CHECK_VIOLATION });
    await expect(insertToken('abc123')).rejects.toMatchObject({ code: CHECK_VIOLATION });
    await insertToken('0123456789abcdef'.repeat(4));
    const evt = uid('evt');
    await expect(h.query(`insert into webhook_events (event_id) values ($1)`, [evt])).rejects.toMatchObject({
      code: CHECK_VIOLATION,
    });
    await h.query(
      `insert into webhook_events (event_id, lease_until) values ($1, now() + interval '1 minute')`,
      [evt],
    );
    await expect(
      h.query(`insert into webhook_events (event_id, lease_until) values ($1, now())`, [evt]),
    ).rejects.toMatchObject({ code: UNIQUE_VIOLATION });
  });

  it('holds at most one calculator-settings row', async () => {
    const h = handle();
    const insert = (id: number) =>
      h.query(
        `insert into calculator_settings (id, wax_cost_per_oz, water_to_wax_ratio, default_fragrance_load)
         values ($1, 0.2189444444444444, 0.9, 0.08)`,
        [id],
      );
    await insert(1);
    await expect(insert(2)).rejects.toMatchObject({ code: CHECK_VIOLATION });
    await expect(insert(1)).rejects.toMatchObject({ code: UNIQUE_VIOLATION });
  });

  it('round-trips fractional purchase amounts and catalogue rates exactly through Drizzle (§4.5, §4.11)', async () => {
    const { db } = handle();
    const id = uid('purchase');
    // 0.1 + 0.2 is the classic float that a lossy column would round.
    const subtotal = 1987.53;
    const quantity = 0.1 + 0.2;
    await db.insert(purchases).values({
      id,
      vendorName: 'Amazon',
      purchaseDate: '2025-12-11',
      subtotalCents: subtotal,
      totalCents: subtotal,
    });
    await db.insert(purchaseItems).values([
      { purchaseId: id, lineNo: 0, name: 'Wax', quantity, unitCostCents: 1999.5, category: 'wax' },
      { purchaseId: id, lineNo: 1, name: 'Wax', quantity, unitCostCents: 1999.5, category: 'wax' },
    ]);
    const [p] = await db.select().from(purchases).where(eq(purchases.id, id));
    expect(p?.subtotalCents).toBe(subtotal);
    expect(p?.purchaseDate).toBe('2025-12-11');
    const items = await db.select().from(purchaseItems).where(eq(purchaseItems.purchaseId, id));
    expect(items.map((i) => i.quantity)).toEqual([quantity, quantity]);
    const wickId = uid('wood_30mm');
    await db
      .insert(calculatorWicks)
      .values({ id: wickId, name: 'Wood 30mm', costPerWick: 1.4705882352941178 });
    const [w] = await db.select().from(calculatorWicks).where(eq(calculatorWicks.id, wickId));
    expect(w?.costPerWick).toBe(1.4705882352941178);
    expect(w?.extra).toEqual({});
    expect(w?.legacyNulls).toEqual([]);
  });
});
