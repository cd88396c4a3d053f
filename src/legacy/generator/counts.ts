/**
 * How many entities a scale produces. Scale 1 is the real store of §10 (9 orders, 42 products,
 * 25 purchases, 4 refunds, 8 alcohol types, a few points transactions) with two deviations that
 * buy coverage: 2 users instead of 1 (one with a pre-index order, one who registered after
 * ordering as a guest) and 6 promotions instead of 1 (every type and every targeting mode). Every
 * further unit adds one slice of a grown store, about 1,000 keys, so the key count is linear in
 * the scale and `--scale 1000` gives about a million keys. Catalogue-like sets (alcohol types,
 * scents, oils, containers, wicks, static products) stay the same size at every scale.
 */
export interface EntityCounts {
  /** Registered users of the main flow (each with 0–6 orders, a ledger, maybe sessions/tokens). */
  users: number;
  /** Distinct guest e-mails of Stripe checkouts and guest test orders. */
  guestCustomers: number;
  manualSales: number;
  squareOrders: number;
  /** Products created in Redis by the admin (the static copies come on top). */
  nativeProducts: number;
  /** Static-catalogue slugs copied into Redis by `ensureLive` (of 15). */
  staticCopies: number;
  purchases: number;
  promotions: number;
  adminUsers: number;
  /** Entries ever pushed to `admin:logs` (only the newest 1000 survive the LTRIM). */
  adminLogEntries: number;
  webhookEvents: number;
  rateLimits: number;
  mobileUploads: number;
  adminSessions: number;
  legacyStockKeys: number;
}

export function entityCounts(scale: number): EntityCounts {
  const n = (base: number, perUnit: number) => base + Math.floor(perUnit * (scale - 1));
  return {
    users: n(2, 66),
    guestCustomers: n(2, 70),
    manualSales: n(2, 36),
    squareOrders: n(1, 64),
    nativeProducts: n(36, 3),
    staticCopies: 6,
    purchases: n(25, 25),
    promotions: n(6, 1),
    adminUsers: n(2, 0.01),
    adminLogEntries: n(40, 30),
    webhookEvents: n(3, 40),
    rateLimits: n(4, 4),
    mobileUploads: n(1, 0.5),
    adminSessions: n(1, 0.2),
    legacyStockKeys: 3,
  };
}
