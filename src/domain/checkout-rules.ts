/**
 * Pure checkout rules shared by both backends: input validation, the order a checkout writes, the
 * replay comparison and the lock order of its stock changes.
 */
import type { CheckoutLine, PlaceOrderInput } from './checkout.js';
import { InsufficientStockError, NotFoundError, ValidationError } from './errors.js';
import { checkBoolean, checkObject, checkOneOf, checkTimestamp } from './field-checks.js';
import { requireEmail, requireId, requireInt, requireText } from './field-rules.js';
import { type Order, type OrderItem, PAYMENT_METHODS } from './order.js';
import { validateOrder } from './order-rules.js';
import { staticProduct } from './static-catalogue.js';

/** Checks everything that does not need the store, before anything is read or written. */
export function validatePlaceOrder(input: PlaceOrderInput): void {
  checkObject('input', input);
  requireId('orderId', input.orderId);
  if (input.userId !== undefined) requireId('userId', input.userId);
  requireEmail('email', input.email);
  if (!Array.isArray(input.lines) || input.lines.length === 0) {
    throw new ValidationError('lines', 'must hold at least one line');
  }
  if (input.lines.length > 200)
    throw new ValidationError('lines', `${input.lines.length} lines, the limit is 200`);
  input.lines.forEach((line, i) => {
    const at = `lines[${i}]`;
    checkObject(at, line);
    requireId(`${at}.slug`, line.slug);
    if (line.variantId !== undefined) requireId(`${at}.variantId`, line.variantId);
    requireInt(`${at}.quantity`, line.quantity, { min: 1, max: 10_000 });
    requireInt(`${at}.priceCents`, line.priceCents, { min: 0 });
    if (line.productName !== undefined) requireText(`${at}.productName`, line.productName, { max: 500 });
  });
  if (input.pointsToRedeem !== undefined) {
    requireInt('pointsToRedeem', input.pointsToRedeem, { min: 0, max: 1_000_000 });
    if (input.pointsToRedeem > 0 && input.userId === undefined) {
      throw new ValidationError('pointsToRedeem', 'a guest checkout cannot redeem points');
    }
  }
  if (input.promotionId !== undefined) requireId('promotionId', input.promotionId);
  if (input.promotionCode !== undefined) requireText('promotionCode', input.promotionCode, { max: 50 });
  for (const f of ['shippingCents', 'taxCents', 'totalCents'] as const) {
    if (input[f] !== undefined) requireInt(f, input[f], { min: 0 });
  }
  if (input.paymentMethod !== undefined) checkOneOf('paymentMethod', input.paymentMethod, PAYMENT_METHODS);
  if (input.complete !== undefined) checkBoolean('complete', input.complete);
  if (input.createdAt !== undefined) checkTimestamp('createdAt', input.createdAt);
  // The rest (address, phone, notes) is checked on the order itself.
  validateOrder(
    checkoutOrder(
      input,
      input.lines.map((l) => l.productName ?? l.slug),
      undefined,
      new Date(0),
    ),
  );
}

/**
 * A line's product name: the caller's, else the stored product's, else the static catalogue's, else
 * the slug (an unknown slug then fails at its stock step with NotFoundError).
 */
export function lineName(line: CheckoutLine, storedName: string | undefined): string {
  return line.productName ?? storedName ?? staticProduct(line.slug)?.name ?? line.slug;
}

/**
 * The early stock check of one stock move: `available` is the current stock (null = the slug is
 * neither stored nor static). A failing checkout stops here before it writes or locks anything; the
 * authoritative check is the stock step itself, which also catches a concurrent sale in between.
 * @throws NotFoundError unknown product. @throws InsufficientStockError not enough stock.
 */
export function precheckStock(
  move: { slug: string; variantId?: string; quantity: number },
  available: number | null,
): void {
  if (available === null) throw new NotFoundError('product', move.slug);
  if (available < move.quantity)
    throw new InsufficientStockError(move.slug, move.variantId, move.quantity, available);
}

/** Points a purchase earns: one per dollar of the product subtotal, rounded (§4.2 since 2025-12-11). */
export function pointsFor(subtotalCents: number): number {
  return Math.round(subtotalCents / 100);
}

/**
 * The pending order a checkout writes. `names[i]` is line i's product name; `promotionId` the
 * resolved promotion. Records `pointsRedeemed` and `promotionId`, which the store declared but never
 * wrote (§8.10), so refunds and the per-customer limit can use them.
 */
export function checkoutOrder(
  input: PlaceOrderInput,
  names: readonly string[],
  promotionId: string | undefined,
  now: Date,
): Order {
  const items: OrderItem[] = input.lines.map((line, i) => {
    const item: OrderItem = {
      productSlug: line.slug,
      productName: names[i] ?? line.slug,
      quantity: line.quantity,
      priceCents: line.priceCents,
    };
    if (line.variantId !== undefined) item.variantId = line.variantId;
    return item;
  });
  const subtotal = items.reduce((sum, item) => sum + item.priceCents, 0);
  const order: Order = {
    id: input.orderId,
    email: input.email,
    totalCents: input.totalCents ?? subtotal + (input.shippingCents ?? 0) + (input.taxCents ?? 0),
    productSubtotalCents: subtotal,
    pointsEarned: pointsFor(subtotal),
    status: 'pending',
    isGuest: input.userId === undefined,
    items,
    createdAt: input.createdAt ?? now.toISOString(),
  };
  if (input.userId !== undefined) order.userId = input.userId;
  if (input.shippingCents !== undefined) order.shippingCents = input.shippingCents;
  if (input.taxCents !== undefined) order.taxCents = input.taxCents;
  if (input.pointsToRedeem) order.pointsRedeemed = input.pointsToRedeem;
  if (promotionId !== undefined) order.promotionId = promotionId;
  if (input.paymentMethod !== undefined) order.paymentMethod = input.paymentMethod;
  if (input.notes !== undefined) order.notes = input.notes;
  if (input.shippingAddress !== undefined) order.shippingAddress = input.shippingAddress;
  if (input.phone !== undefined) order.phone = input.phone;
  return order;
}

/**
 * What a replay of `input` would have written, for comparison with the stored order: names and the
 * promotion come from the stored order when the input leaves them open (a code is resolved at the
 * first checkout only).
 */
export function replayCandidate(input: PlaceOrderInput, stored: Order, now: Date): Order {
  const names = input.lines.map((line, i) => line.productName ?? stored.items[i]?.productName ?? line.slug);
  return checkoutOrder(input, names, input.promotionId ?? stored.promotionId, now);
}

/**
 * Stock changes in a fixed order (slug, then variant), merged per product and variant, so concurrent
 * checkouts lock rows in the same order (no deadlocks in Postgres).
 */
export function stockMoves(
  lines: readonly CheckoutLine[],
): { slug: string; variantId?: string; quantity: number }[] {
  const merged = new Map<string, { slug: string; variantId?: string; quantity: number }>();
  for (const line of lines) {
    const key = JSON.stringify([line.slug, line.variantId ?? null]);
    const move = merged.get(key);
    if (move) move.quantity += line.quantity;
    else
      merged.set(key, {
        slug: line.slug,
        ...(line.variantId !== undefined ? { variantId: line.variantId } : {}),
        quantity: line.quantity,
      });
  }
  return [...merged.values()].sort(compareMoves);
}

function compareMoves(
  a: { slug: string; variantId?: string },
  b: { slug: string; variantId?: string },
): number {
  const ka = [a.slug, a.variantId ?? ''];
  const kb = [b.slug, b.variantId ?? ''];
  for (let i = 0; i < 2; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
  return 0;
}
