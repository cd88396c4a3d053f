/** What the API shows of domain records: never a password hash, never the `extra` bag of legacy keys. */
import type { Order } from '../domain/order.js';
import type { Product } from '../domain/product.js';
import type { Refund } from '../domain/refund.js';
import type { User } from '../domain/user.js';

export function publicUser(u: User) {
  return {
    id: u.id,
    email: u.email,
    firstName: u.firstName,
    lastName: u.lastName,
    points: u.points,
    emailVerified: u.emailVerified,
    createdAt: u.createdAt,
  };
}

export function publicProduct(p: Product) {
  const images = p.images ?? (p.image ? [p.image] : []);
  return {
    slug: p.slug,
    name: p.name,
    priceCents: p.priceCents,
    sku: p.sku,
    images,
    /** The app reads a stored `null` (legacy NaN) as 0. */
    stock: p.stock ?? 0,
    bestSeller: p.bestSeller === true,
    alcoholType: p.alcoholType ?? null,
    variants: Object.entries(p.variantConfig?.variantData ?? {}).map(([id, v]) => ({
      id,
      stock: v.stock ?? 0,
    })),
  };
}

export function publicOrder(o: Order) {
  const { extra: _extra, items, ...rest } = o;
  return { ...rest, items: items.map(({ extra: _e, ...item }) => item) };
}

export function publicRefund(r: Refund) {
  const { extra: _extra, items, ...rest } = r;
  return { ...rest, items: items.map(({ extra: _e, ...item }) => item) };
}
