/**
 * The hand-written SQL baseline: one statement per read (the order and the product list are joins),
 * and checkout as one transaction of conditional UPDATEs and INSERTs. The same SQL text runs on
 * postgres.js (as named prepared statements, exactly what a tagged `sql\`…\`` query sends) and on PGlite.
 */
import { randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';
import type { PgHandle } from '../../src/backends/postgres/client.js';
import { pointsDescription } from '../../src/domain/order-rules.js';
import { checkoutPoints, fingerprint, type HotPathOps } from './hot-path-ops.js';

type Row = Record<string, unknown>;
type Query = (text: string, params: unknown[]) => Promise<Row[]>;

/** Runs SQL with `$n` parameters on one driver. */
export interface SqlExecutor {
  query: Query;
  /** Runs `work` in one transaction on one connection (rolled back when it throws). */
  transaction<T>(work: (query: Query) => Promise<T>): Promise<T>;
}

/** postgres.js: `prepare: true` makes each statement a cached named prepared statement (one round trip). */
export function postgresJsExecutor(sql: Sql): SqlExecutor {
  const on =
    (s: Sql): Query =>
    async (text, params) =>
      (await s.unsafe(text, params as never[], { prepare: true })) as unknown as Row[];
  return {
    query: on(sql),
    transaction: async <T>(work: (query: Query) => Promise<T>) =>
      (await sql.begin((tx) => work(on(tx as unknown as Sql)))) as T,
  };
}

/** PGlite (one in-process connection): explicit BEGIN/COMMIT around `work`. */
export function pgliteExecutor(pg: PgHandle): SqlExecutor {
  const query: Query = (text, params) => pg.query<Row>(text, params);
  return {
    query,
    async transaction(work) {
      await query('BEGIN', []);
      try {
        const result = await work(query);
        await query('COMMIT', []);
        return result;
      } catch (err) {
        await query('ROLLBACK', []);
        throw err;
      }
    },
  };
}

const USER_BY_EMAIL = 'SELECT * FROM users WHERE email = $1';
const ORDER_WITH_ITEMS = `
  SELECT o.*, i.line_no, i.product_slug, i.product_name, i.variant_id AS item_variant_id,
         i.quantity, i.price_cents
    FROM orders o LEFT JOIN order_items i ON i.order_id = o.id
   WHERE o.id = $1
   ORDER BY i.line_no`;
const PRODUCTS_WITH_VARIANTS = `
  SELECT p.*, v.variant_id, v.stock AS variant_stock
    FROM products p LEFT JOIN product_variants v ON v.product_slug = p.slug
   ORDER BY p.slug COLLATE "C", v.variant_id COLLATE "C"`;
const CLAIM_ORDER = `
  INSERT INTO orders (id, user_id, user_ref, email, is_guest, total_cents, product_subtotal_cents,
                      points_earned, status, created_at, completed_at)
  VALUES ($1, $2, $2, $3, false, $4, $4, $5, 'completed', $6, $6)
  ON CONFLICT (id) DO NOTHING RETURNING id`;
const TAKE_STOCK = `
  UPDATE product_variants SET stock = stock - $3
   WHERE product_slug = $1 AND variant_id = $2 AND stock >= $3
  RETURNING stock`;
const INSERT_ITEMS = `
  INSERT INTO order_items (order_id, line_no, product_slug, product_name, variant_id, quantity, price_cents)
  SELECT $1, t.line_no - 1, t.slug, t.name, t.variant_id, t.quantity, t.price_cents
    FROM unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::int[])
         WITH ORDINALITY AS t(slug, name, variant_id, quantity, price_cents, line_no)`;
const EARN_POINTS = 'UPDATE users SET points = points + $2 WHERE id = $1 RETURNING points';
const INSERT_LEDGER = `
  INSERT INTO points_transactions (id, user_id, user_ref, amount, type, description, order_id, order_ref, created_at)
  VALUES ($1, $2, $2, $3, 'earn', $4, $5, $5, $6)`;

export function sqlBaseline(exec: SqlExecutor): HotPathOps {
  return {
    async userByEmail(email) {
      const [user] = await exec.query(USER_BY_EMAIL, [email.trim().toLowerCase()]);
      return (user?.id as string | undefined) ?? 'none';
    },

    async orderWithItems(orderId) {
      const rows = await exec.query(ORDER_WITH_ITEMS, [orderId]);
      const head = rows[0];
      return fingerprint.order(
        head
          ? {
              id: head.id as string,
              itemCount: rows.filter((r) => r.line_no !== null).length,
              totalCents: Number(head.total_cents),
            }
          : null,
      );
    },

    async productList() {
      const bySlug = new Map<string, { variantStocks: (number | null)[] }>();
      for (const row of await exec.query(PRODUCTS_WITH_VARIANTS, [])) {
        const slug = row.slug as string;
        const product = bySlug.get(slug) ?? { variantStocks: [] };
        bySlug.set(slug, product);
        if (row.variant_id !== null) product.variantStocks.push(row.variant_stock as number | null);
      }
      return fingerprint.products([...bySlug.values()]);
    },

    async checkout(orderId, scene) {
      const earned = checkoutPoints(scene);
      const subtotal = scene.lines.reduce((sum, l) => sum + l.priceCents, 0);
      // An ISO string: Drizzle makes postgres.js pass timestamptz parameters through unserialised.
      const at = new Date().toISOString();
      // Stock rows in one order (slug, variant) so concurrent checkouts could not deadlock.
      const moves = [...scene.lines].sort((a, b) =>
        a.slug === b.slug ? (a.variantId < b.variantId ? -1 : 1) : a.slug < b.slug ? -1 : 1,
      );
      await exec.transaction(async (q) => {
        const claimed = await q(CLAIM_ORDER, [orderId, scene.userId, scene.email, subtotal, earned, at]);
        if (claimed.length === 0) throw new Error(`baseline checkout ${orderId}: the order exists`);
        for (const m of moves) {
          const taken = await q(TAKE_STOCK, [m.slug, m.variantId, m.quantity]);
          if (taken.length === 0)
            throw new Error(`baseline checkout ${orderId}: insufficient stock of ${m.slug}`);
        }
        await q(INSERT_ITEMS, [
          orderId,
          scene.lines.map((l) => l.slug),
          scene.lines.map((l) => l.productName),
          scene.lines.map((l) => l.variantId),
          scene.lines.map((l) => l.quantity),
          scene.lines.map((l) => l.priceCents),
        ]);
        const [user] = await q(EARN_POINTS, [scene.userId, earned]);
        if (!user) throw new Error(`baseline checkout ${orderId}: no user ${scene.userId}`);
        await q(INSERT_LEDGER, [
          randomUUID(),
          scene.userId,
          earned,
          pointsDescription.earn(orderId),
          orderId,
          at,
        ]);
      });
      return fingerprint.checkout({
        status: 'completed',
        pointsEarned: earned,
        itemCount: scene.lines.length,
      });
    },
  };
}
