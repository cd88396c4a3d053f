/** Arbitraries for products (with every `variantConfig` shape of §9) and alcohol types (§4.4, §4.8). */
import fc from 'fast-check';
import type { AlcoholType } from '../../../src/domain/alcohol-type.js';
import type { Product, VariantConfig, VariantStock, VariantWickOption } from '../../../src/domain/product.js';
import { alcoholTypeCodec } from '../../../src/legacy/codecs/alcohol-type.js';
import {
  legacyScentCodec,
  productCodec,
  variantConfigCodec,
  variantStockCodec,
  wickOptionCodec,
} from '../../../src/legacy/codecs/product.js';
import { anyNumber, cents, count, orNull, recordWith, slug, text, withExtra } from './primitives.js';

const variantStock: fc.Arbitrary<VariantStock> = withExtra(
  recordWith<VariantStock>({ stock: orNull(count), stripePriceId: fc.oneof(fc.constant(''), text) }, []),
  variantStockCodec,
);

const wickOption: fc.Arbitrary<VariantWickOption> = withExtra(
  fc.record({ id: slug, name: text }),
  wickOptionCodec,
);

export const variantConfig: fc.Arbitrary<VariantConfig> = withExtra(
  recordWith<VariantConfig>(
    {
      wickTypes: fc.array(wickOption, { maxLength: 3 }),
      variantData: fc.dictionary(fc.oneof(slug, text), variantStock, { maxKeys: 4, noNullPrototype: true }),
      scents: fc.array(withExtra(fc.record({ id: slug, name: text }), legacyScentCodec), { maxLength: 3 }),
    },
    ['wickTypes', 'variantData'],
  ),
  variantConfigCodec,
);

export const product: fc.Arbitrary<Product> = withExtra(
  recordWith<Product>(
    {
      slug,
      name: text,
      priceCents: cents,
      image: orNull(text),
      images: orNull(fc.array(text, { maxLength: 3 })),
      sku: orNull(fc.stringMatching(/^DCW-[0-9]{4}$/)),
      stripePriceId: orNull(text),
      squareCatalogId: orNull(text),
      squareVariantMapping: orNull(fc.dictionary(slug, text, { maxKeys: 3, noNullPrototype: true })),
      seoDescription: orNull(text),
      bestSeller: orNull(fc.boolean()),
      youngDumb: orNull(fc.boolean()),
      stock: orNull(count),
      variantConfig: orNull(variantConfig),
      alcoholType: orNull(text),
      materialCostCents: orNull(cents),
      visibleOnWebsite: orNull(fc.boolean()),
    },
    ['slug', 'name', 'priceCents', 'sku', 'stock'],
  ),
  productCodec,
);

export const alcoholType: fc.Arbitrary<AlcoholType> = withExtra(
  recordWith<AlcoholType>(
    { id: fc.oneof(slug, fc.constant('')), name: text, sortOrder: anyNumber, archived: fc.boolean() },
    ['id', 'name'],
  ),
  alcoholTypeCodec,
);
