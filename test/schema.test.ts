/**
 * The committed migrations rebuild exactly the schema that schema.ts declares, on real Postgres and
 * on PGlite: every table, column (name and nullability), CHECK, enum and `updated_at` trigger.
 * Behaviour of the constraints is in schema-constraints.test.ts; drift and the CLI in
 * schema-migrations.test.ts.
 */
import { is } from 'drizzle-orm';
import { getTableConfig, isPgEnum, type PgEnum, PgTable } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import type { PgHandle } from '../src/backends/postgres/client.js';
import * as schema from '../src/backends/postgres/schema.js';
import { usePglite, usePostgres } from './support/harness.js';

const pg = usePostgres();
const lite = usePglite();

const exported: unknown[] = Object.values(schema);
const declaredTables = exported.filter((v): v is PgTable => is(v, PgTable));
const declaredEnums = exported.filter((v): v is PgEnum<[string, ...string[]]> => isPgEnum(v));

/** Tables the seed plan §2 asks for plus the homes of the "other Redis usage" data (task brief). */
const REQUIRED_TABLES = [
  'users',
  'orders',
  'order_items',
  'products',
  'product_variants',
  'points_transactions',
  'purchases',
  'purchase_items',
  'promotions',
  'refunds',
  'refund_items',
  'alcohol_types',
  'password_reset_tokens',
  'email_verification_tokens',
  'invoice_access_tokens',
  'webhook_events',
  'scents',
  'base_oils',
  'containers',
  'calculator_settings',
  'calculator_wicks',
  'admin_users',
  'admin_logs',
  'admin_legacy_two_factor',
];

async function publicTables(h: PgHandle): Promise<string[]> {
  const rows = await h.query<{ table_name: string }>(
    `select table_name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  );
  return rows.map((r) => r.table_name);
}

async function columnsOf(h: PgHandle, table: string): Promise<Map<string, boolean>> {
  const rows = await h.query<{ column_name: string; is_nullable: string }>(
    `select column_name, is_nullable from information_schema.columns
      where table_schema = 'public' and table_name = $1`,
    [table],
  );
  return new Map(rows.map((r) => [r.column_name, r.is_nullable === 'NO']));
}

describe.each([
  ['Postgres', () => pg.handle],
  ['PGlite', () => lite.handle],
])('migrated schema on %s', (_name, handle) => {
  it('has every required table and exactly the tables schema.ts declares', async () => {
    const tables = await publicTables(handle());
    expect(tables).toEqual(expect.arrayContaining(REQUIRED_TABLES));
    expect(tables).toEqual(declaredTables.map((t) => getTableConfig(t).name).sort());
  });

  it('has the columns and nullability of schema.ts for every table', async () => {
    for (const table of declaredTables) {
      const config = getTableConfig(table);
      const actual = await columnsOf(handle(), config.name);
      const expected = new Map(config.columns.map((c) => [c.name, c.notNull]));
      expect({ table: config.name, columns: Object.fromEntries(actual) }).toEqual({
        table: config.name,
        columns: Object.fromEntries(expected),
      });
    }
  });

  it('has every CHECK constraint declared in schema.ts', async () => {
    const rows = await handle().query<{ conname: string }>(
      `select conname from pg_constraint c join pg_namespace n on n.oid = c.connamespace
        where n.nspname = 'public' and c.contype = 'c'`,
    );
    const actual = new Set(rows.map((r) => r.conname));
    const declared = declaredTables.flatMap((t) => getTableConfig(t).checks.map((c) => c.name));
    expect(declared.length).toBeGreaterThan(10);
    expect(declared.filter((name) => !actual.has(name))).toEqual([]);
  });

  it('has the enums of schema.ts with every value legacy data can hold (spec §6)', async () => {
    const rows = await handle().query<{ typname: string; labels: string[] }>(
      `select t.typname, array_agg(e.enumlabel order by e.enumsortorder) as labels
         from pg_type t join pg_enum e on e.enumtypid = t.oid group by t.typname`,
    );
    const actual = Object.fromEntries(rows.map((r) => [r.typname, [...r.labels]]));
    expect(actual).toEqual(Object.fromEntries(declaredEnums.map((e) => [e.enumName, [...e.enumValues]])));
    expect(actual.order_status).toEqual(expect.arrayContaining(['pending', 'completed']));
    expect(actual.payment_method).toEqual(expect.arrayContaining(['cash', 'card', 'other', 'square']));
    expect(actual.points_transaction_type).toEqual(
      expect.arrayContaining(['earn', 'redeem', 'admin_adjustment', 'adjustment']),
    );
    expect(actual.refund_status).toEqual(expect.arrayContaining(['processing', 'completed', 'failed']));
    expect(actual.promotion_type).toEqual(
      expect.arrayContaining(['percentage', 'fixed_amount', 'quantity_discount', 'bogo']),
    );
    expect(actual.promotion_user_targeting).toEqual(
      expect.arrayContaining([
        'all',
        'first_time',
        'returning',
        'specific_users',
        'order_count',
        'lifetime_spend',
      ]),
    );
  });

  it('has an updated_at trigger on exactly the tables with an updated_at column', async () => {
    const withColumn = await handle().query<{ table_name: string }>(
      `select table_name from information_schema.columns
        where table_schema = 'public' and column_name = 'updated_at' order by 1`,
    );
    const withTrigger = await handle().query<{ table_name: string }>(
      `select c.relname as table_name from pg_trigger t
         join pg_class c on c.oid = t.tgrelid join pg_proc p on p.oid = t.tgfoid
        where not t.tgisinternal and p.proname = 'set_updated_at' order by 1`,
    );
    const expected = withColumn.map((r) => r.table_name);
    expect(expected).toEqual(expect.arrayContaining(['users', 'purchases', 'promotions', 'products']));
    expect(withTrigger.map((r) => r.table_name)).toEqual(expected);
  });

  it('keeps no UNIQUE index over line contents of order, purchase or refund items (§8.16)', async () => {
    const rows = await handle().query<{ tablename: string; indexdef: string }>(
      `select tablename, indexdef from pg_indexes
        where schemaname = 'public' and tablename in ('order_items', 'purchase_items', 'refund_items')
          and indexdef like 'CREATE UNIQUE%'`,
    );
    // Only the (parent id, line_no) primary keys are unique.
    expect(rows.map((r) => r.indexdef.replace(/.*\((.*)\)$/, '$1')).sort()).toEqual([
      'order_id, line_no',
      'purchase_id, line_no',
      'refund_id, line_no',
    ]);
  });
});
