import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type {
  BaseFragranceOil,
  CalculatorWickType,
  Container,
  GlobalScent,
} from '../../src/domain/catalogue.js';
import { ValidationError } from '../../src/domain/errors.js';
import { rawFor, runContract } from './harness.js';
import { catalogueRaw } from './raw/catalogue.js';

const uniq = () => randomUUID().slice(0, 8);

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

const scent = (over: Partial<GlobalScent> = {}): GlobalScent => ({
  id: `desert-rain-${uniq()}`,
  name: 'Desert Rain',
  limited: false,
  sortOrder: 4,
  notes: ['petrichor', 'sage'],
  seasonal: false,
  composition: [
    { baseOilId: 'sage_citrus', percentage: 60 },
    { baseOilId: 'cedarwood', percentage: 40 },
  ],
  ...over,
});

const oil = (over: Partial<BaseFragranceOil> = {}): BaseFragranceOil => ({
  id: `vanilla_bean_${uniq()}`,
  name: 'Vanilla Bean',
  costPerOz: 1.4705882352941178,
  ...over,
});

const container = (over: Partial<Container> = {}): Container => ({
  id: `round_8oz_${uniq()}`,
  name: 'Round 8 oz',
  capacityWaterOz: 8.5,
  shape: 'Round',
  supplier: 'Bottle Co',
  costPerUnit: 0.93,
  ...over,
});

const wick = (over: Partial<CalculatorWickType> = {}): CalculatorWickType => ({
  id: `cd_10_${uniq()}`,
  name: 'CD 10',
  costPerWick: 0.7205882352941176,
  appearAs: 'Standard',
  ...over,
});

// Singletons and seeding depend on an empty store: a describe block (fresh prefix / database) of its own.
runContract('catalogue: settings and defaults', (ctx) => {
  const repo = () => ctx().layer.catalogue;
  const raw = () => rawFor(ctx(), catalogueRaw);

  it('calculator settings: code defaults flagged until saved, reading writes nothing', async () => {
    const read = await repo().calculatorSettings.get();
    expect(read).toEqual({
      settings: { waxCostPerOz: 157.64 / 720, waterToWaxRatio: 0.9, defaultFragranceLoad: 0.08 },
      isDefault: true,
    });
    expect(await raw().settings()).toBeNull();

    const saved = { waxCostPerOz: 0.2305882352941176, waterToWaxRatio: 0.86, defaultFragranceLoad: 0.1 };
    expect(await repo().calculatorSettings.set(saved)).toEqual(saved);
    expect(await raw().settings()).toEqual(saved);
    expect(await repo().calculatorSettings.get()).toEqual({ settings: saved, isDefault: false });
  });

  it.each([
    ['a negative wax cost', { waxCostPerOz: -0.1 }, 'waxCostPerOz'],
    ['a zero water-to-wax ratio', { waterToWaxRatio: 0 }, 'waterToWaxRatio'],
    ['a fragrance load above 1', { defaultFragranceLoad: 8 }, 'defaultFragranceLoad'],
  ])('calculator settings: rejects %s, keeping what was saved', async (_what, over, field) => {
    const before = await raw().settings();
    const bad = { waxCostPerOz: 0.2, waterToWaxRatio: 0.9, defaultFragranceLoad: 0.08, ...over };
    const err = await rejection(repo().calculatorSettings.set(bad));
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).field).toBe(field);
    expect(await raw().settings()).toEqual(before);
  });

  it('calculator wicks: reads never seed; seedDefaults writes the 4 store defaults once', async () => {
    expect(await repo().calculatorWicks.list()).toEqual([]);
    expect(await raw().listedIds('wick')).toEqual([]);
    const seeded = await repo().calculatorWicks.seedDefaults();
    expect(seeded).toEqual([
      { id: 'wood_30mm', name: 'Wood 30mm', costPerWick: 1.4705882352941178, appearAs: 'Wavy Wood Wick' },
      { id: 'wood_20mm', name: 'Wood 20mm', costPerWick: 1.0455882352941175, appearAs: 'Wavy Wood Wick' },
      { id: 'cdn12', name: 'CDN 12', costPerWick: 0.9705882352941176, appearAs: 'Standard' },
      { id: 'cdn16', name: 'CDN 16', costPerWick: 0.7205882352941176, appearAs: 'Standard' },
    ]);
    expect((await repo().calculatorWicks.list()).map((w) => w.id)).toEqual([
      'cdn12',
      'cdn16',
      'wood_20mm',
      'wood_30mm',
    ]);
    expect(await raw().record('wick', 'wood_30mm')).toEqual(seeded[0]);
    expect(await repo().calculatorWicks.seedDefaults()).toEqual([]);
  });
});

