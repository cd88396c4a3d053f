/**
 * Raw readers for products: what each store actually holds, read without the repositories (Redis: GET
 * + the legacy codec, SMEMBERS; Postgres: the `products` and `product_variants` rows). `seed` writes a
 * legacy record the way the store (or the backfill) left it.
 */
import { eq } from 'drizzle-orm';
import { fromProductRow, toProductRows } from '../../../src/backends/postgres/mappers/product.js';
import { products, productVariants } from '../../../src/backends/postgres/schema.js';
import { canonicalHash } from '../../../src/domain/canonical.js';
import type { Product } from '../../../src/domain/product.js';
import { decodeProduct, encodeProduct } from '../../../src/legacy/codecs/product.js';
import type { ContractContext, RawFactory } from '../harness.js';

export interface ProductsRaw {
  /** The stored record in canonical form, or null. */
  product(slug: string): Promise<Product | null>;
  /**
   * The record as the store's JSON (`price` in dollars, `variantConfig.variantData`…): Redis, the bytes
   * parsed; Postgres, the rows encoded by the legacy codec. Null when absent.
   */
  legacyJson(slug: string): Promise<Record<string, unknown> | null>;
  /** Whether the store lists the slug (Redis `products:index`; Postgres the row exists). */
  listed(slug: string): Promise<boolean>;
  /**
   * Bookkeeping agrees with the record: Redis, the JSON is exactly what the codec writes; Postgres,
   * `sync_hash` is the canonical hash and `sync_written_at` is set (a live write, not the backfill).
   */
  bookkeepingOk(slug: string): Promise<boolean>;
  /** Writes a legacy record directly (Redis SET + SADD; Postgres rows as the backfill writes them). */
  seed(p: Product): Promise<void>;
}

export const productsRaw: RawFactory<ProductsRaw> = {
  redis(ctx: ContractContext): ProductsRaw {
    const { client, keys } = ctx.redis!;
    const read = async (slug: string) => {
      const raw = await client.get(keys.product(slug));
      if (raw === null) return null;
      const r = decodeProduct(keys.product(slug), raw);
      if (!r.ok) throw new Error(`stored product does not decode: ${r.error.problem}`);
      return { raw, value: r.value };
    };
    return {
      product: async (slug) => (await read(slug))?.value ?? null,
      legacyJson: async (slug) => {
        const r = await read(slug);
        return r ? (JSON.parse(r.raw) as Record<string, unknown>) : null;
      },
      listed: async (slug) => (await client.sIsMember(keys.productsIndex(), slug)) === 1,
      bookkeepingOk: async (slug) => {
        const r = await read(slug);
        return r !== null && encodeProduct(r.value) === r.raw;
      },
      seed: async (p) => {
        await client.set(keys.product(p.slug), encodeProduct(p));
        await client.sAdd(keys.productsIndex(), p.slug);
      },
    };
  },

  postgres(ctx: ContractContext): ProductsRaw {
    const db = ctx.pg!.db;
    const read = async (slug: string) => {
      const row = (await db.select().from(products).where(eq(products.slug, slug)))[0];
      if (!row) return null;
      const variants = await db.select().from(productVariants).where(eq(productVariants.productSlug, slug));
      return { row, value: fromProductRow(row, variants) };
    };
    return {
      product: async (slug) => (await read(slug))?.value ?? null,
      legacyJson: async (slug) => {
        const r = await read(slug);
        return r ? (JSON.parse(encodeProduct(r.value)) as Record<string, unknown>) : null;
      },
      listed: async (slug) => (await read(slug)) !== null,
      bookkeepingOk: async (slug) => {
        const r = await read(slug);
        return r !== null && r.row.syncHash === canonicalHash(r.value) && r.row.syncWrittenAt !== null;
      },
      seed: async (p) => {
        const rows = toProductRows(p);
        await db.insert(products).values(rows.product);
        if (rows.variants.length > 0) await db.insert(productVariants).values(rows.variants);
      },
    };
  },
};
