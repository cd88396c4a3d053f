/**
 * The small family of named domain errors. Repositories throw these for broken invariants and bad
 * input; not-found is a value (`null` / `[]`), never an error. Infrastructure failures (a store that
 * does not answer) propagate as they are: an outage must never look like "not found".
 */
export type DomainErrorCode =
  | 'VALIDATION'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INSUFFICIENT_STOCK'
  | 'INSUFFICIENT_POINTS'
  | 'PROMOTION_EXHAUSTED'
  | 'PROMOTION_INVALID'
  | 'ALREADY_CLAIMED';

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  /** The entity and id (or field) the error is about, for logs and API responses. */
  readonly subject: string | undefined;
  constructor(code: DomainErrorCode, message: string, subject?: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.subject = subject;
  }
}

/** Bad input: unknown slug format, negative quantity, malformed e-mail, unknown enum value, oversized string. */
export class ValidationError extends DomainError {
  readonly field: string;
  constructor(field: string, problem: string) {
    super('VALIDATION', `${field}: ${problem}`, field);
    this.field = field;
  }
}

/** An operation on a record that must exist (update, complete, refund) found none. */
export class NotFoundError extends DomainError {
  constructor(entity: string, id: string) {
    super('NOT_FOUND', `${entity} ${JSON.stringify(id)} does not exist`, `${entity}:${id}`);
  }
}

/** A uniqueness rule would be broken (e-mail taken, promotion code taken, id reused with other content). */
export class ConflictError extends DomainError {
  constructor(entity: string, id: string, problem: string) {
    super('CONFLICT', `${entity} ${JSON.stringify(id)}: ${problem}`, `${entity}:${id}`);
  }
}

export class InsufficientStockError extends DomainError {
  readonly slug: string;
  readonly variantId: string | undefined;
  readonly requested: number;
  readonly available: number;
  constructor(slug: string, variantId: string | undefined, requested: number, available: number) {
    const what = variantId ? `${slug} variant ${variantId}` : slug;
    super('INSUFFICIENT_STOCK', `${what}: ${requested} requested, ${available} in stock`, `product:${slug}`);
    this.slug = slug;
    this.variantId = variantId;
    this.requested = requested;
    this.available = available;
  }
}

export class InsufficientPointsError extends DomainError {
  constructor(userId: string, requested: number, balance: number) {
    super(
      'INSUFFICIENT_POINTS',
      `user ${userId}: ${requested} points requested, balance ${balance}`,
      `user:${userId}`,
    );
  }
}

export class PromotionExhaustedError extends DomainError {
  constructor(promotionId: string, maxRedemptions: number) {
    super(
      'PROMOTION_EXHAUSTED',
      `promotion ${promotionId} reached its limit of ${maxRedemptions} redemptions`,
      `promotion:${promotionId}`,
    );
  }
}

export class PromotionInvalidError extends DomainError {
  constructor(promotionId: string, problem: string) {
    super('PROMOTION_INVALID', `promotion ${promotionId}: ${problem}`, `promotion:${promotionId}`);
  }
}
