/**
 * Products and their variant stock (legacy-redis-format.md §4.4): `product:{slug}` + `products:index`
 * on Redis; `products` + one `product_variants` row per `variantConfig.variantData` key on Postgres.
 */
import { fromProductRow, toProductRows } from '../../backends/postgres/mappers/product.js';
import {
  type ProductRow,
  type ProductVariantRow,
  products,
  productVariants,
} from '../../backends/postgres/schema/catalog.js';
import { recordEntity } from './record-entity.js';

export const productsEntity = recordEntity({
  name: 'products',
  domain: 'products',
  family: 'product',
  recordKey: (keys, slug) => keys.product(slug),
  indexes: [{ kind: 'set', key: (ctx) => ctx.keys.productsIndex() }],
  indexKey: (keys) => keys.productsIndex(),
  table: products,
  idColumn: products.slug,
  child: { table: productVariants, parentColumn: productVariants.productSlug, parentField: 'productSlug' },
  toRows: async (_db, record) => {
    const rows = toProductRows(record);
    return { row: rows.product, children: rows.variants };
  },
  fromRows: (row, variants) => fromProductRow(row as ProductRow, variants as ProductVariantRow[]),
});
