/**
 * Every legacy Redis key of the store (legacy-redis-format.md §2, 47 patterns), built in one place.
 * No other module writes a key string by hand. `prefix` is prepended to every key: empty for the
 * store's real data, unique per run for tests and side-by-side datasets.
 */

/** The 47 key families of §2, numbered as in the spec. */
export const KEY_FAMILIES = [
  'user', // 1
  'userEmail', // 2
  'usersIndex', // 3
  'pointsTransaction', // 4
  'pointsUser', // 5
  'order', // 6
  'ordersIndex', // 7
  'ordersUser', // 8
  'ordersGuest', // 9
  'orderRefunds', // 10
  'refund', // 11
  'refundsIndex', // 12
  'product', // 13
  'productsIndex', // 14
  'purchase', // 15
  'purchasesIndex', // 16
  'purchasesVendor', // 17
  'purchasesDate', // 18
  'promotion', // 19
  'promotionsIndex', // 20
  'alcoholType', // 21
  'alcoholTypesIndex', // 22
  'scent', // 23
  'scentsIndex', // 24
  'baseOil', // 25
  'baseOilsIndex', // 26
  'container', // 27
  'containersIndex', // 28
  'calculatorSettings', // 29
  'calculatorWick', // 30
  'calculatorWicksIndex', // 31
  'adminUser', // 32
  'adminUsersIndex', // 33
  'adminLogs', // 34
  'tiktokToken', // 35
  'admin2faSecret', // 36
  'admin2faBackupCodes', // 37
  'legacyStock', // 38
  'userSession', // 39
  'adminSession', // 40
  'passwordReset', // 41
  'passwordResetUser', // 42
  'emailVerify', // 43
  'invoiceToken', // 44
  'mobileUpload', // 45
  'webhookEvent', // 46
  'rateLimitLogin', // 47
] as const;

export type KeyFamily = (typeof KEY_FAMILIES)[number];

/** Redis type of each family's keys (§2): which command reads it (GET, SMEMBERS or LRANGE). */
export const KEY_REDIS_TYPE: Record<KeyFamily, 'string' | 'set' | 'list'> = {
  user: 'string',
  userEmail: 'string',
  usersIndex: 'set',
  pointsTransaction: 'string',
  pointsUser: 'list',
  order: 'string',
  ordersIndex: 'set',
  ordersUser: 'list',
  ordersGuest: 'list',
  orderRefunds: 'set',
  refund: 'string',
  refundsIndex: 'set',
  product: 'string',
  productsIndex: 'set',
  purchase: 'string',
  purchasesIndex: 'set',
  purchasesVendor: 'set',
  purchasesDate: 'set',
  promotion: 'string',
  promotionsIndex: 'set',
  alcoholType: 'string',
  alcoholTypesIndex: 'set',
  scent: 'string',
  scentsIndex: 'set',
  baseOil: 'string',
  baseOilsIndex: 'set',
  container: 'string',
  containersIndex: 'set',
  calculatorSettings: 'string',
  calculatorWick: 'string',
  calculatorWicksIndex: 'set',
  adminUser: 'string',
  adminUsersIndex: 'set',
  adminLogs: 'list',
  tiktokToken: 'string',
  admin2faSecret: 'string',
  admin2faBackupCodes: 'string',
  legacyStock: 'string',
  userSession: 'string',
  adminSession: 'string',
  passwordReset: 'string',
  passwordResetUser: 'string',
  emailVerify: 'string',
  invoiceToken: 'string',
  mobileUpload: 'string',
  webhookEvent: 'string',
  rateLimitLogin: 'string',
};

/** TTLs (seconds) the store sets with `SET … EX` (§2b). */
export const LEGACY_TTL = {
  userSession: 2_592_000,
  adminSession: 604_800,
  passwordReset: 3600,
  passwordResetUser: 3600,
  emailVerify: 86_400,
  invoiceToken: 2_592_000,
  mobileUpload: 300,
  webhookEvent: 604_800,
  rateLimitLogin: 900,
} as const;

export type LegacyKeys = ReturnType<typeof legacyKeys>;

