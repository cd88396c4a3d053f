/** The shop: products, checkout and the customer's order history. */
import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import type { CheckoutLine } from '../../domain/checkout.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import type { UserSession } from '../../ephemeral/session-codec.js';
import { type StoreApiDeps, USER_COOKIE } from '../deps.js';
import { ApiError } from '../errors.js';
import { clientSubject, readBody, tooManyAttempts } from '../http.js';
import { notLoggedIn, readSessionCookie } from '../session-cookies.js';
import { publicOrder, publicProduct } from '../views.js';

/** 1 point = 5 cents at checkout (legacy §7.3). */
const CENTS_PER_POINT = 5;

const Cents = z.number().int().min(0);
const CheckoutBody = z.object({
  /** Idempotency key: a retry with the same id returns the first order. Default a fresh id. */
  orderId: z.string().min(1).max(255).optional(),
  /** Required for guests; a logged-in customer's order uses the account's e-mail. */
  email: z.string().max(254).optional(),
  lines: z
    .array(
      z.object({
        slug: z.string().min(1),
        variantId: z.string().min(1).optional(),
        quantity: z.number().int().min(1),
      }),
    )
    .min(1),
  pointsToRedeem: z.number().int().min(1).optional(),
  promotionCode: z.string().min(1).max(100).optional(),
  shippingCents: Cents.optional(),
  taxCents: Cents.optional(),
  notes: z.string().max(500).optional(),
  phone: z.string().max(32).optional(),
  shippingAddress: z
    .object({
      name: z.string().optional(),
      line1: z.string().optional(),
      line2: z.string().optional(),
      city: z.string().optional(),
      state: z.string().optional(),
      postalCode: z.string().optional(),
      country: z.string().optional(),
    })
    .strict()
    .optional(),
});

async function currentUser(c: Context, deps: StoreApiDeps): Promise<UserSession | null> {
  const token = readSessionCookie(c, USER_COOKIE);
  return token ? deps.userSessions.get(token) : null;
}

export function shopRoutes(deps: StoreApiDeps): Hono {
  const app = new Hono();
  const trusted = deps.trustedProxies ?? 0;

  app.get('/products', async (c) => {
    const products = await deps.data.products.listResolved();
    return c.json({ products: products.filter((p) => p.visibleOnWebsite !== false).map(publicProduct) });
  });

  app.get('/products/:slug', async (c) => {
    const product = await deps.data.products.getResolved(c.req.param('slug'));
    if (!product || product.visibleOnWebsite === false)
      throw new NotFoundError('product', c.req.param('slug'));
    return c.json({ product: publicProduct(product) });
  });

  app.post('/checkout', async (c) => {
    const body = await readBody(c, CheckoutBody);
    const decision = await deps.limiter.attempt('checkout', clientSubject(c, trusted));
    if (!decision.allowed) throw tooManyAttempts(decision.retryAfterMs);
    const session = await currentUser(c, deps);
    const email = session?.email ?? body.email;
    if (!email) throw new ValidationError('email', 'is required for a guest checkout');
    if (body.pointsToRedeem && !session)
      throw new ApiError(401, 'UNAUTHENTICATED', 'log in to redeem points');
    // Prices come from the catalogue, never from the client.
    const lines: CheckoutLine[] = [];
    for (const line of body.lines) {
      const product = await deps.data.products.getResolved(line.slug);
      if (!product) throw new NotFoundError('product', line.slug);
      lines.push({ ...line, priceCents: product.priceCents * line.quantity, productName: product.name });
    }
    const subtotal = lines.reduce((sum, l) => sum + l.priceCents, 0);
    const discount = (body.pointsToRedeem ?? 0) * CENTS_PER_POINT;
    const total = Math.max(0, subtotal - discount) + (body.shippingCents ?? 0) + (body.taxCents ?? 0);
    const result = await deps.data.checkout.placeOrder({
      orderId: body.orderId ?? `web_${randomUUID().replaceAll('-', '')}`,
      ...(session ? { userId: session.userId } : {}),
      email,
      lines,
      ...(body.pointsToRedeem ? { pointsToRedeem: body.pointsToRedeem } : {}),
      ...(body.promotionCode ? { promotionCode: body.promotionCode } : {}),
      ...(body.shippingCents !== undefined ? { shippingCents: body.shippingCents } : {}),
      ...(body.taxCents !== undefined ? { taxCents: body.taxCents } : {}),
      totalCents: total,
      ...(body.notes ? { notes: body.notes } : {}),
      ...(body.phone ? { phone: body.phone } : {}),
      ...(body.shippingAddress ? { shippingAddress: body.shippingAddress } : {}),
    });
    return c.json(
      { order: publicOrder(result.order), replayed: result.replayed },
      result.replayed ? 200 : 201,
    );
  });

  app.get('/orders', async (c) => {
    const session = await currentUser(c, deps);
    if (!session) throw notLoggedIn();
    const limit = c.req.query('limit');
    const cursor = c.req.query('cursor');
    const page = await deps.data.orders.byUser(session.userId, {
      ...(limit ? { limit: Number(limit) } : {}),
      ...(cursor ? { cursor } : {}),
    });
    return c.json({ orders: page.orders.map(publicOrder), nextCursor: page.nextCursor });
  });

  app.get('/orders/:id', async (c) => {
    const session = await currentUser(c, deps);
    if (!session) throw notLoggedIn();
    const order = await deps.data.orders.get(c.req.param('id'));
    // Someone else's order answers like a missing one, so ids cannot be probed.
    if (!order || order.userId !== session.userId) throw new NotFoundError('order', c.req.param('id'));
    return c.json({ order: publicOrder(order) });
  });

  return app;
}
