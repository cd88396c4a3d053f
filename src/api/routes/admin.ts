/** Admin: log in (password + TOTP or a backup code, as the store's admins do) and refunds. */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import { REFUND_REASONS } from '../../domain/refund.js';
import type { AdminSessionRecord } from '../../ephemeral/session-codec.js';
import { ADMIN_COOKIE, type StoreApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { clientIp, clientSubject, readBody, tooManyAttempts } from '../http.js';
import {
  clearSessionCookie,
  notLoggedIn,
  readSessionCookie,
  writeSessionCookie,
} from '../session-cookies.js';
import { verifyTotp } from '../totp.js';
import { publicRefund } from '../views.js';

const LoginBody = z.object({
  email: z.string().max(254),
  password: z.string().max(200),
  /** A 6-digit TOTP code or one of the admin's backup codes. */
  code: z.string().min(1).max(16),
});
const RefundBody = z.object({
  orderId: z.string().min(1).max(255),
  reason: z.enum(REFUND_REASONS),
  reasonNote: z.string().max(500).optional(),
  amountCents: z.number().int().min(1).optional(),
  restoreInventory: z.boolean().optional(),
});

const BAD_LOGIN = () => new ApiError(401, 'INVALID_CREDENTIALS', 'the e-mail, password or code is wrong');
const DUMMY_HASH = '$2b$12$C6UzMDM.H6dfI/f/IKxGhu0QCQ2mvYzJxAQsVblFg0BZQUq3Om.KS';

export function adminRoutes(deps: StoreApiDeps): Hono {
  const app = new Hono();
  const now = deps.now ?? (() => new Date());
  const cookies = { secure: deps.secureCookies ?? true, now };
  const trusted = deps.trustedProxies ?? 0;

  const requireAdmin = async (c: Context): Promise<AdminSessionRecord> => {
    const token = readSessionCookie(c, ADMIN_COOKIE);
    const session = token ? await deps.adminSessions.get(token) : null;
    if (!session) throw notLoggedIn();
    return session;
  };

  const audit = (c: Context, action: string, adminEmail: string, success: boolean, details?: object) =>
    deps.data.admin.appendLog({
      action,
      adminEmail,
      ip: clientIp(c, trusted) ?? 'unknown',
      userAgent: (c.req.header('user-agent') ?? 'unknown').slice(0, 500) || 'unknown',
      success,
      ...(details ? { details: { ...details } } : {}),
    });

  app.post('/admin/login', async (c) => {
    const body = await readBody(c, LoginBody);
    const subject = clientSubject(c, trusted);
    // The store shared one login counter between admins and customers; so does this.
    const decision = await deps.limiter.attempt('login', subject);
    if (!decision.allowed) throw tooManyAttempts(decision.retryAfterMs);
    const admin = await deps.data.admin.getByEmail(body.email);
    const passwordOk = await deps.passwords.verify(body.password, admin?.passwordHash ?? DUMMY_HASH);
    if (!admin || !passwordOk || !admin.active) throw BAD_LOGIN();
    const code = body.code.trim();
    const codeOk = /^\d{6}$/.test(code)
      ? verifyTotp(admin.twoFactorSecret, code, now())
      : await deps.data.admin.useBackupCode(admin.id, code.toUpperCase());
    if (!codeOk) {
      await audit(c, 'login', admin.email, false);
      throw BAD_LOGIN();
    }
    await deps.limiter.recordSuccess('login', subject);
    await deps.data.admin.updateLastLogin(admin.id);
    const session = await deps.adminSessions.rotate(readSessionCookie(c, ADMIN_COOKIE), {
      userId: admin.id,
      email: admin.email,
      role: admin.role,
    });
    writeSessionCookie(c, ADMIN_COOKIE, session.token, session.expiresAt, cookies);
    await audit(c, 'login', admin.email, true);
    return c.json({ admin: { id: admin.id, email: admin.email, role: admin.role } });
  });

  app.post('/admin/logout', async (c) => {
    const token = readSessionCookie(c, ADMIN_COOKIE);
    if (token) await deps.adminSessions.destroy(token);
    clearSessionCookie(c, ADMIN_COOKIE, cookies.secure);
    return c.body(null, 204);
  });

  app.post('/admin/refunds', async (c) => {
    const session = await requireAdmin(c);
    const body = await readBody(c, RefundBody);
    const refund = await deps.data.refunds.create(body);
    // No payment processor is wired to this API: the refund is recorded and completed at once,
    // which restores stock and takes back the order's points exactly once.
    const done = await deps.data.refunds.completeRefund(refund.id);
    const adminEmail = session.kind === 'admin' ? session.email : 'admin';
    await audit(c, 'refund.create', adminEmail, true, { refundId: refund.id, orderId: body.orderId });
    return c.json(
      { refund: publicRefund(done.refund), restock: done.restock, pointsDeducted: done.pointsDeducted },
      201,
    );
  });

  return app;
}
