/**
 * Every write the API acknowledged during the demo (accounts, orders, refunds), as the answers
 * described them. The final audit reads each one back from the store in force at the end and checks
 * the stock and points arithmetic against it: an acknowledged write that is missing or different is
 * data loss, whatever any other check says.
 */

export interface AckLine {
  slug: string;
  quantity: number;
}

export interface AckUser {
  id: string;
  email: string;
  /** Points shown by `GET /api/me` when the customer's journey ended (nothing else changes them then). */
  balanceAtEnd: number | null;
}

export interface AckOrder {
  id: string;
  userId: string | null;
  email: string;
  lines: AckLine[];
  totalCents: number;
  pointsEarned: number;
}

export interface AckRefund {
  id: string;
  orderId: string;
  /** Units put back per product (restored lines only). */
  restock: AckLine[];
  pointsDeducted: number;
}

export class WriteLedger {
  readonly users = new Map<string, AckUser>();
  readonly orders = new Map<string, AckOrder>();
  readonly refunds = new Map<string, AckRefund>();
  /** Orders of finished journeys, oldest first, for the admin to refund. */
  private readonly refundable: string[] = [];
  /**
   * Requests whose outcome is unknown (a 5xx or a dropped connection on a write): the arithmetic
   * cannot be checked exactly once one happened.
   */
  uncertainWrites = 0;

  offerForRefund(orderId: string): void {
    this.refundable.push(orderId);
  }

  nextRefundable(): string | undefined {
    return this.refundable.shift();
  }

  /** Units sold minus units restored, per product, over every acknowledged order and refund. */
  netUnitsSold(): Map<string, number> {
    const out = new Map<string, number>();
    for (const o of this.orders.values()) {
      for (const l of o.lines) out.set(l.slug, (out.get(l.slug) ?? 0) + l.quantity);
    }
    for (const r of this.refunds.values()) {
      for (const l of r.restock) out.set(l.slug, (out.get(l.slug) ?? 0) - l.quantity);
    }
    return out;
  }

  /** Points the admin's refunds took back, per user id. */
  pointsDeductedByUser(): Map<string, number> {
    const out = new Map<string, number>();
    for (const r of this.refunds.values()) {
      const userId = this.orders.get(r.orderId)?.userId;
      if (userId && r.pointsDeducted > 0) out.set(userId, (out.get(userId) ?? 0) + r.pointsDeducted);
    }
    return out;
  }
}
