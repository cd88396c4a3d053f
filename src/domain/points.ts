import type { Extra, IsoTimestamp } from './common.js';

/** Ledger entry types. `adjustment` was written for six minutes on 2025-12-16 (§4.3, §9). */
export const POINTS_TRANSACTION_TYPES = ['earn', 'redeem', 'admin_adjustment', 'adjustment'] as const;
export type PointsTransactionType = (typeof POINTS_TRANSACTION_TYPES)[number];

/** One points ledger entry, `points:transaction:{txId}` (§4.3). Never deleted. */
export interface PointsTransaction {
  /** UUID v4. */
  id: string;
  /** Can point to a deleted user. */
  userId: string;
  /** Whole points: positive earns, negative redeems or deducts, `0` possible. */
  amount: number;
  type: PointsTransactionType;
  description: string;
  /** Set on `earn` entries only; can point to a deleted order. */
  orderId?: string;
  createdAt: IsoTimestamp;
  extra?: Extra;
}

/** What a balance change wrote: the new ledger entry and the user's balance after it. */
export interface PointsChange {
  transaction: PointsTransaction;
  balance: number;
}

/**
 * The points balance (`User.points`) and its ledger. Every change writes the balance, one ledger entry
 * and the user's ledger index together or not at all. Amounts are whole points given as positive
 * numbers; the repository stores the sign (earn +, redeem and deduct −). Bad input (not a whole number,
 * negative, zero where not allowed, more than 1 000 000, empty or oversized description) throws
 * `ValidationError`; a missing user throws `NotFoundError`. Nothing is written when an error is thrown.
 */
export interface PointsRepository {
  /**
   * Awards points (`type: "earn"`, description e.g. `Purchase #cs_live_`). `amount` may be 0 (the store
   * records earning on a zero-point order). `orderId`, when given, is stored as is (no check that the
   * order exists: ledger entries outlive deleted orders).
   */
  earn(userId: string, amount: number, description: string, orderId?: string): Promise<PointsChange>;
  /**
   * Spends points (`type: "redeem"`, amount stored negative, no orderId). Throws
   * `InsufficientPointsError` when the balance is below `amount`: the balance never goes below zero
   * through a redemption, even under concurrent redemptions.
   */
  redeem(userId: string, amount: number, description: string): Promise<PointsChange>;
  /**
   * Takes points back after a refund (`type: "admin_adjustment"`, amount stored negative, no orderId).
   * Unlike `redeem` it ignores the balance and **may drive it negative**, as the store's `deductPoints`
   * did (legacy §7.7): the points were already spent, and the refund must still be recorded.
   */
  deduct(userId: string, amount: number, description: string): Promise<PointsChange>;
  /**
   * The user's ledger, newest first, `limit` entries (1–1000, default 50) after skipping `offset`.
   * Entries whose record is missing (legacy crash, §8.5) are skipped, so a page may be shorter than
   * `limit`. A deleted user's ledger is still returned. `[]` when there is none.
   */
  history(userId: string, opts?: { limit?: number; offset?: number }): Promise<PointsTransaction[]>;
  /** The stored balance (`User.points`, authoritative even when it disagrees with the ledger), or `null` when the user does not exist. */
  balance(userId: string): Promise<number | null>;
}
