/**
 * The hand-written Redis baseline: the fewest commands a careful app would send for each hot path
 * over the legacy layout, with plain JSON.parse/stringify instead of the codecs. Checkout is the
 * minimal atomic read-modify-write: WATCH, one MGET, then every write in one MULTI/EXEC.
 */
import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../../src/backends/redis/client.js';
import { pointsDescription } from '../../src/domain/order-rules.js';
import type { LegacyKeys } from '../../src/legacy/keys.js';
import type { CheckoutScene } from './hot-path-data.js';
import { checkoutPoints, fingerprint, type HotPathOps } from './hot-path-ops.js';

/** The parts of the legacy JSON (§4) the baseline touches; everything else rides along untouched. */
interface UserJson {
  id: string;
  points: number;
  updatedAt: string;
}
interface OrderJson {
  id: string;
  totalCents: number;
  items: unknown[];
}
interface ProductJson {
  variantConfig?: { variantData?: Record<string, { stock?: number | null }> } | null;
}

const variantStocks = (p: ProductJson) =>
  Object.values(p.variantConfig?.variantData ?? {}).map((v) => v.stock);

/** Same-shaped order JSON as the store writes for a completed user order (§4.2). */
function orderJson(orderId: string, scene: CheckoutScene, at: string): Record<string, unknown> {
  const subtotal = scene.lines.reduce((sum, l) => sum + l.priceCents, 0);
  return {
    id: orderId,
    userId: scene.userId,
    email: scene.email,
    totalCents: subtotal,
    productSubtotalCents: subtotal,
    pointsEarned: checkoutPoints(scene),
    status: 'completed',
    isGuest: false,
    items: scene.lines.map((l) => ({
      productSlug: l.slug,
      productName: l.productName,
      quantity: l.quantity,
      priceCents: l.priceCents,
      variantId: l.variantId,
    })),
    createdAt: at,
    completedAt: at,
  };
}

export function redisBaseline(client: RedisClient, keys: LegacyKeys): HotPathOps {
  return {
    async userByEmail(email) {
      const id = await client.get(keys.userEmail(email.trim().toLowerCase()));
      const raw = id === null ? null : await client.get(keys.user(id));
      return raw === null ? 'none' : (JSON.parse(raw) as UserJson).id;
    },

    async orderWithItems(orderId) {
      const raw = await client.get(keys.order(orderId));
      const order = raw === null ? null : (JSON.parse(raw) as OrderJson);
      return fingerprint.order(order && { ...order, itemCount: order.items.length });
    },

    async productList() {
      const slugs = (await client.sMembers(keys.productsIndex())).sort();
      const raws = slugs.length === 0 ? [] : await client.mGet(slugs.map(keys.product));
      const products = raws.flatMap((raw) => (raw === null ? [] : [JSON.parse(raw) as ProductJson]));
      return fingerprint.products(products.map((p) => ({ variantStocks: variantStocks(p) })));
    },

    async checkout(orderId, scene) {
      const orderKey = keys.order(orderId);
      const userKey = keys.user(scene.userId);
      const slugs = [...new Set(scene.lines.map((l) => l.slug))];
      const watched = [orderKey, userKey, ...slugs.map(keys.product)];
      await client.watch(watched);
      const [existing, userRaw, ...productRaws] = await client.mGet(watched);
      if (existing !== null || userRaw === null || userRaw === undefined) {
        await client.unwatch();
        throw new Error(`baseline checkout ${orderId}: order exists or user missing`);
      }
      const products = new Map(
        slugs.map((slug, i) => [slug, JSON.parse(productRaws[i] ?? 'null') as ProductJson]),
      );
      for (const line of scene.lines) {
        const entry = products.get(line.slug)?.variantConfig?.variantData?.[line.variantId];
        if (!entry || (entry.stock ?? 0) < line.quantity) {
          await client.unwatch();
          throw new Error(`baseline checkout ${orderId}: insufficient stock of ${line.slug}`);
        }
        entry.stock = (entry.stock ?? 0) - line.quantity;
      }
      const at = new Date().toISOString();
      const order = orderJson(orderId, scene, at);
      const user = JSON.parse(userRaw) as UserJson;
      const earned = order.pointsEarned as number;
      const txId = randomUUID();
      const ledgerEntry = {
        id: txId,
        userId: user.id,
        amount: earned,
        type: 'earn',
        description: pointsDescription.earn(orderId),
        orderId,
        createdAt: at,
      };
      const multi = client
        .multi()
        .set(orderKey, JSON.stringify(order))
        .sAdd(keys.ordersIndex(), orderId)
        .lPush(keys.ordersUser(scene.userId), orderId);
      for (const [slug, product] of products) multi.set(keys.product(slug), JSON.stringify(product));
      multi
        .set(keys.pointsTransaction(txId), JSON.stringify(ledgerEntry))
        .lPush(keys.pointsUser(user.id), txId)
        .set(userKey, JSON.stringify({ ...user, points: user.points + earned, updatedAt: at }));
      await multi.exec();
      return fingerprint.checkout({
        status: 'completed',
        pointsEarned: earned,
        itemCount: scene.lines.length,
      });
    },
  };
}
