/**
 * The `StockPort` of the inventory holds over a `ProductRepository` (any backend, or the router).
 * The decrement is the repository's own atomic stock operation (`adjustStock` /
 * `adjustVariantStock` with a negative delta), which writes nothing and throws
 * `InsufficientStockError` when the stock would go below 0, so a sale can never oversell, whether it
 * comes through a hold, a checkout or an admin edit.
 *
 * Give it the repository the app writes through: with `withQueryCache`, that is the cached layer's
 * `products`, so a committed hold invalidates the product's cached reads like any other sale.
 */
import { InsufficientStockError, NotFoundError } from '../domain/errors.js';
import {
  baseStock,
  type Product,
  type ProductRepository,
  splitVariantId,
  variantStock,
} from '../domain/product.js';
import type { StockPort } from './inventory-holds.js';

export function productStockPort(products: ProductRepository): StockPort {
  return {
    async getStock(slug, variantId) {
      const product = await products.getResolved(slug);
      if (!product) return null;
      if (variantId === null) return baseStock(product);
      return isKnownVariant(product, variantId) ? variantStock(product, variantId) : null;
    },

    async decrementIfAvailable(slug, variantId, qty) {
      try {
        if (variantId === null) await products.adjustStock(slug, -qty);
        else await products.adjustVariantStock(slug, variantId, -qty);
        return true;
      } catch (err) {
        // Not enough left, or the product was deleted since the hold: no sale, nothing written.
        if (err instanceof InsufficientStockError || err instanceof NotFoundError) return false;
        throw err;
      }
    },
  };
}

/**
 * A variant the product can sell: one with a `variantData` entry (orphan keys included, §8.21), or
 * one whose id starts with one of its wick types (a derived variant without an entry has stock 0).
 */
function isKnownVariant(product: Product, variantId: string): boolean {
  const config = product.variantConfig;
  if (!config) return false;
  return Object.hasOwn(config.variantData, variantId) || splitVariantId(variantId, config.wickTypes) !== null;
}
