/** The router's declaration table: one entry per DataLayer method (a missing one does not compile). */
import type { DeclTable } from '../declare.js';
import { alcoholTypesDecls, catalogueDecls, productsDecls, purchasesDecls } from './catalogue.js';
import { checkoutDecls, ordersDecls, promotionsDecls, refundsDecls } from './commerce.js';
import { adminDecls, pointsDecls, tokensDecls, usersDecls, webhookEventsDecls } from './people.js';

export const DECLARATIONS: DeclTable = {
  users: usersDecls,
  points: pointsDecls,
  tokens: tokensDecls,
  admin: adminDecls,
  webhookEvents: webhookEventsDecls,
  orders: ordersDecls,
  checkout: checkoutDecls,
  promotions: promotionsDecls,
  refunds: refundsDecls,
  products: productsDecls,
  alcoholTypes: alcoholTypesDecls,
  catalogue: catalogueDecls,
  purchases: purchasesDecls,
};
