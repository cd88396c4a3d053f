/** Products, alcohol types, scents, oils, containers and the calculator (§4.4, §4.8–§4.11). */
import { json, k, type LegacySample } from './types.js';

const standardConfig = { wickTypes: [{ id: 'standard', name: 'Standard Wick' }], variantData: {} };

export const productSamples: LegacySample[] = [
  {
    name: 'static product copied in by ensureLive: only `image`, no seoDescription (§4.4, §8.20)',
    key: k.product('titos-candle'),
    raw: json({
      slug: 'titos-candle',
      name: "Tito's Handmade Vodka Candle",
      price: 24.99,
      image: '/images/titos-min.png',
      sku: 'DCW-0001',
      stripePriceId: 'price_1QAbCdEfGhIjKlMn',
      bestSeller: true,
      stock: 0,
      alcoholType: 'Vodka',
    }),
    expect: { priceCents: 2499, stock: 0, image: '/images/titos-min.png' },
    absent: ['images', 'seoDescription', 'variantConfig'],
  },
  {
    name: 'October 2025 config: variantConfig.scents, variantData stripePriceId incl. "" (§9)',
    key: k.product('casamigos-candle'),
    raw: json({
      slug: 'casamigos-candle',
      name: 'Casamigos Candle',
      price: 24.99,
      image: '/images/casamigos.png',
      sku: 'DCW-0002',
      seoDescription: 'Hand-poured candle in an upcycled bottle.',
      stock: 3,
      variantConfig: {
        wickTypes: [
          { id: 'standard', name: 'Standard Wick' },
          { id: 'wood', name: 'Wood Wick' },
        ],
        scents: [{ id: 'vanilla', name: 'Vanilla' }],
        variantData: {
          'standard-vanilla': { stock: 2, stripePriceId: '' },
          'wood-vanilla': { stock: 1, stripePriceId: 'price_1QWood' },
        },
      },
    }),
    expect: {
      'variantConfig.scents.0.id': 'vanilla',
      'variantConfig.variantData.standard-vanilla': { stock: 2, stripePriceId: '' },
    },
  },
  {
    name: 'PATCH-saved draft: default variantConfig, stock null (NaN), null fields, client keys (§8.13)',
    key: k.product('la-crema-candle'),
    raw: json({
      slug: 'la-crema-candle',
      name: 'La Crema Candle',
      price: 19.99,
      image: null,
      images: ['https://blob.vercel-storage.com/la-crema-1.jpg'],
      sku: 'DCW-0004',
      stripePriceId: null,
      seoDescription: 'Hand-poured candle in an upcycled bottle.',
      bestSeller: false,
      stock: null,
      variantConfig: standardConfig,
      alcoholType: null,
      materialCost: null,
      visibleOnWebsite: true,
      isStatic: false,
      variants: [{ id: 'standard-vanilla', sku: 'DCW-0004-STD-VAN' }],
    }),
    expect: { stock: null, image: null, alcoholType: null, 'extra.isStatic': false },
  },
  {
    name: 'full product of 2025-12-17: images + image, Square mapping, materialCost, youngDumb, orphan variant keys',
    key: k.product('woodford-reserve-candle'),
    raw: json({
      slug: 'woodford-reserve-candle',
      name: 'Woodford Reserve Candle',
      price: 29.99,
      image: '/images/woodford.png',
      images: [
        'https://blob.vercel-storage.com/woodford-a.jpg',
        'https://blob.vercel-storage.com/woodford-b.jpg',
      ],
      sku: 'DCW-0013',
      stripePriceId: 'price_1QWoodford',
      squareCatalogId: 'SQCAT123',
      squareVariantMapping: { 'wick-1734000000000-cinnamon-spice': 'SQVAR1' },
      seoDescription: 'Bourbon candle.',
      bestSeller: true,
      youngDumb: true,
      stock: 5,
      variantConfig: {
        wickTypes: [{ id: 'wick-1734000000000', name: 'Crackling Wick' }],
        variantData: {
          'wick-1734000000000-cinnamon-spice': { stock: 4 },
          'deleted-wick-vanilla': { stock: 7 },
        },
      },
      alcoholType: 'Bourbon (renamed)',
      materialCost: 4.5,
      visibleOnWebsite: false,
    }),
    expect: {
      priceCents: 2999,
      materialCostCents: 450,
      'squareVariantMapping.wick-1734000000000-cinnamon-spice': 'SQVAR1',
    },
  },
  {
    name: 'product with an empty Square mapping',
    key: k.product('bacardi-candle'),
    raw: json({
      slug: 'bacardi-candle',
      name: 'Bacardi',
      price: 24.99,
      sku: 'DCW-0009',
      seoDescription: '',
      stock: 1,
      squareCatalogId: 'SQCAT9',
      squareVariantMapping: {},
      variantConfig: standardConfig,
    }),
    expect: { squareVariantMapping: {} },
  },
  { name: 'dead stock:{slug} counter', key: k.legacyStock('titos-candle'), raw: '7', value: 7 },
];

