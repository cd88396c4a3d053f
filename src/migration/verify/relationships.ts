/**
 * Reference checks on the Postgres side (decisions.md §6): every legacy id column (`user_id`,
 * `order_id`) keeps its value even when the target is gone, and a second `*_ref` FK column is set when
 * the target exists. A dangling id is legacy data (reported, not an error: legacy keeps such ledger
 * rows, orders and refunds, §8.6); a `*_ref` left NULL although the target exists is a problem a
 * re-copy fixes. Child rows without their parent are impossible with the FKs and checked anyway.
 */
import type { PgHandle } from '../../backends/postgres/client.js';
import type { DanglingReference, Mismatch, RelationshipReport } from './types.js';

/** A reference column pair, owned by the entity whose rows hold it. */
interface Relation {
  entity: string;
  table: string;
  pk: string;
  idColumn: string;
  refColumn: string;
  target: string;
  targetPk: string;
}

const RELATIONS: readonly Relation[] = [
  {
    entity: 'orders',
    table: 'orders',
    pk: 'id',
    idColumn: 'user_id',
    refColumn: 'user_ref',
    target: 'users',
    targetPk: 'id',
  },
  {
    entity: 'points_transactions',
    table: 'points_transactions',
    pk: 'id',
    idColumn: 'user_id',
    refColumn: 'user_ref',
    target: 'users',
    targetPk: 'id',
  },
  {
    entity: 'points_transactions',
    table: 'points_transactions',
    pk: 'id',
    idColumn: 'order_id',
    refColumn: 'order_ref',
    target: 'orders',
    targetPk: 'id',
  },
  {
    entity: 'refunds',
    table: 'refunds',
    pk: 'id',
    idColumn: 'order_id',
    refColumn: 'order_ref',
    target: 'orders',
    targetPk: 'id',
  },
  {
    entity: 'refunds',
    table: 'refunds',
    pk: 'id',
    idColumn: 'user_id',
    refColumn: 'user_ref',
    target: 'users',
    targetPk: 'id',
  },
  ...(['password_reset_tokens', 'email_verification_tokens'] as const).map((t) => ({
    entity: t,
    table: t,
    pk: 'token_hash',
    idColumn: 'user_id',
    refColumn: 'user_ref',
    target: 'users',
    targetPk: 'id',
  })),
  {
    entity: 'invoice_access_tokens',
    table: 'invoice_access_tokens',
    pk: 'token_hash',
    idColumn: 'order_id',
    refColumn: 'order_ref',
    target: 'orders',
    targetPk: 'id',
  },
];

/** Child tables and their parents (orphans would be a broken aggregate). */
const CHILDREN: readonly { entity: string; table: string; fk: string; parent: string; parentPk: string }[] = [
  { entity: 'orders', table: 'order_items', fk: 'order_id', parent: 'orders', parentPk: 'id' },
  { entity: 'products', table: 'product_variants', fk: 'product_slug', parent: 'products', parentPk: 'slug' },
  { entity: 'purchases', table: 'purchase_items', fk: 'purchase_id', parent: 'purchases', parentPk: 'id' },
  { entity: 'refunds', table: 'refund_items', fk: 'refund_id', parent: 'refunds', parentPk: 'id' },
];

/** Child-row totals per entity (Postgres side). */
export async function childRowCounts(
  pg: PgHandle,
  entities: readonly string[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const c of CHILDREN.filter((c) => entities.includes(c.entity))) {
    const rows = await pg.query<{ n: number | string }>(`SELECT count(*)::int AS n FROM ${c.table}`);
    out.set(c.entity, Number(rows[0]?.n ?? 0));
  }
  return out;
}

/** Most unlinked rows recorded as mismatches per relation (all are counted). */
const UNLINKED_LIMIT = 10_000;
const SAMPLE = 5;

async function countAndSample(pg: PgHandle, from: string, pk: string, limit: number) {
  const [count] = await pg.query<{ n: number | string }>(`SELECT count(*)::int AS n FROM ${from}`);
  const ids = await pg.query<{ id: string }>(
    `SELECT x.${pk} AS id FROM ${from} ORDER BY x.${pk} LIMIT ${limit}`,
  );
  return { count: Number(count?.n ?? 0), ids: ids.map((r) => String(r.id)) };
}

