/**
 * Which codec decodes which key family: one entry per family of `KEY_FAMILIES` (47), split into the
 * families whose value is one Redis string and those that are sets or lists of members.
 */
import type { AdminLogEntry, AdminSessionValue, AdminUser } from '../../domain/admin.js';
import type { AlcoholType } from '../../domain/alcohol-type.js';
import type {
  BaseFragranceOil,
  CalculatorSettings,
  CalculatorWickType,
  Container,
  GlobalScent,
} from '../../domain/catalogue.js';
import type { Order } from '../../domain/order.js';
import type { PointsTransaction } from '../../domain/points.js';
import type { Product } from '../../domain/product.js';
import type { Promotion } from '../../domain/promotion.js';
import type { Purchase } from '../../domain/purchase.js';
import type { Refund } from '../../domain/refund.js';
import type {
  EmailVerificationToken,
  InvoiceAccessToken,
  MobileUploadSession,
  PasswordResetToken,
  TikTokShopTokens,
  UserSession,
} from '../../domain/tokens.js';
import type { User } from '../../domain/user.js';
import type { KeyFamily } from '../keys.js';
import * as admin from './admin.js';
import { alcoholTypeValue } from './alcohol-type.js';
import * as catalogue from './catalogue.js';
import { orderValue } from './order.js';
import { pointsTransactionValue } from './points.js';
import { legacyStockValue, productValue } from './product.js';
import { promotionValue } from './promotion.js';
import { purchaseValue } from './purchase.js';
import { refundValue } from './refund.js';
import * as tokens from './tokens.js';
import { userEmailValue, userValue } from './user.js';
import { plainText, type ValueCodec } from './value.js';

/** Domain value of each family stored as one Redis string. */
export interface LegacyStringValues {
  user: User;
  userEmail: string;
  pointsTransaction: PointsTransaction;
  order: Order;
  refund: Refund;
  product: Product;
  purchase: Purchase;
  promotion: Promotion;
  alcoholType: AlcoholType;
  scent: GlobalScent;
  baseOil: BaseFragranceOil;
  container: Container;
  calculatorSettings: CalculatorSettings;
  calculatorWick: CalculatorWickType;
  adminUser: AdminUser;
  tiktokToken: TikTokShopTokens;
  admin2faSecret: string;
  admin2faBackupCodes: string[];
  legacyStock: number;
  userSession: UserSession;
  adminSession: AdminSessionValue;
  passwordReset: PasswordResetToken;
  passwordResetUser: string;
  emailVerify: EmailVerificationToken;
  invoiceToken: InvoiceAccessToken;
  mobileUpload: MobileUploadSession;
  webhookEvent: true;
  rateLimitLogin: number;
}

/** Domain value of one member of each set/list family (ids are strings, never numbers: §8.19). */
export interface LegacyMemberValues {
  usersIndex: string;
  pointsUser: string;
  ordersIndex: string;
  ordersUser: string;
  ordersGuest: string;
  orderRefunds: string;
  refundsIndex: string;
  productsIndex: string;
  purchasesIndex: string;
  purchasesVendor: string;
  purchasesDate: string;
  promotionsIndex: string;
  alcoholTypesIndex: string;
  scentsIndex: string;
  baseOilsIndex: string;
  containersIndex: string;
  calculatorWicksIndex: string;
  adminUsersIndex: string;
  adminLogs: AdminLogEntry;
}

export type StringFamily = keyof LegacyStringValues;
export type MemberFamily = keyof LegacyMemberValues;

// Compile-time proof that the two maps cover the 47 families exactly once.
type Missing = Exclude<KeyFamily, StringFamily | MemberFamily>;
type Overlap = StringFamily & MemberFamily;
const coverage: [Missing, Overlap] extends [never, never] ? true : never = true;
void coverage;

export const STRING_CODECS: { [F in StringFamily]: ValueCodec<LegacyStringValues[F]> } = {
  user: userValue,
  userEmail: userEmailValue,
  pointsTransaction: pointsTransactionValue,
  order: orderValue,
  refund: refundValue,
  product: productValue,
  purchase: purchaseValue,
  promotion: promotionValue,
  alcoholType: alcoholTypeValue,
  scent: catalogue.scentValue,
  baseOil: catalogue.baseOilValue,
  container: catalogue.containerValue,
  calculatorSettings: catalogue.calculatorSettingsValue,
  calculatorWick: catalogue.calculatorWickValue,
  adminUser: admin.adminUserValue,
  tiktokToken: tokens.tiktokTokenValue,
  admin2faSecret: admin.admin2faSecretValue,
  admin2faBackupCodes: admin.admin2faBackupCodesValue,
  legacyStock: legacyStockValue,
  userSession: tokens.userSessionValue,
  adminSession: admin.adminSessionValue,
  passwordReset: tokens.passwordResetValue,
  passwordResetUser: tokens.passwordResetUserValue,
  emailVerify: tokens.emailVerifyValue,
  invoiceToken: tokens.invoiceTokenValue,
  mobileUpload: tokens.mobileUploadValue,
  webhookEvent: tokens.webhookEventValue,
  rateLimitLogin: tokens.rateLimitLoginValue,
};

export const MEMBER_CODECS: { [F in MemberFamily]: ValueCodec<LegacyMemberValues[F]> } = {
  usersIndex: plainText,
  pointsUser: plainText,
  ordersIndex: plainText,
  ordersUser: plainText,
  ordersGuest: plainText,
  orderRefunds: plainText,
  refundsIndex: plainText,
  productsIndex: plainText,
  purchasesIndex: plainText,
  purchasesVendor: plainText,
  purchasesDate: plainText,
  promotionsIndex: plainText,
  alcoholTypesIndex: plainText,
  scentsIndex: plainText,
  baseOilsIndex: plainText,
  containersIndex: plainText,
  calculatorWicksIndex: plainText,
  adminUsersIndex: plainText,
  adminLogs: admin.adminLogValue,
};

/**
 * For records that carry their own key id: the domain field (and its legacy name) that must equal the
 * id in the key. A mismatch would make the record land under a different primary key.
 */
export const ID_FIELDS: Partial<Record<StringFamily, string>> = {
  user: 'id',
  pointsTransaction: 'id',
  order: 'id',
  refund: 'id',
  product: 'slug',
  purchase: 'id',
  promotion: 'id',
  alcoholType: 'id',
  scent: 'id',
  baseOil: 'id',
  container: 'id',
  calculatorWick: 'id',
  adminUser: 'id',
  passwordReset: 'token',
  emailVerify: 'token',
  invoiceToken: 'token',
  mobileUpload: 'token',
};

export function isStringFamily(family: string): family is StringFamily {
  return Object.hasOwn(STRING_CODECS, family);
}

export function isMemberFamily(family: string): family is MemberFamily {
  return Object.hasOwn(MEMBER_CODECS, family);
}