export const alcoholTypeSamples: LegacySample[] = [
  {
    name: 'seeded default',
    key: k.alcoholType('vodka'),
    raw: json({ id: 'vodka', name: 'Vodka', sortOrder: 30, archived: false }),
  },
  {
    name: 'created without sortOrder',
    key: k.alcoholType('mezcal'),
    raw: json({ id: 'mezcal', name: 'Mezcal', archived: true }),
    absent: ['sortOrder'],
  },
  {
    name: 'id that slugifies to "" (name of symbols only, §3)',
    key: k.alcoholType(''),
    raw: json({ id: '', name: '!!!', archived: false }),
    expect: { id: '' },
  },
];

export const scentSamples: LegacySample[] = [
  {
    name: 'pre-2025-12-04 scent with `experimental` only (§9)',
    key: k.scent('smoky-oak'),
    raw: json({
      id: 'smoky-oak',
      name: 'Smoky Oak',
      experimental: true,
      enabledProducts: ['woodford-reserve-candle'],
      sortOrder: 5,
    }),
    expect: { experimental: true },
    absent: ['limited'],
  },
  {
    name: 'scent carrying both `experimental` and `limited`',
    key: k.scent('pine'),
    raw: json({ id: 'pine', name: 'Pine', experimental: false, limited: true, enabledProducts: [] }),
    expect: { experimental: false, limited: true },
  },
  {
    name: 'current scent: notes, seasonal, cost, composition; body stored whole (null, extra key)',
    key: k.scent('cinnamon-spice'),
    raw: json({
      id: 'cinnamon-spice',
      name: 'Cinnamon Spice',
      limited: false,
      sortOrder: 3,
      notes: ['cinnamon', 'clove'],
      seasonal: true,
      costPerOz: null,
      composition: [
        { baseOilId: 'cinnamon_base', percentage: 62.5 },
        { baseOilId: 'vanilla_base', percentage: 40 },
      ],
      createdBy: 'admin',
    }),
    expect: { costPerOz: null, 'composition.0.percentage': 62.5, 'extra.createdBy': 'admin' },
  },
  {
    name: 'seeded scent',
    key: k.scent('unscented'),
    raw: json({ id: 'unscented', name: 'Unscented', limited: false, sortOrder: 0 }),
  },
];

export const workshopSamples: LegacySample[] = [
  {
    name: 'base oil',
    key: k.baseOil('vanilla_base'),
    raw: json({ id: 'vanilla_base', name: 'Vanilla Base', costPerOz: 1.4705882352941178 }),
    expect: { costPerOz: 1.4705882352941178 },
  },
  {
    name: 'container with supplier and notes',
    key: k.container('tito_750'),
    raw: json({
      id: 'tito_750',
      name: "Tito's 750ml",
      capacityWaterOz: 25.4,
      shape: 'Bottle',
      supplier: 'Bar Bob',
      costPerUnit: 0.35,
      notes: 'cut at shoulder',
    }),
  },
  {
    name: 'container body with nulls and an extra key',
    key: k.container('jar-8'),
    raw: json({
      id: 'jar-8',
      name: 'Jar 8oz',
      capacityWaterOz: 8,
      shape: 'Round',
      supplier: null,
      costPerUnit: 1.1,
      notes: null,
      inStock: 12,
    }),
    expect: { supplier: null, 'extra.inStock': 12 },
  },
  {
    name: 'calculator settings (the code defaults, saved once)',
    key: k.calculatorSettings(),
    raw: json({ waxCostPerOz: 157.64 / 720, waterToWaxRatio: 0.9, defaultFragranceLoad: 0.08 }),
    expect: { waxCostPerOz: 0.2189444444444444 },
  },
  {
    name: 'seeded calculator wick',
    key: k.calculatorWick('wood_30mm'),
    raw: json({
      id: 'wood_30mm',
      name: 'Wood 30mm',
      costPerWick: 1.4705882352941178,
      appearAs: 'Wavy Wood Wick',
    }),
  },
  {
    name: 'calculator wick without appearAs',
    key: k.calculatorWick('cdn12'),
    raw: json({ id: 'cdn12', name: 'CDN 12', costPerWick: 0.9705882352941176 }),
    absent: ['appearAs'],
  },
];
