/**
 * Declarations of the catalogue domains: products (and their variant stock), alcohol types, the
 * workshop catalogue (scents, base oils, containers, calculator settings and wicks) and purchases.
 */
import type { DataLayer } from '../../../domain/data-layer.js';
import { CALCULATOR_SETTINGS_ID } from '../../entities/singletons.js';
import { type DeclTree, read, rec, recs, write } from '../declare.js';

const product = (slug: string | null | undefined) => rec('products', slug);
const bySlug = write<(slug: string) => Promise<unknown>>({
  preKeys: ([s]) => product(s),
  keys: ([s]) => product(s),
});
type P = DeclTree<DataLayer['products']>;

export const productsDecls: P = {
  list: read({
    resultKeys: (all) =>
      recs(
        'products',
        all.map((p) => p.slug),
      ),
  }),
  listResolved: read({
    resultKeys: (all) =>
      recs(
        'products',
        all.map((p) => p.slug),
      ),
  }),
  get: read({ keys: ([slug]) => product(slug), resultKeys: (p) => product(p?.slug) }),
  getResolved: read({ keys: ([slug]) => product(slug) }),
  upsert: write({ preKeys: ([p]) => product(p.slug), keys: ([p]) => product(p.slug) }),
  delete: bySlug as P['delete'],
  setStock: bySlug as P['setStock'],
  adjustStock: bySlug as P['adjustStock'],
  setVariantStock: bySlug as P['setVariantStock'],
  adjustVariantStock: bySlug as P['adjustVariantStock'],
};

const alcoholType = (id: string | null | undefined) => rec('alcohol_types', id);
type A = DeclTree<DataLayer['alcoholTypes']>;
const alcoholById = write<(id: string) => Promise<unknown>>({
  preKeys: ([id]) => alcoholType(id),
  keys: ([id]) => alcoholType(id),
});

export const alcoholTypesDecls: A = {
  list: read({
    resultKeys: (all) =>
      recs(
        'alcohol_types',
        all.map((t) => t.id),
      ),
  }),
  get: read({ keys: ([id]) => alcoholType(id), resultKeys: (t) => alcoholType(t?.id) }),
  add: write({ keys: (_a, t) => alcoholType(t.id) }),
  update: alcoholById as A['update'],
  setArchived: alcoholById as A['setArchived'],
  delete: alcoholById as A['delete'],
  seedDefaults: write({
    keys: (_a, written) =>
      recs(
        'alcohol_types',
        written.map((t) => t.id),
      ),
  }),
};

/** Create-or-replace collections share one shape: upsert(record) and delete(id). */
function collection(entity: string) {
  const key = (id: string | null | undefined) => rec(entity, id);
  return {
    list: read<() => Promise<{ id: string }[]>>({
      resultKeys: (all) =>
        recs(
          entity,
          all.map((r) => r.id),
        ),
    }),
    get: read<(id: string) => Promise<{ id: string } | null>>({
      keys: ([id]) => key(id),
      resultKeys: (r) => key(r?.id),
    }),
    upsert: write<(r: { id: string }) => Promise<unknown>>({
      preKeys: ([r]) => key(r.id),
      keys: ([r]) => key(r.id),
    }),
    delete: write<(id: string) => Promise<boolean>>({ preKeys: ([id]) => key(id), keys: ([id]) => key(id) }),
  };
}

type C = DeclTree<DataLayer['catalogue']>;
const wicks = collection('calculator_wicks');

export const catalogueDecls: C = {
  scents: {
    ...(collection('scents') as Omit<C['scents'], 'forProduct'>),
    forProduct: read({
      resultKeys: (all) =>
        recs(
          'scents',
          all.map((s) => s.id),
        ),
    }),
  },
  baseOils: collection('base_oils') as C['baseOils'],
  containers: collection('containers') as C['containers'],
  calculatorSettings: {
    get: read({ keys: () => rec('calculator_settings', CALCULATOR_SETTINGS_ID) }),
    set: write({ keys: () => rec('calculator_settings', CALCULATOR_SETTINGS_ID) }),
  },
  calculatorWicks: {
    ...(wicks as Omit<C['calculatorWicks'], 'seedDefaults'>),
    seedDefaults: write({
      keys: (_a, written) =>
        recs(
          'calculator_wicks',
          written.map((w) => w.id),
        ),
    }),
  },
};

const purchase = (id: string | null | undefined) => rec('purchases', id);
const purchaseList = (all: readonly { id: string }[]) =>
  recs(
    'purchases',
    all.map((p) => p.id),
  );

export const purchasesDecls: DeclTree<DataLayer['purchases']> = {
  create: write({ keys: (_a, p) => purchase(p.id) }),
  get: read({ keys: ([id]) => purchase(id), resultKeys: (p) => purchase(p?.id) }),
  update: write({ preKeys: ([id]) => purchase(id), keys: ([id]) => purchase(id) }),
  delete: write({ preKeys: ([id]) => purchase(id), keys: ([id]) => purchase(id) }),
  list: read({ resultKeys: purchaseList }),
  byVendor: read({ resultKeys: purchaseList }),
  byMonth: read({ resultKeys: purchaseList }),
};