/**
 * Runs the checks for the relations owned by `entities`. Unlinked rows are also returned as
 * `unlinked_ref` mismatches of their entity, so repair re-copies them (which sets the `*_ref`).
 */
export async function checkRelationships(
  pg: PgHandle,
  entities: readonly string[],
): Promise<{ report: RelationshipReport; unlinked: Mismatch[] }> {
  const report: RelationshipReport = { dangling: [], unlinked: [], orphanChildRows: [] };
  const unlinked: Mismatch[] = [];
  for (const r of RELATIONS.filter((r) => entities.includes(r.entity))) {
    const relation = `${r.table}.${r.idColumn} → ${r.target}`;
    const missing = `NOT EXISTS (SELECT 1 FROM ${r.target} t WHERE t.${r.targetPk} = x.${r.idColumn})`;
    const dangling = await countAndSample(
      pg,
      `${r.table} x WHERE x.${r.idColumn} IS NOT NULL AND ${missing}`,
      r.pk,
      SAMPLE,
    );
    if (dangling.count > 0) report.dangling.push({ relation, count: dangling.count, sample: dangling.ids });
    const notLinked = await countAndSample(
      pg,
      `${r.table} x WHERE x.${r.idColumn} IS NOT NULL AND x.${r.refColumn} IS NULL AND NOT (${missing})`,
      r.pk,
      UNLINKED_LIMIT,
    );
    if (notLinked.count > 0) {
      report.unlinked.push({ relation, count: notLinked.count, sample: notLinked.ids.slice(0, SAMPLE) });
      for (const id of notLinked.ids) {
        unlinked.push({
          entity: r.entity,
          id,
          kind: 'unlinked_ref',
          detail: `${r.refColumn} is NULL although ${r.target} ${r.targetPk} = ${r.idColumn} exists`,
        });
      }
    }
  }
  for (const c of CHILDREN.filter((c) => entities.includes(c.entity))) {
    const orphans = await countAndSample(
      pg,
      `${c.table} x WHERE NOT EXISTS (SELECT 1 FROM ${c.parent} p WHERE p.${c.parentPk} = x.${c.fk})`,
      c.fk,
      SAMPLE,
    );
    if (orphans.count > 0) {
      report.orphanChildRows.push({
        relation: `${c.table} → ${c.parent}`,
        count: orphans.count,
        sample: orphans.ids,
      });
    }
  }
  return { report, unlinked };
}

/** How many rows of `relation` are dangling, by relation label; for messages. */
export function danglingTotal(report: RelationshipReport): number {
  return report.dangling.reduce((n: number, d: DanglingReference) => n + d.count, 0);
}

/**
 * Sets every `*_ref` column that is NULL although its target exists, for the relations owned by
 * `entities` (repair; idempotent). Returns the number of rows linked.
 */
export async function relinkReferences(pg: PgHandle, entities: readonly string[]): Promise<number> {
  let linked = 0;
  for (const r of RELATIONS.filter((r) => entities.includes(r.entity))) {
    const rows = await pg.query<{ n: number }>(
      `WITH u AS (
         UPDATE ${r.table} x SET ${r.refColumn} = x.${r.idColumn}
          WHERE x.${r.idColumn} IS NOT NULL AND x.${r.refColumn} IS NULL
            AND EXISTS (SELECT 1 FROM ${r.target} t WHERE t.${r.targetPk} = x.${r.idColumn})
         RETURNING 1)
       SELECT count(*)::int AS n FROM u`,
    );
    linked += Number(rows[0]?.n ?? 0);
  }
  return linked;
}

/** Ids of `entity` rows that still have an unlinked reference. */
export async function stillUnlinked(
  pg: PgHandle,
  entity: string,
  ids: readonly string[],
): Promise<Set<string>> {
  const out = new Set<string>();
  if (ids.length === 0) return out;
  for (const r of RELATIONS.filter((r) => r.entity === entity)) {
    const rows = await pg.query<{ id: string }>(
      `SELECT x.${r.pk} AS id FROM ${r.table} x
        WHERE x.${r.pk} = ANY($1) AND x.${r.idColumn} IS NOT NULL AND x.${r.refColumn} IS NULL
          AND EXISTS (SELECT 1 FROM ${r.target} t WHERE t.${r.targetPk} = x.${r.idColumn})`,
      [[...ids]],
    );
    for (const row of rows) out.add(String(row.id));
  }
  return out;
}
