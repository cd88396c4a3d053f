/** Members of set and list keys (§2, §5), including duplicates (§8.3) and JSON-looking ids (§8.19). */
import { adminLogEntries } from './admin-tokens.js';
import { CS_ID, DELETED_USER_ID, k, type MemberSample, USER_ID } from './types.js';

export const memberSamples: MemberSample[] = [
  {
    name: 'users:index, including a deleted user (§8.1)',
    key: k.usersIndex(),
    members: [USER_ID, DELETED_USER_ID],
  },
  {
    name: 'points ledger list, newest first',
    key: k.pointsUser(USER_ID),
    members: ['2a3b4c5d-6e7f-4801-9234-56789abcdef0', '7c9e6679-7425-40de-944b-e07fc1f90ae7'],
  },
  {
    name: 'orders:index (no pre-2025-12-03 orders)',
    key: k.ordersIndex(),
    members: ['SQ7H2K9PXQ4M3N8B1', 'MS0123456789ABCDEF0123456789ABCDEF'],
  },
  {
    name: 'orders:user list with duplicates from re-processing (§8.3)',
    key: k.ordersUser(USER_ID),
    members: [CS_ID, 'cs_test_b1', CS_ID],
  },
  {
    name: 'guest list keyed by an untrimmed lower-cased e-mail (§8.15)',
    key: k.ordersGuest(' market.buyer@example.com '),
    members: ['MS0123456789ABCDEF0123456789ABCDEF'],
  },
  {
    name: 'refund set of a deleted order',
    key: k.orderRefunds('test_order_1733250000000_k3j9x'),
    members: ['6d3c2b1a-0f9e-4d8c-b7a6-5f4e3d2c1b0a'],
  },
  { name: 'refunds:index', key: k.refundsIndex(), members: ['4d3c2b1a-0f9e-4d8c-b7a6-5f4e3d2c1b0a'] },
  {
    name: 'products:index with a JSON-looking slug (§8.19)',
    key: k.productsIndex(),
    members: ['titos-candle', '1800', 'true'],
  },
  { name: 'purchases:index', key: k.purchasesIndex(), members: ['9b2d7e1a-3c4f-4a5b-8c6d-7e8f9a0b1c2d'] },
  {
    name: 'vendor index with a space in the key',
    key: k.purchasesVendor('home depot'),
    members: ['2c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f'],
  },
  {
    name: 'date index of a malformed CSV date',
    key: k.purchasesDate('25-12-0'),
    members: ['4c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f'],
  },
  { name: 'promotions:index', key: k.promotionsIndex(), members: ['promo_1733500000000_k2j4h'] },
  { name: 'alcohol-types:index with the empty id', key: k.alcoholTypesIndex(), members: ['vodka', ''] },
  { name: 'global:scents:index', key: k.scentsIndex(), members: ['smoky-oak', 'pine'] },
  { name: 'global:base_oils:index', key: k.baseOilsIndex(), members: ['vanilla_base'] },
  { name: 'containers:index', key: k.containersIndex(), members: ['tito_750', 'jar-8'] },
  {
    name: 'calculator:wicks:index',
    key: k.calculatorWicksIndex(),
    members: ['wood_30mm', 'wood_20mm', 'cdn12', 'cdn16'],
  },
  { name: 'admin:users:index', key: k.adminUsersIndex(), members: ['e1d2c3b4-a596-4788-9a0b-1c2d3e4f5a6b'] },
  { name: 'admin:logs, newest first (LTRIM 0 999)', key: k.adminLogs(), members: adminLogEntries },
];
