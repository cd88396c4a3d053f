import { describe, expect, it } from 'vitest';
import { isMemberFamily, isStringFamily } from '../../src/legacy/codecs/families.js';
import {
  classifyKey,
  KEY_FAMILIES,
  KEY_REDIS_TYPE,
  type KeyFamily,
  legacyKeys,
} from '../../src/legacy/keys.js';

const UUID = '5b0f6c1e-8d2a-4c3b-9e4f-1a2b3c4d5e6f';
const HEX = 'a3f1c2d4e5b60718293a4b5c6d7e8f90123456789abcdef0fedcba9876543210';

/** A realistic id for every family that has one (§3); `undefined` for the fixed keys. */
const EXAMPLE_IDS: Record<KeyFamily, string | undefined> = {
  user: UUID,
  userEmail: 'jane.doe+candles@example.com',
  usersIndex: undefined,
  pointsTransaction: UUID,
  pointsUser: UUID,
  order: 'cs_live_a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuVwXyZ',
  ordersIndex: undefined,
  ordersUser: UUID,
  ordersGuest: ' mixed.case@example.com ',
  orderRefunds: 'SQ7H2K9PXQ4M3N8B1',
  refund: UUID,
  refundsIndex: undefined,
  product: 'titos-candle',
  productsIndex: undefined,
  purchase: UUID,
  purchasesIndex: undefined,
  purchasesVendor: 'home depot',
  purchasesDate: '2025-12',
  promotion: 'promo_1733500000000_k2j4h',
  promotionsIndex: undefined,
  alcoholType: 'vodka',
  alcoholTypesIndex: undefined,
  scent: 'cinnamon-spice',
  scentsIndex: undefined,
  baseOil: 'vanilla_base',
  baseOilsIndex: undefined,
  container: 'tito_750',
  containersIndex: undefined,
  calculatorSettings: undefined,
  calculatorWick: 'wood_30mm',
  calculatorWicksIndex: undefined,
  adminUser: UUID,
  adminUsersIndex: undefined,
  adminLogs: undefined,
  tiktokToken: undefined,
  admin2faSecret: undefined,
  admin2faBackupCodes: undefined,
  legacyStock: 'titos-candle',
  userSession: HEX,
  adminSession: UUID,
  passwordReset: HEX,
  passwordResetUser: UUID,
  emailVerify: HEX,
  invoiceToken: HEX,
  mobileUpload: HEX,
  webhookEvent: 'evt_1QAbCdEfGhIjKlMn',
  rateLimitLogin: '203.0.113.9, 10.0.0.1',
};

function build(prefix: string, family: KeyFamily, id: string | undefined): string {
  const builder = legacyKeys(prefix)[family] as (id?: string) => string;
  return builder(id);
}

describe('classifyKey', () => {
  it('knows exactly the 47 families of the spec', () => {
    expect(KEY_FAMILIES).toHaveLength(47);
    expect(new Set(KEY_FAMILIES).size).toBe(47);
  });

  for (const prefix of ['', 't:0badcafe:1234abcd:']) {
    describe(prefix === '' ? 'without a prefix' : 'with a test prefix', () => {
      it.each(KEY_FAMILIES)('classifies a %s key built by its own builder', (family) => {
        const id = EXAMPLE_IDS[family];
        const key = build(prefix, family, id);
        expect(key.startsWith(prefix)).toBe(true);
        expect(classifyKey(key, prefix)).toEqual({ family, id, key });
      });
    });
  }

  it('tells order:{id}:refunds (a set) from order:{id} (a record)', () => {
    const k = legacyKeys();
    expect(classifyKey(k.orderRefunds('MS0123'))).toMatchObject({ family: 'orderRefunds', id: 'MS0123' });
    expect(classifyKey(k.order('MS0123'))).toMatchObject({ family: 'order', id: 'MS0123' });
    // An order whose id is literally "refunds" is still an order.
    expect(classifyKey('order:refunds')).toMatchObject({ family: 'order', id: 'refunds' });
  });

  it('tells the three user:* families apart by their second segment', () => {
    const k = legacyKeys();
    expect(classifyKey(k.userEmail('a@b.co'))).toMatchObject({ family: 'userEmail', id: 'a@b.co' });
    expect(classifyKey(k.userSession(HEX))).toMatchObject({ family: 'userSession', id: HEX });
    expect(classifyKey(k.user(UUID))).toMatchObject({ family: 'user', id: UUID });
  });

  it('tells password:reset:user:{uuid} from password:reset:{hex}', () => {
    const k = legacyKeys();
    expect(classifyKey(k.passwordResetUser(UUID))).toMatchObject({ family: 'passwordResetUser', id: UUID });
    expect(classifyKey(k.passwordReset(HEX))).toMatchObject({ family: 'passwordReset', id: HEX });
  });

  it.each([
    ['scent', 'scentsIndex'],
    ['baseOil', 'baseOilsIndex'],
    ['container', 'containersIndex'],
    ['calculatorWick', 'calculatorWicksIndex'],
  ] as const)('treats a %s with the id "index" as the index set (%s), never as a record', (record, index) => {
    const key = build('p:', record, 'index');
    expect(classifyKey(key, 'p:')).toEqual({ family: index, id: undefined, key });
    // A neighbouring id is an ordinary record.
    expect(classifyKey(build('p:', record, 'index-2'), 'p:')).toMatchObject({
      family: record,
      id: 'index-2',
    });
  });

  it('keeps an empty id: an alcohol type named only with symbols has the id "" (§3)', () => {
    expect(classifyKey(legacyKeys().alcoholType(''))).toMatchObject({ family: 'alcoholType', id: '' });
  });

  it('keeps ids that contain ":" where the spec allows it (IPv6 rate-limit keys)', () => {
    expect(classifyKey(legacyKeys().rateLimitLogin('2001:db8::1'))).toMatchObject({
      family: 'rateLimitLogin',
      id: '2001:db8::1',
    });
  });

  it.each([
    ['global:reviews:abc', 'matches none'],
    ['orders:archive', 'matches none'],
    ['order:cs_1:items', 'unexpected ":"'],
    ['user:abc:def', 'unknown second segment'],
    ['user:email', 'has no id'],
    ['user:session', 'has no id'],
    ['password:reset:user', 'has no id'],
    ['constructor', 'matches none'],
    ['toString', 'matches none'],
    ['__proto__', 'matches none'],
  ])('reports %s as unknown with a reason', (key, reason) => {
    const result = classifyKey(key);
    expect(result.family).toBe('unknown');
    expect(result.family === 'unknown' && result.reason).toContain(reason);
  });

  it('reports a key outside the prefix as unknown', () => {
    const result = classifyKey(legacyKeys().user(UUID), 't:1:');
    expect(result).toMatchObject({ family: 'unknown', reason: 'does not start with the prefix "t:1:"' });
  });

  it('gives every family the Redis type its codec expects', () => {
    for (const family of KEY_FAMILIES) {
      expect(isStringFamily(family), family).toBe(KEY_REDIS_TYPE[family] === 'string');
      expect(isMemberFamily(family), family).toBe(KEY_REDIS_TYPE[family] !== 'string');
    }
    expect(KEY_REDIS_TYPE.ordersUser).toBe('list');
    expect(KEY_REDIS_TYPE.orderRefunds).toBe('set');
    expect(KEY_REDIS_TYPE.adminLogs).toBe('list');
  });
});
