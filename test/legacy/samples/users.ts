/** Users, e-mail pointers and the points ledger (§4.1, §4.3) with the edge cases of §8 and the drift of §9. */
import { CS_ID, DELETED_USER_ID, json, k, type LegacySample, T0, USER_ID } from './types.js';

const user = {
  id: USER_ID,
  email: 'jane@example.com',
  passwordHash: '$2b$12$abcdefghijklmnopqrstuuJ9dY3Ck6bYwq8Xo0r7lQ2vM6d8S1e2.',
  firstName: 'Jane',
  lastName: 'Doe',
  points: 42,
  emailVerified: false,
  createdAt: '2025-12-12T10:00:00.000Z',
  updatedAt: T0,
};

export const userSamples: LegacySample[] = [
  { name: 'user (§4.1, cost 12)', key: k.user(USER_ID), raw: json(user), expect: { points: 42 } },
  {
    name: 'user with a negative balance and a cost-10 $2a$ hash (§8.5)',
    key: k.user(USER_ID),
    raw: json({
      ...user,
      passwordHash: '$2a$10$abcdefghijklmnopqrstuuJ9dY3Ck6bYwq8Xo0r7lQ2vM6d8S1e2.',
      points: -15,
    }),
    expect: { points: -15 },
  },
  {
    name: 'user:email pointer (plain UUID)',
    key: k.userEmail('jane@example.com'),
    raw: USER_ID,
    value: USER_ID,
  },
  {
    name: 'plain value that looks like JSON stays a string (§8.19)',
    key: k.userEmail('x@y.co'),
    raw: '12345',
    value: '12345',
  },
];

export const pointsSamples: LegacySample[] = [
  {
    name: 'earn on a deleted test order (§8.6)',
    key: k.pointsTransaction('7c9e6679-7425-40de-944b-e07fc1f90ae7'),
    raw: json({
      id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
      userId: USER_ID,
      amount: 25,
      type: 'earn',
      description: 'Purchase #test_ord',
      orderId: 'test_order_1733250000000_k3j9x',
      createdAt: '2025-12-03T20:00:00.000Z',
    }),
    expect: { orderId: 'test_order_1733250000000_k3j9x' },
  },
  {
    name: 'redeem without orderId, user deleted (§4.3, §8.6)',
    key: k.pointsTransaction('1f0e2d3c-4b5a-4978-8695-a4b3c2d1e0f9'),
    raw: json({
      id: '1f0e2d3c-4b5a-4978-8695-a4b3c2d1e0f9',
      userId: DELETED_USER_ID,
      amount: -100,
      type: 'redeem',
      description: 'Redeemed for order #cs_live_',
      createdAt: T0,
    }),
    absent: ['orderId'],
  },
  {
    name: 'legacy type "adjustment" (2025-12-16 14:50–14:56)',
    key: k.pointsTransaction('2a3b4c5d-6e7f-4801-9234-56789abcdef0'),
    raw: json({
      id: '2a3b4c5d-6e7f-4801-9234-56789abcdef0',
      userId: USER_ID,
      amount: -31,
      type: 'adjustment',
      description: 'Refund for order #SQ7H2K9P',
      createdAt: '2025-12-16T14:52:11.482Z',
    }),
    expect: { type: 'adjustment' },
  },
  {
    name: 'earn of 0 points',
    key: k.pointsTransaction('3a3b4c5d-6e7f-4801-9234-56789abcdef0'),
    raw: json({
      id: '3a3b4c5d-6e7f-4801-9234-56789abcdef0',
      userId: USER_ID,
      amount: 0,
      type: 'earn',
      description: 'Purchase #cs_live_',
      orderId: CS_ID,
      createdAt: T0,
    }),
    expect: { amount: 0 },
  },
];
