/**
 * Set-based passes after the entities: link `*_ref` foreign keys whose target arrived after the
 * referencing row (e.g. a run with --only), and compare every stored points balance with its ledger.
 */
import type { SqlSession } from './session.js';
import type { PointsDiscrepancy } from './types.js';

/** (table, id column, ref column, target table) for every dangling-tolerant reference (decisions.md §6). */
const REFS: readonly [string, string, string, string][] = [
  ['orders', 'user_id', 'user_ref', 'users'],
  ['points_transactions', 'user_id', 'user_ref', 'users'],
  ['points_transactions', 'order_id', 'order_ref', 'orders'],
  ['refunds', 'order_id', 'order_ref', 'orders'],
  ['refunds', 'user_id', 'user_ref', 'users'],
  ['password_reset_tokens', 'user_id', 'user_ref', 'users'],
  ['email_verification_tokens', 'user_id', 'user_ref', 'users'],
  ['invoice_access_tokens', 'order_id', 'order_ref', 'orders'],
];

/** Sets each NULL `*_ref` whose legacy id now names an existing row; returns how many were linked. */
export async function linkReferences(session: SqlSession): Promise<number> {
  let linked = 0;
  for (const [table, id, ref, target] of REFS) {
    const rows = await session.query(
      `UPDATE ${table} r SET ${ref} = r.${id}
        WHERE r.${ref} IS NULL AND r.${id} IS NOT NULL AND EXISTS (SELECT 1 FROM ${target} t WHERE t.id = r.${id})
        RETURNING 1`,
    );
    linked += rows.length;
  }
  return linked;
}

/** Policy applied to every difference (legacy-redis-format.md §8.5). */
export const POINTS_POLICY =
  'the stored balance is authoritative (it is what the customer saw) and was migrated unchanged; each difference from the ledger sum is listed here and in points_discrepancies';

const CURRENT = `
  WITH ledger AS (SELECT user_id, sum(amount)::bigint AS s, count(*)::int AS n FROM points_transactions GROUP BY user_id)
  SELECT u.id AS user_id, u.points AS stored, COALESCE(l.s, 0)::bigint AS ledger, COALESCE(l.n, 0)::int AS n
    FROM users u LEFT JOIN ledger l ON l.user_id = u.id
   WHERE u.points <> COALESCE(l.s, 0)`;

/**
 * Recomputes `points_discrepancies` (stored balance ≠ Σ ledger, every ledger entry of the user
 * counted, indexed or not) and returns how many users were compared.
 */
export async function recordPointsDiscrepancies(session: SqlSession): Promise<number> {
  return session.transaction(async () => {
    await session.query(
      `DELETE FROM points_discrepancies d WHERE NOT EXISTS (SELECT 1 FROM (${CURRENT}) c WHERE c.user_id = d.user_id)`,
    );
    await session.query(
      `INSERT INTO points_discrepancies (user_id, stored_balance, ledger_sum, difference, ledger_entries)
       SELECT user_id, stored, ledger, stored - ledger, n FROM (${CURRENT}) c
       ON CONFLICT (user_id) DO UPDATE SET stored_balance = EXCLUDED.stored_balance, ledger_sum = EXCLUDED.ledger_sum,
         difference = EXCLUDED.difference, ledger_entries = EXCLUDED.ledger_entries, detected_at = now()
       WHERE (points_discrepancies.stored_balance, points_discrepancies.ledger_sum, points_discrepancies.ledger_entries)
         IS DISTINCT FROM (EXCLUDED.stored_balance, EXCLUDED.ledger_sum, EXCLUDED.ledger_entries)`,
    );
    const n = await session.query<{ n: number | string }>('SELECT count(*)::int AS n FROM users');
    return Number(n[0]?.n ?? 0);
  });
}

/** Every recorded discrepancy, largest difference first. */
export async function listPointsDiscrepancies(session: SqlSession): Promise<PointsDiscrepancy[]> {
  const rows = await session.query<{
    user_id: string;
    stored_balance: number;
    ledger_sum: number | string;
    difference: number | string;
    ledger_entries: number;
  }>(
    'SELECT user_id, stored_balance, ledger_sum, difference, ledger_entries FROM points_discrepancies ORDER BY abs(difference) DESC, user_id',
  );
  return rows.map((r) => ({
    userId: r.user_id,
    storedBalance: Number(r.stored_balance),
    ledgerSum: Number(r.ledger_sum),
    difference: Number(r.difference),
    ledgerEntries: Number(r.ledger_entries),
  }));
}
