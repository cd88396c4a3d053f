/**
 * Planted §8 cases in the reference data: alcohol types, scents, base oils, containers,
 * calculator wicks and admin users. These sets stay small at every scale, so each case is
 * planted once (when planting at all).
 *
 * Scent id `index` (§8.18): the store's upsertScent would `SET global:scents:index` to the scent's
 * JSON, replacing the index set, and every later SADD would fail with WRONGTYPE. The generator
 * writes exactly that end state: with planting on, `global:scents:index` is a **string** holding
 * `{"id":"index",…}`, no `global:scents:index` record key exists besides it, and no scent record is
 * reachable through an index (a migrator finds them by SCAN and reports the index as corrupt).
 */
import type { KeyFamily } from '../keys.js';
import { adminIdentity, buildAdminUser } from './admin.js';
import type { GenContext } from './context.js';
import { SCENTS } from './catalogue-data.js';

type Kind = Parameters<GenContext['edge']>[0];

/** A record family with an index set: [record family, index family, key of id, key of index]. */
interface Family {
  record: KeyFamily;
  index: KeyFamily;
  key: (id: string) => string;
  indexKey: () => string;
}

function families(ctx: GenContext): Record<'alcohol' | 'oil' | 'container' | 'wick' | 'admin', Family> {
  const k = ctx.keys;
  return {
    alcohol: {
      record: 'alcoholType',
      index: 'alcoholTypesIndex',
      key: k.alcoholType,
      indexKey: k.alcoholTypesIndex,
    },
    oil: { record: 'baseOil', index: 'baseOilsIndex', key: k.baseOil, indexKey: k.baseOilsIndex },
    container: {
      record: 'container',
      index: 'containersIndex',
      key: k.container,
      indexKey: k.containersIndex,
    },
    wick: {
      record: 'calculatorWick',
      index: 'calculatorWicksIndex',
      key: k.calculatorWick,
      indexKey: k.calculatorWicksIndex,
    },
    admin: { record: 'adminUser', index: 'adminUsersIndex', key: k.adminUser, indexKey: k.adminUsersIndex },
  };
}

function put(
  ctx: GenContext,
  f: Family,
  id: string,
  value: unknown,
  edge?: [Kind, string],
  index = true,
): void {
  ctx.out.json(f.record, f.key(id), value);
  if (index) ctx.index.add(f.index, f.indexKey(), id);
  if (edge) ctx.edge(edge[0], f.key(id), edge[1]);
}

function dangling(ctx: GenContext, f: Family, id: string): void {
  ctx.index.add(f.index, f.indexKey(), id);
  ctx.edge('dangling-index-id', f.indexKey(), `${id} has no record`);
}

