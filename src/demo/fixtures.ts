/**
 * The demo's starting point, all in the legacy Redis store (stage `redis`, as before the migration):
 * the generated dataset, the demo's own admin (known password and TOTP secret, so the virtual admin
 * can log in), a few live tokens, and the ids the back-office reads pick from.
 */
import { randomBytes } from 'node:crypto';
import { bcryptHash } from '../api/bcrypt.js';
import type { RedisClient } from '../backends/redis/client.js';
import type { DataLayer } from '../domain/data-layer.js';
import { seedLegacyDataset } from '../legacy/generator/writer.js';
import type { SeedManifest } from '../legacy/generator/types.js';
import type { DemoAdmin } from './journeys.js';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * Seeds the legacy dataset. Edge cases are off: the §8 oddities (fractional stock, dangling index
 * ids…) are the backfill's and verify's tests; with them the legacy store's own product listing
 * fails, which would show the old app's failures, not the migration's.
 */
export async function seedDataset(
  redis: RedisClient,
  o: { scale: number; seed: string; prefix: string; now: Date },
): Promise<SeedManifest> {
  const now = new Date(o.now);
  now.setUTCMinutes(0, 0, 0);
  return seedLegacyDataset(
    redis,
    { scale: o.scale, seed: o.seed, prefix: o.prefix, now: now.toISOString(), edgeRate: 0, flush: false },
    () => undefined,
  );
}

/** Creates the demo's admin through the data layer (so it is a legacy record like any other). */
export async function createDemoAdmin(data: DataLayer, runTag: string): Promise<DemoAdmin> {
  const secret = Array.from(randomBytes(16), (b) => BASE32[b % 32]).join('');
  const admin: DemoAdmin = {
    email: `demo-admin.${runTag}@example.com`,
    password: randomBytes(18).toString('base64url'),
    totpSecret: secret,
  };
  await data.admin.create({
    email: admin.email,
    passwordHash: await bcryptHash(admin.password, 8),
    twoFactorSecret: secret,
    twoFactorBackupCodes: [],
    role: 'super_admin',
  });
  return admin;
}

/**
 * A delivery from the workshop before the doors open: every product the shop sells without variants
 * gets at least `level` units, so the customers' purchases spread over the whole catalogue instead
 * of queueing on the few products that still have stock. Returns how many products were restocked.
 */
export async function restockCatalogue(data: DataLayer, level: number): Promise<number> {
  let restocked = 0;
  for (const p of await data.products.list()) {
    const sellable =
      p.visibleOnWebsite !== false &&
      p.priceCents > 0 &&
      Object.keys(p.variantConfig?.variantData ?? {}).length === 0;
    if (!sellable || (p.stock ?? 0) >= level) continue;
    await data.products.setStock(p.slug, level);
    restocked++;
  }
  return restocked;
}

/** Ids of existing records, for reads the store API has no page for. */
export interface RecordIds {
  userIds: string[];
  emails: string[];
  orderIds: string[];
  productSlugs: string[];
  promotionIds: string[];
  promotionCodes: string[];
  refundIds: string[];
  adminIds: string[];
  alcoholTypeIds: string[];
  scentIds: string[];
  baseOilIds: string[];
  containerIds: string[];
  wickIds: string[];
  purchaseIds: string[];
  vendors: string[];
  months: string[];
  tokens: { reset: string[]; verify: string[]; invoice: string[] };
}

/** Collects ids (first pages are enough) and issues a few tokens of every kind. */
export async function collectRecordIds(data: DataLayer): Promise<RecordIds> {
  const users = (await data.users.list({ limit: 200 })).users;
  const orders = (await data.orders.list({ limit: 200 })).orders;
  const purchases = await data.purchases.list();
  const promotions = await data.promotions.list();
  const ids: RecordIds = {
    userIds: users.map((u) => u.id),
    emails: users.map((u) => u.email),
    orderIds: orders.map((o) => o.id),
    productSlugs: (await data.products.list()).map((p) => p.slug),
    promotionIds: promotions.map((p) => p.id),
    promotionCodes: promotions
      .map((p) => p.code)
      .filter((c): c is string => typeof c === 'string' && c !== ''),
    refundIds: (await data.refunds.list()).map((r) => r.id),
    adminIds: (await data.admin.list()).map((a) => a.id),
    alcoholTypeIds: (await data.alcoholTypes.list()).map((t) => t.id),
    scentIds: (await data.catalogue.scents.list()).map((s) => s.id),
    baseOilIds: (await data.catalogue.baseOils.list()).map((s) => s.id),
    containerIds: (await data.catalogue.containers.list()).map((s) => s.id),
    wickIds: (await data.catalogue.calculatorWicks.list()).map((s) => s.id),
    purchaseIds: purchases.map((p) => p.id),
    vendors: [...new Set(purchases.map((p) => p.vendorName))],
    months: [...new Set(purchases.map((p) => p.purchaseDate.slice(0, 7)))],
    tokens: { reset: [], verify: [], invoice: [] },
  };
  for (const userId of ids.userIds.slice(0, 3)) {
    ids.tokens.reset.push((await data.tokens.passwordReset.create(userId)).token);
    ids.tokens.verify.push((await data.tokens.emailVerification.create(userId)).token);
  }
  for (const order of orders.slice(0, 3)) {
    ids.tokens.invoice.push((await data.tokens.invoice.create(order.id, order.email)).token);
  }
  return ids;
}
