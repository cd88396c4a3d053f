/**
 * Planted §8 cases in purchases (§4.5), promotions (§4.6) and tokens (§8.22): fractional cents,
 * nulls, extra keys, duplicate lines and codes, case variants, a malformed purchase date, unindexed
 * records, dangling index members, and expired-but-present tokens.
 */
import type { GenContext } from './context.js';
import { edgeUserTag } from './edge-orders.js';
import { emailVerify, invoiceToken, mobileUpload, passwordReset } from './ephemeral.js';
import { buildPromotion, emitPromotion } from './promotions.js';
import { buildPurchase, emitPurchase, type PurchaseVariant } from './purchases.js';
import { HOUR, MINUTE } from './timeline.js';
import { userIdentity } from './user-orders.js';

const PURCHASE_CASES: [Parameters<GenContext['edge']>[0], string, PurchaseVariant][] = [
  [
    'fractional-value',
    'fractional item quantity, so subtotal and total are fractional cents',
    { fractional: true },
  ],
  ['null-field', 'receiptImageUrl null (PATCH)', { receipt: null }],
  ['null-field', 'receiptImageUrl "" (PATCH)', { receipt: '' }],
  ['unknown-extra-key', 'item with client keys id and lineTotal', { extraItemKey: true }],
  ['uniqueness-conflict', 'two identical item lines', { identicalLines: true }],
  [
    'case-whitespace',
    'vendorName "amazon" shares purchases:vendor:amazon with "Amazon"',
    { vendor: 'amazon' },
  ],
  [
    'legacy-shape',
    'purchaseDate "25-12-01" from a two-digit CSV year (date index "25-12-0")',
    { purchaseDate: '25-12-01' },
  ],
];

export function edgePurchases(ctx: GenContext): void {
  const { keys } = ctx;
  const q = ctx.quota(ctx.counts.purchases, 0.25);
  for (let k = 0; k < q; k++) {
    for (const [c, [kind, note, v]] of PURCHASE_CASES.entries()) {
      ctx.edge(kind, emitPurchase(ctx, buildPurchase(ctx, ctx.rng('edge-purchase', c, k), v)), note);
    }
    const lost = emitPurchase(ctx, buildPurchase(ctx, ctx.rng('edge-purchase-lost', k)), false);
    ctx.edge('unindexed-record', lost, 'purchase missing from all three purchase indexes');
    const ghost = ctx.rng('edge-purchase-ghost', k).uuid();
    ctx.index.add('purchasesIndex', keys.purchasesIndex(), ghost);
    ctx.index.add('purchasesVendor', keys.purchasesVendor('uline'), ghost);
    ctx.index.add('purchasesDate', keys.purchasesDate('2025-12'), ghost);
    for (const key of [keys.purchasesIndex(), keys.purchasesVendor('uline'), keys.purchasesDate('2025-12')]) {
      ctx.edge('dangling-index-id', key, `purchase ${ghost} has no record`);
    }
  }
  ctx.index.flush();
}

export function edgePromotions(ctx: GenContext): void {
  const { keys, counts } = ctx;
  const q = ctx.quota(counts.promotions, 0.5);
  const firstCode = buildPromotion(ctx, ctx.rng('promotion', 0), 0).code as string;
  for (let k = 0; k < q; k++) {
    const at = (c: number) => counts.promotions + k * 10 + c;
    const plant = (
      c: number,
      kind: Parameters<GenContext['edge']>[0],
      note: string,
      v: Parameters<typeof buildPromotion>[3],
      index = true,
    ) =>
      ctx.edge(
        kind,
        emitPromotion(ctx, buildPromotion(ctx, ctx.rng('edge-promotion', c, k), at(c), v), index),
        note,
      );
    plant(0, 'uniqueness-conflict', `code ${firstCode} duplicated by a PATCH`, { code: firstCode });
    plant(1, 'case-whitespace', 'code lower-cased by a PATCH', { code: `summer${k + 1}` });
    plant(2, 'null-field', 'description, maxRedemptions and expiresAt null', { nulls: true });
    plant(3, 'unknown-extra-key', 'discountType / discountValue from a client draft', { extraKey: true });
    plant(4, 'fractional-value', 'discountPercent 12.5 (parseFloat)', { fractionalPercent: true });
    plant(5, 'dangling-product-ref', 'applicableProductSlugs names a deleted product', {
      danglingSlug: 'retired-mezcal-candle',
    });
    plant(6, 'dangling-user-ref', 'targetUserIds names a deleted user', {
      danglingUserId: ctx.rng('edge-promo-user', k).uuid(),
    });
    plant(7, 'unindexed-record', 'promotion missing from promotions:index', {}, false);
    const ghost = `promo_${1765000000000 + k}_${ctx.rng('edge-promo-ghost', k).base36(5)}`;
    ctx.index.add('promotionsIndex', keys.promotionsIndex(), ghost);
    ctx.edge('dangling-index-id', keys.promotionsIndex(), `promotion ${ghost} has no record`);
  }
  ctx.index.flush();
}

/** Expired-but-present tokens (§8.22): `expiresAt` in the past, a small TTL still left. */
export function edgeTokens(ctx: GenContext): void {
  const q = ctx.quota(ctx.counts.users, 0.1);
  for (let k = 0; k < q; k++) {
    const rng = ctx.rng('edge-token', k);
    // A planted user: planted users get no natural reset token, so the pointer key stays unique.
    const owner = userIdentity(ctx, edgeUserTag('mismatch', k));
    ctx.edge(
      'expired-token',
      passwordReset(ctx, rng, owner, ctx.nowMs - HOUR - 5 * MINUTE, 300),
      'expiresAt 5 min ago, key still present',
    );
    ctx.edge(
      'expired-token',
      emailVerify(ctx, rng, owner, ctx.nowMs - 25 * HOUR, 600),
      'expiresAt 1 h ago, key still present',
    );
    const order = {
      id: `MS${rng.hex(32).toUpperCase()}`,
      email: owner.email,
      createdMs: ctx.nowMs - 31 * 86_400_000,
    };
    const inv = invoiceToken(ctx, rng, order, ctx.nowMs - 30 * 86_400_000 - 10 * MINUTE, 240);
    ctx.edge('expired-token', inv, 'expiresAt 10 min ago, key still present');
    ctx.edge('dangling-order-ref', inv, `invoice token for order ${order.id}, which does not exist`);
    ctx.edge(
      'expired-token',
      mobileUpload(ctx, rng, ctx.nowMs - 9 * MINUTE, 200),
      'expiresAt 4 min ago; TTL refreshed by a later upload',
    );
  }
  const legacy = ctx.rng('edge-admin-session').uuid();
  if (ctx.planting) {
    // Only possible with ADMIN_SESSION_TTL_SECONDS near 30 d; planted regardless of --now.
    ctx.out.set('adminSession', ctx.keys.adminSession(legacy), '1', 3600);
    ctx.edge('legacy-shape', ctx.keys.adminSession(legacy), 'admin session with the pre-2025-12-04 value 1');
  }
}
