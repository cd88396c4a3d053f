import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { alcoholTypeId } from '../../src/domain/alcohol-type.js';
import { ConflictError, NotFoundError, ValidationError } from '../../src/domain/errors.js';
import { rawFor, runContract } from './harness.js';
import { alcoholTypesRaw } from './raw/alcohol-types.js';

const uniq = () => randomUUID().slice(0, 8);

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

// A describe block of its own: a fresh, empty store, because seeding depends on emptiness.
runContract('alcohol types: defaults', (ctx) => {
  const repo = () => ctx().layer.alcoholTypes;
  const raw = () => rawFor(ctx(), alcoholTypesRaw);

  it('reads never seed; seedDefaults writes the 8 store defaults once', async () => {
    expect(await repo().list()).toEqual([]);
    expect(await repo().get('tequila')).toBeNull();
    expect(await raw().listedIds()).toEqual([]);

    const seeded = await repo().seedDefaults();
    expect(seeded.map((t) => [t.id, t.name, t.sortOrder, t.archived])).toEqual([
      ['tequila', 'Tequila', 10, false],
      ['whiskey', 'Whiskey', 20, false],
      ['vodka', 'Vodka', 30, false],
      ['gin', 'Gin', 40, false],
      ['rum', 'Rum', 50, false],
      ['wine', 'Wine', 60, false],
      ['liqueur', 'Liqueur', 70, false],
      ['other', 'Other', 9999, false],
    ]);
    expect(await repo().list()).toEqual(seeded);
    expect(await raw().type('other')).toEqual({
      id: 'other',
      name: 'Other',
      sortOrder: 9999,
      archived: false,
    });
    expect(await raw().bookkeepingOk('gin')).toBe(true);
    expect(await repo().seedDefaults()).toEqual([]);
  });

  it('deleting every type leaves the store empty: nothing comes back on read', async () => {
    for (const t of await repo().list()) await repo().delete(t.id);
    expect(await repo().list()).toEqual([]);
    expect(await raw().listedIds()).toEqual([]);
  });
});

