/**
 * One arbitrary per legacy key family: the decoded value of each string family and of one member of each
 * set/list family, plus a tagged `LegacyValue` generator for the dispatcher.
 */
import fc from 'fast-check';
import type { LegacyValue } from '../../../src/legacy/codecs/dispatch.js';
import type {
  LegacyMemberValues,
  LegacyStringValues,
  MemberFamily,
  StringFamily,
} from '../../../src/legacy/codecs/families.js';
import * as at from './admin-tokens.js';
import * as cat from './catalogue.js';
import { anyText, email, hex64, memberId, slug, uuid, wholeNumber } from './primitives.js';
import * as money from './money.js';
import * as products from './products.js';
import * as rec from './records.js';

export const STRING_VALUE_ARBITRARIES: { [F in StringFamily]: fc.Arbitrary<LegacyStringValues[F]> } = {
  user: rec.user,
  // A plain-string value: any text, including text that looks like JSON.
  userEmail: fc.oneof(uuid, anyText),
  pointsTransaction: rec.pointsTransaction,
  order: rec.order,
  refund: rec.refund,
  product: products.product,
  purchase: money.purchase,
  promotion: money.promotion,
  alcoholType: products.alcoholType,
  scent: cat.scent,
  baseOil: cat.baseOil,
  container: cat.container,
  calculatorSettings: cat.calculatorSettings,
  calculatorWick: cat.calculatorWick,
  adminUser: at.adminUser,
  tiktokToken: at.tiktokToken,
  admin2faSecret: fc.oneof(at.base32Secret, anyText),
  admin2faBackupCodes: at.backupCodes,
  legacyStock: wholeNumber,
  userSession: at.userSession,
  adminSession: at.adminSession,
  passwordReset: at.userToken,
  passwordResetUser: fc.oneof(hex64, anyText),
  emailVerify: at.userToken,
  invoiceToken: at.invoiceToken,
  mobileUpload: at.mobileUpload,
  webhookEvent: fc.constant(true as const),
  rateLimitLogin: fc.nat({ max: 1000 }),
};

export const MEMBER_VALUE_ARBITRARIES: { [F in MemberFamily]: fc.Arbitrary<LegacyMemberValues[F]> } = {
  usersIndex: memberId,
  pointsUser: memberId,
  ordersIndex: memberId,
  ordersUser: memberId,
  ordersGuest: memberId,
  orderRefunds: memberId,
  refundsIndex: memberId,
  productsIndex: fc.oneof(slug, memberId),
  purchasesIndex: memberId,
  purchasesVendor: memberId,
  purchasesDate: memberId,
  promotionsIndex: memberId,
  alcoholTypesIndex: memberId,
  scentsIndex: memberId,
  baseOilsIndex: memberId,
  containersIndex: memberId,
  calculatorWicksIndex: memberId,
  adminUsersIndex: fc.oneof(uuid, email, memberId),
  adminLogs: at.adminLogEntry,
};

/** A decoded value of any string family, tagged with its family. */
export const legacyValue: fc.Arbitrary<LegacyValue> = fc.oneof(
  ...(Object.keys(STRING_VALUE_ARBITRARIES) as StringFamily[]).map((family) =>
    (STRING_VALUE_ARBITRARIES[family] as fc.Arbitrary<unknown>).map(
      (value) => ({ family, value }) as LegacyValue,
    ),
  ),
);
