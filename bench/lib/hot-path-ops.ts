/**
 * The four hot paths as one small interface, implemented by the data layer and by each hand-written
 * baseline. Every operation returns a fingerprint of what it read or wrote, so the benchmark can
 * prove, before it times anything, that a baseline does the same work as the layer it is compared to.
 */
import { pointsFor } from '../../src/domain/checkout-rules.js';
import type { DataLayer } from '../../src/domain/data-layer.js';
import type { CheckoutScene } from './hot-path-data.js';

export const HOT_PATHS = ['user-by-email', 'order-with-items', 'product-list', 'checkout'] as const;
export type HotPath = (typeof HOT_PATHS)[number];

/** One implementation of the hot paths (the data layer, or a baseline). */
export interface HotPathOps {
  /** The user with this e-mail: its id, or `none`. */
  userByEmail(email: string): Promise<string>;
  /** The order with its items: see {@link fingerprint.order}. */
  orderWithItems(orderId: string): Promise<string>;
  /** Every stored product with its variant stock: see {@link fingerprint.products}. */
  productList(): Promise<string>;
  /**
   * Places a completed order for `scene` (stock decremented per line, points earned by the user) in
   * one atomic unit; see {@link fingerprint.checkout}.
   */
  checkout(orderId: string, scene: CheckoutScene): Promise<string>;
}

/** Fingerprints shared by every implementation, so the layer's and a baseline's compare equal. */
export const fingerprint = {
  order(order: { id: string; itemCount: number; totalCents: number } | null): string {
    return order ? `${order.id}: ${order.itemCount} items, ${order.totalCents} cents` : 'none';
  },
  /** `variantStocks` = the stock of every variant entry of one product. */
  products(list: readonly { variantStocks: readonly (number | null | undefined)[] }[]): string {
    const entries = list.reduce((n, p) => n + p.variantStocks.length, 0);
    const stock = list.reduce((n, p) => n + p.variantStocks.reduce<number>((m, s) => m + (s ?? 0), 0), 0);
    return `${list.length} products, ${entries} variants, ${stock} in stock`;
  },
  checkout(order: { status: string; pointsEarned: number; itemCount: number }): string {
    return `${order.status}, ${order.itemCount} items, ${order.pointsEarned} points`;
  },
};

/** What a checkout of `scene` must earn (the rule both the layer and the baselines apply). */
export function checkoutPoints(scene: CheckoutScene): number {
  return pointsFor(scene.lines.reduce((sum, l) => sum + l.priceCents, 0));
}

/** The hot paths through the data layer's public interfaces. */
export function layerOps(layer: DataLayer): HotPathOps {
  return {
    async userByEmail(email) {
      return (await layer.users.getByEmail(email))?.id ?? 'none';
    },
    async orderWithItems(orderId) {
      const order = await layer.orders.get(orderId);
      return fingerprint.order(order && { ...order, itemCount: order.items.length });
    },
    async productList() {
      const products = await layer.products.list();
      return fingerprint.products(
        products.map((p) => ({
          variantStocks: Object.values(p.variantConfig?.variantData ?? {}).map((v) => v.stock),
        })),
      );
    },
    async checkout(orderId, scene) {
      const { order } = await layer.checkout.placeOrder({
        orderId,
        userId: scene.userId,
        email: scene.email,
        lines: scene.lines,
      });
      return fingerprint.checkout({ ...order, itemCount: order.items.length });
    },
  };
}