export function edgeReference(ctx: GenContext): void {
  if (!ctx.planting) return;
  const f = families(ctx);
  const { keys } = ctx;

  // Alcohol types: a rename that duplicates a name, an all-digit id, an unindexed one.
  put(ctx, f.alcohol, 'mezcal', { id: 'mezcal', name: 'Tequila', sortOrder: 15, archived: false }, [
    'uniqueness-conflict',
    'renamed to "Tequila", a name tequila already has',
  ]);
  put(ctx, f.alcohol, '151', { id: '151', name: '151', sortOrder: 55, archived: true }, [
    'json-looking-value',
    'id "151" is all digits',
  ]);
  put(
    ctx,
    f.alcohol,
    'sake',
    { id: 'sake', name: 'Sake', archived: false },
    ['unindexed-record', 'missing from alcohol-types:index; no sortOrder'],
    false,
  );
  dangling(ctx, f.alcohol, 'brandy');

  // Scents (never indexed here: see the collision below).
  const scent = (id: string, value: Record<string, unknown>, kind: Kind, note: string) => {
    ctx.out.json('scent', keys.scent(id), { id, ...value });
    ctx.edge(kind, keys.scent(id), note);
  };
  scent(
    'honey-bourbon',
    { name: 'Honey Bourbon', experimental: true, sortOrder: 30 },
    'legacy-shape',
    'only the pre-2025-12-04 field experimental',
  );
  scent(
    'spiced-rum',
    { name: 'Spiced Rum', experimental: true, limited: false, sortOrder: 31 },
    'legacy-shape',
    'both experimental and limited',
  );
  scent(
    'blood-orange',
    { name: 'Blood Orange', limited: false, sortOrder: 32, color: '#c0392b' },
    'unknown-extra-key',
    'extra key color from the POST body',
  );
  scent(
    '2024',
    { name: '2024 Holiday Blend', limited: true, enabledProducts: [], sortOrder: 33 },
    'json-looking-value',
    'id "2024" is all digits',
  );
  scent(
    'smoked-cherry',
    { name: 'Smoked Cherry', limited: true, enabledProducts: ['retired-mezcal-candle'], sortOrder: 34 },
    'dangling-product-ref',
    'enabledProducts names a deleted product',
  );
  const collided = { id: 'index', name: 'Index', limited: false, sortOrder: 99 };
  ctx.out.json('scentsIndex', keys.scentsIndex(), collided);
  ctx.edge(
    'key-collision',
    keys.scentsIndex(),
    `scent id "index" overwrote the index set with its JSON (a string); all ${SCENTS.length + 5} scent records are reachable only by SCAN`,
  );

  // Base oils, containers and wicks: an extra key, an all-digit or plain id, an unindexed one, a dangling id.
  put(
    ctx,
    f.oil,
    'amber_musk',
    { id: 'amber_musk', name: 'Amber Musk', costPerOz: 2.2, supplier: 'CandleScience' },
    ['unknown-extra-key', 'extra key supplier'],
  );
  put(ctx, f.oil, '100', { id: '100', name: 'Oil #100', costPerOz: 1.95 }, [
    'json-looking-value',
    'id "100" is all digits',
  ]);
  put(
    ctx,
    f.oil,
    'fir_needle',
    { id: 'fir_needle', name: 'Fir Needle', costPerOz: 1.7 },
    ['unindexed-record', 'missing from global:base_oils:index'],
    false,
  );
  dangling(ctx, f.oil, 'tobacco_leaf');
  put(
    ctx,
    f.container,
    'mason-16',
    {
      id: 'mason-16',
      name: 'Mason jar 16 oz',
      capacityWaterOz: 16,
      shape: 'Round',
      costPerUnit: 1.1,
      imageUrl: null,
    },
    ['unknown-extra-key', 'extra key imageUrl (null)'],
  );
  put(
    ctx,
    f.container,
    '2024',
    { id: '2024', name: '2024 gift tin', capacityWaterOz: 8, shape: 'Tin', costPerUnit: 1.35 },
    ['json-looking-value', 'id "2024" is all digits'],
  );
  put(
    ctx,
    f.container,
    'growler_64',
    { id: 'growler_64', name: 'Growler 64 oz', capacityWaterOz: 64, shape: 'Bottle', costPerUnit: 0 },
    ['unindexed-record', 'missing from containers:index'],
    false,
  );
  dangling(ctx, f.container, 'magnum-1500');
  put(
    ctx,
    f.wick,
    'hemp_6in',
    { id: 'hemp_6in', name: 'Hemp 6in', costPerWick: 0.12, appearAs: 'Standard', supplier: 'Amazon' },
    ['unknown-extra-key', 'extra key supplier'],
  );
  put(
    ctx,
    f.wick,
    'eco_10',
    { id: 'eco_10', name: 'ECO 10', costPerWick: 0.1299 },
    ['unindexed-record', 'missing from calculator:wicks:index; no appearAs'],
    false,
  );
  dangling(ctx, f.wick, 'cd_14');

  // Admin users: one missing from the index, one dangling id.
  const lost = adminIdentity(ctx, 1000);
  put(
    ctx,
    f.admin,
    lost.id,
    buildAdminUser(ctx, ctx.rng('edge-admin'), lost),
    ['unindexed-record', 'admin user missing from admin:users:index'],
    false,
  );
  dangling(ctx, f.admin, ctx.rng('edge-admin-ghost').uuid());
  ctx.index.flush();
}