/** Key builders for one base prefix. */
export function legacyKeys(prefix = '') {
  const k = (s: string) => `${prefix}${s}`;
  return {
    prefix,
    user: (userId: string) => k(`user:${userId}`),
    userEmail: (email: string) => k(`user:email:${email}`),
    usersIndex: () => k('users:index'),
    pointsTransaction: (txId: string) => k(`points:transaction:${txId}`),
    pointsUser: (userId: string) => k(`points:user:${userId}`),
    order: (orderId: string) => k(`order:${orderId}`),
    ordersIndex: () => k('orders:index'),
    ordersUser: (userId: string) => k(`orders:user:${userId}`),
    /** The store lower-cases the e-mail **without** trimming it (§2a #9). Pass it as stored. */
    ordersGuest: (emailLower: string) => k(`orders:guest:${emailLower}`),
    orderRefunds: (orderId: string) => k(`order:${orderId}:refunds`),
    refund: (refundId: string) => k(`refund:${refundId}`),
    refundsIndex: () => k('refunds:index'),
    product: (slug: string) => k(`product:${slug}`),
    productsIndex: () => k('products:index'),
    purchase: (purchaseId: string) => k(`purchase:${purchaseId}`),
    purchasesIndex: () => k('purchases:index'),
    /** `vendorName.toLowerCase()`; spaces kept. */
    purchasesVendor: (vendorLower: string) => k(`purchases:vendor:${vendorLower}`),
    /** First 7 characters of `purchaseDate`. */
    purchasesDate: (yearMonth: string) => k(`purchases:date:${yearMonth}`),
    promotion: (promotionId: string) => k(`promotion:${promotionId}`),
    promotionsIndex: () => k('promotions:index'),
    alcoholType: (id: string) => k(`alcohol-type:${id}`),
    alcoholTypesIndex: () => k('alcohol-types:index'),
    scent: (scentId: string) => k(`global:scents:${scentId}`),
    scentsIndex: () => k('global:scents:index'),
    baseOil: (oilId: string) => k(`global:base_oils:${oilId}`),
    baseOilsIndex: () => k('global:base_oils:index'),
    container: (containerId: string) => k(`containers:${containerId}`),
    containersIndex: () => k('containers:index'),
    calculatorSettings: () => k('calculator:settings'),
    calculatorWick: (wickId: string) => k(`calculator:wicks:${wickId}`),
    calculatorWicksIndex: () => k('calculator:wicks:index'),
    adminUser: (adminId: string) => k(`admin:user:${adminId}`),
    adminUsersIndex: () => k('admin:users:index'),
    adminLogs: () => k('admin:logs'),
    tiktokToken: () => k('tiktok:shop:token'),
    admin2faSecret: () => k('admin:2fa:secret'),
    admin2faBackupCodes: () => k('admin:2fa:backup_codes'),
    legacyStock: (slug: string) => k(`stock:${slug}`),
    userSession: (token: string) => k(`user:session:${token}`),
    adminSession: (sessionId: string) => k(`admin:session:${sessionId}`),
    passwordReset: (token: string) => k(`password:reset:${token}`),
    passwordResetUser: (userId: string) => k(`password:reset:user:${userId}`),
    emailVerify: (token: string) => k(`email:verify:${token}`),
    invoiceToken: (token: string) => k(`invoice:token:${token}`),
    mobileUpload: (token: string) => k(`mobile:upload:${token}`),
    webhookEvent: (eventId: string) => k(`webhook:event:${eventId}`),
    /** `{ip}` is whatever the store used: the raw `x-forwarded-for` header, `x-real-ip` or `unknown`. */
    rateLimitLogin: (ip: string) => k(`rate_limit:login:${ip}`),
    /** SCAN pattern matching every key under this prefix. */
    all: () => `${escapeGlob(prefix)}*`,
    /** SCAN pattern for the record keys of a family that has an id (e.g. `order:*`). */
    scanPattern: (family: KeyFamily) => `${escapeGlob(prefix)}${SCAN_PATTERNS[family]}`,
  };
}

/** SCAN (glob) patterns per family, before the prefix. Over-broad ones are narrowed by `classifyKey`. */
const SCAN_PATTERNS: Record<KeyFamily, string> = {
  user: 'user:*',
  userEmail: 'user:email:*',
  usersIndex: 'users:index',
  pointsTransaction: 'points:transaction:*',
  pointsUser: 'points:user:*',
  order: 'order:*',
  ordersIndex: 'orders:index',
  ordersUser: 'orders:user:*',
  ordersGuest: 'orders:guest:*',
  orderRefunds: 'order:*:refunds',
  refund: 'refund:*',
  refundsIndex: 'refunds:index',
  product: 'product:*',
  productsIndex: 'products:index',
  purchase: 'purchase:*',
  purchasesIndex: 'purchases:index',
  purchasesVendor: 'purchases:vendor:*',
  purchasesDate: 'purchases:date:*',
  promotion: 'promotion:*',
  promotionsIndex: 'promotions:index',
  alcoholType: 'alcohol-type:*',
  alcoholTypesIndex: 'alcohol-types:index',
  scent: 'global:scents:*',
  scentsIndex: 'global:scents:index',
  baseOil: 'global:base_oils:*',
  baseOilsIndex: 'global:base_oils:index',
  container: 'containers:*',
  containersIndex: 'containers:index',
  calculatorSettings: 'calculator:settings',
  calculatorWick: 'calculator:wicks:*',
  calculatorWicksIndex: 'calculator:wicks:index',
  adminUser: 'admin:user:*',
  adminUsersIndex: 'admin:users:index',
  adminLogs: 'admin:logs',
  tiktokToken: 'tiktok:shop:token',
  admin2faSecret: 'admin:2fa:secret',
  admin2faBackupCodes: 'admin:2fa:backup_codes',
  legacyStock: 'stock:*',
  userSession: 'user:session:*',
  adminSession: 'admin:session:*',
  passwordReset: 'password:reset:*',
  passwordResetUser: 'password:reset:user:*',
  emailVerify: 'email:verify:*',
  invoiceToken: 'invoice:token:*',
  mobileUpload: 'mobile:upload:*',
  webhookEvent: 'webhook:event:*',
  rateLimitLogin: 'rate_limit:login:*',
};