runContract('catalogue', (ctx) => {
  const repo = () => ctx().layer.catalogue;
  const raw = () => rawFor(ctx(), catalogueRaw);

  describe('scents', () => {
    it('stores a scent exactly as it returns it', async () => {
      const s = scent({ costPerOz: 2.15 });
      expect(await repo().scents.upsert(s)).toEqual(s);
      expect(await raw().record('scent', s.id)).toEqual(s);
      expect(await raw().listedIds('scent')).toContain(s.id);
      expect(await raw().bookkeepingOk('scent', s.id)).toBe(true);
      expect(await repo().scents.get(s.id)).toEqual(s);
    });

    it('keeps a pre-2025-12-04 record with only `experimental`, explicit nulls and unknown keys', async () => {
      const s: GlobalScent = {
        id: `old-amber-${uniq()}`,
        name: 'Old Amber',
        experimental: true,
        enabledProducts: null,
        sortOrder: null,
        extra: { color: 'amber' },
      };
      await raw().seed('scent', s);
      expect(await repo().scents.get(s.id)).toEqual(s);
      const renamed = await repo().scents.upsert({ ...s, name: 'Amber' });
      expect(await raw().record('scent', s.id)).toEqual({ ...s, name: 'Amber' });
      expect(renamed).toEqual({ ...s, name: 'Amber' });
    });

    it('lists by sortOrder (absent or null = 999), then name', async () => {
      const u = uniq();
      const a = await repo().scents.upsert(scent({ id: `a-${u}`, name: `Zeta ${u}`, sortOrder: 1 }));
      const b = await repo().scents.upsert(scent({ id: `b-${u}`, name: `Beta ${u}`, sortOrder: undefined }));
      const c = await repo().scents.upsert(scent({ id: `c-${u}`, name: `Alpha ${u}`, sortOrder: null }));
      const d = await repo().scents.upsert(scent({ id: `d-${u}`, name: `Gamma ${u}`, sortOrder: 999.5 }));
      const mine = (await repo().scents.list()).filter((s) => s.id.endsWith(u)).map((s) => s.id);
      expect(mine).toEqual([a.id, c.id, b.id, d.id]);
    });

    it('forProduct offers non-limited scents, and limited ones only where enabled (`limited` decides, as in the store)', async () => {
      const u = uniq();
      const slug = `titos-candle-${u}`;
      const open = await repo().scents.upsert(scent({ id: `open-${u}`, limited: false }));
      const legacyOpen = await repo().scents.upsert(scent({ id: `noflag-${u}`, limited: undefined }));
      const enabled = await repo().scents.upsert(
        scent({ id: `pumpkin-${u}`, limited: true, enabledProducts: [slug] }),
      );
      const elsewhere = await repo().scents.upsert(
        scent({ id: `peppermint-${u}`, limited: true, enabledProducts: ['other-candle'] }),
      );
      const experimentalOnly = await repo().scents.upsert(
        scent({ id: `exp-${u}`, limited: undefined, experimental: true }),
      );
      const offered = (await repo().scents.forProduct(slug)).filter((s) => s.id.endsWith(u)).map((s) => s.id);
      expect(offered.sort()).toEqual([open.id, legacyOpen.id, enabled.id, experimentalOnly.id].sort());
      expect(offered).not.toContain(elsewhere.id);
    });

    it.each([
      ['an id with capitals and spaces', { id: 'Vanilla Bean' }, 'id'],
      ['an id with an underscore (scents allow [a-z0-9-] only)', { id: 'vanilla_bean' }, 'id'],
      ['the reserved id "index"', { id: 'index' }, 'id'],
      ['an empty name', { name: '' }, 'name'],
      [
        'a composition share above 100',
        { composition: [{ baseOilId: 'x', percentage: 120 }] },
        'composition[0].percentage',
      ],
      ['a negative cost', { costPerOz: -1 }, 'costPerOz'],
      ['an extra key that names a modelled field', { extra: { limited: true } }, 'extra.limited'],
    ])('rejects %s with a ValidationError naming the field, writing nothing', async (_what, over, field) => {
      const before = (await raw().listedIds('scent')).sort();
      const bad = scent(over as Partial<GlobalScent>);
      const err = await rejection(repo().scents.upsert(bad));
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).field).toBe(field);
      expect((await raw().listedIds('scent')).sort()).toEqual(before);
    });

    it('the index key is never a record: get("index") is null, delete("index") is false', async () => {
      const s = await repo().scents.upsert(scent());
      expect(await repo().scents.get('index')).toBeNull();
      expect(await repo().scents.delete('index')).toBe(false);
      expect(await raw().listedIds('scent')).toContain(s.id);
    });

    it('deletes a scent and its index entry; an unknown id is false', async () => {
      const s = await repo().scents.upsert(scent());
      expect(await repo().scents.delete(s.id)).toBe(true);
      expect(await raw().record('scent', s.id)).toBeNull();
      expect(await raw().listedIds('scent')).not.toContain(s.id);
      expect(await repo().scents.get(s.id)).toBeNull();
      expect(await repo().scents.delete(s.id)).toBe(false);
    });
  });

  describe('base oils, containers and calculator wicks', () => {
    it('base oils: stores the rate bit-exact and lists by name', async () => {
      const u = uniq();
      const b = await repo().baseOils.upsert(oil({ id: `b_${u}`, name: `B oil ${u}` }));
      const a = await repo().baseOils.upsert(
        oil({ id: `a_${u}`, name: `A oil ${u}`, extra: { supplier: 'Lone Star' } }),
      );
      expect(await raw().record('baseOil', b.id)).toEqual(b);
      expect((await raw().record('baseOil', a.id))?.extra).toEqual({ supplier: 'Lone Star' });
      expect((await repo().baseOils.get(b.id))?.costPerOz).toBe(1.4705882352941178);
      const mine = (await repo().baseOils.list()).filter((x) => x.id.endsWith(u)).map((x) => x.id);
      expect(mine).toEqual([a.id, b.id]);
      expect(await raw().bookkeepingOk('baseOil', a.id)).toBe(true);
    });

    it('containers: keeps a null supplier, refuses a capacity of 0', async () => {
      const c = await repo().containers.upsert(container({ supplier: null, notes: 'seconds' }));
      expect(await raw().record('container', c.id)).toEqual(c);
      const bad = container({ capacityWaterOz: 0 });
      const err = await rejection(repo().containers.upsert(bad));
      expect((err as ValidationError).field).toBe('capacityWaterOz');
      expect(await raw().record('container', bad.id)).toBeNull();
    });

    it('calculator wicks: upsert replaces the whole record; delete removes it', async () => {
      const w = await repo().calculatorWicks.upsert(wick());
      const replaced = await repo().calculatorWicks.upsert({
        id: w.id,
        name: 'CD 10 (new)',
        costPerWick: 0.8,
      });
      expect(await raw().record('wick', w.id)).toEqual(replaced);
      expect(replaced.appearAs).toBeUndefined();
      expect(await repo().calculatorWicks.delete(w.id)).toBe(true);
      expect(await raw().listedIds('wick')).not.toContain(w.id);
    });

    it.each([
      ['base oil', 'index'],
      ['container', 'Round 8oz'],
      ['calculator wick', 'wick:1'],
    ])('rejects the %s id %j', async (kind, id) => {
      const call =
        kind === 'base oil'
          ? repo().baseOils.upsert(oil({ id }))
          : kind === 'container'
            ? repo().containers.upsert(container({ id }))
            : repo().calculatorWicks.upsert(wick({ id }));
      const err = await rejection(call);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).field).toBe('id');
    });

    it.each([
      ['a negative base-oil cost', () => repo().baseOils.upsert(oil({ costPerOz: -0.01 })), 'costPerOz'],
      [
        'a negative container cost',
        () => repo().containers.upsert(container({ costPerUnit: -1 })),
        'costPerUnit',
      ],
      ['a negative wick cost', () => repo().calculatorWicks.upsert(wick({ costPerWick: -1 })), 'costPerWick'],
      ['a cost given as text', () => repo().baseOils.upsert(oil({ costPerOz: '1.2' as never })), 'costPerOz'],
    ])('rejects %s', async (_what, call, field) => {
      const err = await rejection(call());
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).field).toBe(field);
    });
  });
});
