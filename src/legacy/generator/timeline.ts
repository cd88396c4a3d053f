/**
 * The store's schema-drift timeline (legacy-redis-format.md §9), in epoch milliseconds. Each
 * generated record gets the fields its creation date allows, so older records lack later fields
 * exactly as in the real data. Where the spec gives only a day, a plausible time of day is used.
 */
const t = (iso: string) => Date.parse(iso);

export const T = {
  /** 1c742c0: products and `products:index`. */
  products: t('2025-10-13T18:00:00.000Z'),
  /** 8833d7b: users, sessions, points ledger, user-only orders with `floor` points. */
  users: t('2025-11-28T16:00:00.000Z'),
  /** 97c1a20: admin test orders. */
  testOrders: t('2025-12-01T18:00:00.000Z'),
  /** b445783: `isGuest`, guest orders and lists, `round` points, invoice tokens. */
  guests: t('2025-12-03T15:00:00.000Z'),
  /** eeb1a79: `orders:index` and `manual-` sale ids (exact time from the spec). */
  ordersIndex: t('2025-12-03T19:45:00.000Z'),
  /** 12304fe / b68be25: multi-admin, JSON admin sessions, scent `limited`, stripe-sync. */
  multiAdmin: t('2025-12-04T17:00:00.000Z'),
  /** 9322304: manual sale ids become `MS…`. */
  msIds: t('2025-12-05T16:00:00.000Z'),
  /** 5ce7dfd: promotions. */
  promotions: t('2025-12-06T12:00:00.000Z'),
  /** fec6549: subtotal/shipping/tax on orders; points based on the subtotal. Purchases too. */
  subtotals: t('2025-12-11T12:00:00.000Z'),
  /** 74b7a94: webhook markers; bcrypt cost 12 at signup. */
  bcrypt12: t('2025-12-12T12:00:00.000Z'),
  /** a12245a → fedda14: refund deductions typed `adjustment` (a six-minute window). */
  adjustmentFrom: t('2025-12-16T14:50:00.000Z'),
  adjustmentTo: t('2025-12-16T14:56:00.000Z'),
  /** 2d8ed3d: `paymentMethod` and `notes` on manual sales; refunds exist from here on. */
  payments: t('2025-12-16T14:40:00.000Z'),
  /** 63505e5: Square orders. */
  square: t('2025-12-17T18:00:00.000Z'),
  /** 4ebdaf7: Square tax. */
  squareTax: t('2025-12-17T21:09:00.000Z'),
  /** a3edfcc: Square item `variantId`. */
  squareVariant: t('2025-12-17T21:51:00.000Z'),
  /** 661eb46: `shippingAddress` and `phone` on Stripe webhook orders (exact time from the spec). */
  shipping: t('2025-12-18T21:40:00.000Z'),
  /** The Redis-era backup: optional tracking / shipping-status fields on orders. */
  shippingStatus: t('2025-12-19T00:00:00.000Z'),
} as const;

/** `--now` must not be earlier than this: every source and field of the spec exists by then. */
export const MIN_NOW = T.shippingStatus;

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** `YYYY-MM-DD` of an instant (UTC). */
export function ymd(ms: number): string {
  return iso(ms).slice(0, 10);
}