function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

export type ClassifiedKey =
  | { family: KeyFamily; id: string | undefined; key: string }
  | { family: 'unknown'; id: undefined; key: string; reason: string };

/** Keys without an id, by their text after the prefix. A Map, so `constructor` & co. are not hits. */
const EXACT_KEYS = new Map<string, KeyFamily>([
  ['users:index', 'usersIndex'],
  ['orders:index', 'ordersIndex'],
  ['refunds:index', 'refundsIndex'],
  ['products:index', 'productsIndex'],
  ['purchases:index', 'purchasesIndex'],
  ['promotions:index', 'promotionsIndex'],
  ['alcohol-types:index', 'alcoholTypesIndex'],
  ['global:scents:index', 'scentsIndex'],
  ['global:base_oils:index', 'baseOilsIndex'],
  ['containers:index', 'containersIndex'],
  ['calculator:settings', 'calculatorSettings'],
  ['calculator:wicks:index', 'calculatorWicksIndex'],
  ['admin:users:index', 'adminUsersIndex'],
  ['admin:logs', 'adminLogs'],
  ['tiktok:shop:token', 'tiktokToken'],
  ['admin:2fa:secret', 'admin2faSecret'],
  ['admin:2fa:backup_codes', 'admin2faBackupCodes'],
]);

/** Families keyed by an id after a fixed prefix; longer prefixes first so `user:email:` wins over `user:`. */
const PREFIXED_KEYS: readonly (readonly [string, KeyFamily])[] = [
  ['user:email:', 'userEmail'],
  ['user:session:', 'userSession'],
  ['points:transaction:', 'pointsTransaction'],
  ['points:user:', 'pointsUser'],
  ['orders:user:', 'ordersUser'],
  ['orders:guest:', 'ordersGuest'],
  ['purchases:vendor:', 'purchasesVendor'],
  ['purchases:date:', 'purchasesDate'],
  ['password:reset:user:', 'passwordResetUser'],
  ['password:reset:', 'passwordReset'],
  ['email:verify:', 'emailVerify'],
  ['invoice:token:', 'invoiceToken'],
  ['mobile:upload:', 'mobileUpload'],
  ['webhook:event:', 'webhookEvent'],
  ['rate_limit:login:', 'rateLimitLogin'],
  ['admin:session:', 'adminSession'],
  ['admin:user:', 'adminUser'],
  ['global:scents:', 'scent'],
  ['global:base_oils:', 'baseOil'],
  ['calculator:wicks:', 'calculatorWick'],
  ['containers:', 'container'],
  ['alcohol-type:', 'alcoholType'],
  ['promotion:', 'promotion'],
  ['purchase:', 'purchase'],
  ['product:', 'product'],
  ['refund:', 'refund'],
  ['stock:', 'legacyStock'],
  ['user:', 'user'],
];

/**
 * Says which family a key (as SCAN returns it, prefix included) belongs to, and the id it carries.
 * Handles the collisions of §2c: `order:{id}:refunds` vs `order:{id}`; `user:email:` and
 * `user:session:` vs `user:{uuid}`; `password:reset:user:` vs `password:reset:{token}`; and an
 * `…:index` key, which is always the index, never a record whose id is `index`. An empty id is kept
 * (an alcohol type named only with symbols has the id `""`, §3).
 */
export function classifyKey(key: string, prefix = ''): ClassifiedKey {
  const unknown = (reason: string): ClassifiedKey => ({ family: 'unknown', id: undefined, key, reason });
  if (!key.startsWith(prefix)) return unknown(`does not start with the prefix "${prefix}"`);
  const k = key.slice(prefix.length);
  const exact = EXACT_KEYS.get(k);
  if (exact) return { family: exact, id: undefined, key };

  // Order ids never contain ':' (§2c), so `order:{id}:refunds` is the refund set.
  if (k.startsWith('order:')) {
    const rest = k.slice('order:'.length);
    const refundsOf = rest.endsWith(':refunds') ? rest.slice(0, -':refunds'.length) : undefined;
    if (refundsOf !== undefined && !refundsOf.includes(':'))
      return { family: 'orderRefunds', id: refundsOf, key };
    if (!rest.includes(':')) return { family: 'order', id: rest, key };
    return unknown('order key with an unexpected ":" in its id');
  }
  for (const [p, family] of PREFIXED_KEYS) {
    if (!k.startsWith(p)) continue;
    const id = k.slice(p.length);
    if (family === 'user' && id.includes(':')) return unknown('user key with an unknown second segment');
    // User ids are UUIDs and reset tokens hex, so these are the other family's key cut short.
    if (
      (family === 'user' && (id === 'email' || id === 'session')) ||
      (family === 'passwordReset' && id === 'user')
    ) {
      return unknown(`"${k}" names a key family but has no id`);
    }
    return { family, id, key };
  }
  return unknown('matches none of the 47 legacy key patterns');
}