runContract('alcohol types', (ctx) => {
  const repo = () => ctx().layer.alcoholTypes;
  const raw = () => rawFor(ctx(), alcoholTypesRaw);

  describe('add and read', () => {
    it('derives the id from the name, trims the name and stores what it returns', async () => {
      const u = uniq();
      const t = await repo().add({ name: `  Añejo   Rum ${u}!! `, sortOrder: 55 });
      expect(t).toEqual({ id: `aejo-rum-${u}`, name: `Añejo   Rum ${u}!!`, sortOrder: 55, archived: false });
      expect(await raw().type(t.id)).toEqual(t);
      expect(await raw().listedIds()).toContain(t.id);
      expect(await raw().bookkeepingOk(t.id)).toBe(true);
      expect(await repo().get(t.id)).toEqual(t);
    });

    it('lists by sortOrder, then name; types without a sortOrder come last', async () => {
      const u = uniq();
      const late = await repo().add({ name: `B no order ${u}` });
      const early = await repo().add({ name: `Z first ${u}`, sortOrder: -5 });
      const tieB = await repo().add({ name: `B tie ${u}`, sortOrder: 15.5 });
      const tieA = await repo().add({ name: `A tie ${u}`, sortOrder: 15.5 });
      expect(late.sortOrder).toBeUndefined();
      const mine = (await repo().list()).filter((t) => t.id.endsWith(u));
      expect(mine.map((t) => t.id)).toEqual([early.id, tieA.id, tieB.id, late.id]);
    });

    it('not found is null', async () => {
      expect(await repo().get(`missing-${uniq()}`)).toBeNull();
    });

    it('refuses an existing id or a name another type holds in any case, writing nothing', async () => {
      const u = uniq();
      const t = await repo().add({ name: `Mezcal ${u}` });
      await expect(repo().add({ name: `MEZCAL ${u}` })).rejects.toBeInstanceOf(ConflictError);
      // A legacy type renamed by the store keeps its old id: the name still counts.
      await raw().seed({ id: `spirits-${u}`, name: `Sotol ${u}`, sortOrder: 80, archived: false });
      const err = await rejection(repo().add({ name: `sotol ${u}` }));
      expect(err).toBeInstanceOf(ConflictError);
      expect(await raw().type(alcoholTypeId(`sotol ${u}`))).toBeNull();
      expect(await raw().type(t.id)).toEqual(t);
    });

    it.each([
      ['an empty name', { name: '   ' }, 'name'],
      ['a name of symbols only (empty id)', { name: '!!! ***' }, 'name'],
      ['an oversized name', { name: 'x'.repeat(201) }, 'name'],
      ['a sortOrder that is not a number', { name: 'Pisco', sortOrder: Number.NaN }, 'sortOrder'],
      ['a sortOrder given as text', { name: 'Pisco', sortOrder: '10' as unknown as number }, 'sortOrder'],
    ])('rejects %s with a ValidationError naming the field, writing nothing', async (_what, input, field) => {
      const before = (await raw().listedIds()).sort();
      const err = await rejection(repo().add(input));
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).field).toBe(field);
      expect((await raw().listedIds()).sort()).toEqual(before);
    });
  });

  describe('update, archive and delete', () => {
    it('renames and reorders without changing the id', async () => {
      const u = uniq();
      const t = await repo().add({ name: `Cognac ${u}`, sortOrder: 90 });
      const renamed = await repo().update(t.id, { name: `Brandy ${u}`, sortOrder: 91 });
      expect(renamed).toEqual({ ...t, name: `Brandy ${u}`, sortOrder: 91 });
      expect(await raw().type(t.id)).toEqual(renamed);
      expect(await raw().bookkeepingOk(t.id)).toBe(true);
      expect(await repo().update(t.id, { name: `BRANDY ${u}` })).toMatchObject({ name: `BRANDY ${u}` });
    });

    it('refuses a rename onto another type’s name, changing nothing', async () => {
      const u = uniq();
      const a = await repo().add({ name: `Port ${u}` });
      const b = await repo().add({ name: `Sherry ${u}` });
      await expect(repo().update(b.id, { name: `PORT ${u}` })).rejects.toBeInstanceOf(ConflictError);
      expect(await raw().type(b.id)).toEqual(b);
      expect(await raw().type(a.id)).toEqual(a);
    });

    it('archives and restores', async () => {
      const t = await repo().add({ name: `Absinthe ${uniq()}` });
      expect(await repo().setArchived(t.id, true)).toEqual({ ...t, archived: true });
      expect((await raw().type(t.id))?.archived).toBe(true);
      expect((await repo().list()).find((x) => x.id === t.id)?.archived).toBe(true);
      expect(await repo().setArchived(t.id, false)).toEqual(t);
    });

    it('keeps unknown legacy keys and an absent archived flag through an update', async () => {
      const u = uniq();
      const legacy = { id: `legacy-${u}`, name: `Legacy ${u}`, extra: { color: '#aa0000' } };
      await raw().seed(legacy);
      expect(await repo().get(legacy.id)).toEqual(legacy);
      const updated = await repo().update(legacy.id, { sortOrder: 3 });
      expect(updated).toEqual({ ...legacy, sortOrder: 3 });
      expect(await raw().type(legacy.id)).toEqual(updated);
    });

    it('lists legacy duplicate names left by renames and can still edit them', async () => {
      const u = uniq();
      await raw().seed({ id: `dup-a-${u}`, name: `Dup ${u}`, archived: false });
      await raw().seed({ id: `dup-b-${u}`, name: `dup ${u}`, archived: false }, { nameConflict: true });
      const mine = (await repo().list()).filter((t) => t.id.endsWith(u));
      expect(mine.map((t) => t.id)).toEqual([`dup-a-${u}`, `dup-b-${u}`]);
      expect(await repo().update(`dup-b-${u}`, { sortOrder: 1 })).toMatchObject({ sortOrder: 1 });
    });

    it('unknown ids: update is NotFoundError, delete is false', async () => {
      await expect(repo().update(`missing-${uniq()}`, { name: 'X' })).rejects.toBeInstanceOf(NotFoundError);
      await expect(repo().setArchived(`missing-${uniq()}`, true)).rejects.toBeInstanceOf(NotFoundError);
      expect(await repo().delete(`missing-${uniq()}`)).toBe(false);
    });

    it('deletes the record and its index entry', async () => {
      const t = await repo().add({ name: `Grappa ${uniq()}` });
      expect(await repo().delete(t.id)).toBe(true);
      expect(await raw().type(t.id)).toBeNull();
      expect(await raw().listedIds()).not.toContain(t.id);
      expect(await repo().get(t.id)).toBeNull();
    });
  });
});
