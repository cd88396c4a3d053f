/** Customer accounts: register, log in, log out, who am I. */
import { Hono } from 'hono';
import { z } from 'zod';
import { type StoreApiDeps, USER_COOKIE } from '../deps.js';
import { ApiError } from '../errors.js';
import { clientSubject, readBody, tooManyAttempts } from '../http.js';
import { publicUser } from '../views.js';
import {
  clearSessionCookie,
  notLoggedIn,
  readSessionCookie,
  writeSessionCookie,
} from '../session-cookies.js';

const RegisterBody = z.object({
  email: z.string().max(254),
  password: z.string().min(8, 'must have at least 8 characters').max(200),
  firstName: z.string(),
  lastName: z.string(),
});
const LoginBody = z.object({ email: z.string().max(254), password: z.string().max(200) });

/** Compared against when the e-mail is unknown, so a wrong e-mail takes as long as a wrong password. */
const DUMMY_HASH = '$2b$12$C6UzMDM.H6dfI/f/IKxGhu0QCQ2mvYzJxAQsVblFg0BZQUq3Om.KS';

export function accountRoutes(deps: StoreApiDeps): Hono {
  const app = new Hono();
  const now = deps.now ?? (() => new Date());
  const cookies = { secure: deps.secureCookies ?? true, now };
  const trusted = deps.trustedProxies ?? 0;

  app.post('/auth/register', async (c) => {
    const body = await readBody(c, RegisterBody);
    const subject = clientSubject(c, trusted);
    const decision = await deps.limiter.attempt('registration', subject);
    if (!decision.allowed) throw tooManyAttempts(decision.retryAfterMs);
    const passwordHash = await deps.passwords.hash(body.password);
    const user = await deps.data.users.create({
      email: body.email,
      passwordHash,
      firstName: body.firstName,
      lastName: body.lastName,
    });
    await deps.limiter.recordSuccess('registration', subject);
    // Registration links the e-mail's guest orders (§7.6). The account exists already, so a failure
    // here must not fail the request; linking is idempotent and the answer says it did not happen.
    let guestOrdersLinked: number | null = null;
    try {
      guestOrdersLinked = (await deps.data.orders.linkGuestOrders(user.id, user.email)).linked.length;
    } catch (err) {
      deps.onInfrastructureError?.(err, 'register: linkGuestOrders');
    }
    const session = await deps.userSessions.create({ userId: user.id, email: user.email });
    writeSessionCookie(c, USER_COOKIE, session.token, session.expiresAt, cookies);
    const fresh = (await deps.data.users.getById(user.id)) ?? user;
    return c.json({ user: publicUser(fresh), guestOrdersLinked }, 201);
  });

  app.post('/auth/login', async (c) => {
    const body = await readBody(c, LoginBody);
    const subject = clientSubject(c, trusted);
    const decision = await deps.limiter.attempt('login', subject);
    if (!decision.allowed) throw tooManyAttempts(decision.retryAfterMs);
    const user = await deps.data.users.getByEmail(body.email);
    const ok = await deps.passwords.verify(body.password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok) throw new ApiError(401, 'INVALID_CREDENTIALS', 'the e-mail or the password is wrong');
    await deps.limiter.recordSuccess('login', subject);
    const session = await deps.userSessions.rotate(readSessionCookie(c, USER_COOKIE), {
      userId: user.id,
      email: user.email,
    });
    writeSessionCookie(c, USER_COOKIE, session.token, session.expiresAt, cookies);
    return c.json({ user: publicUser(user) });
  });

  app.post('/auth/logout', async (c) => {
    const token = readSessionCookie(c, USER_COOKIE);
    if (token) await deps.userSessions.destroy(token);
    clearSessionCookie(c, USER_COOKIE, cookies.secure);
    return c.body(null, 204);
  });

  app.get('/me', async (c) => {
    const token = readSessionCookie(c, USER_COOKIE);
    const session = token ? await deps.userSessions.get(token) : null;
    if (!session) throw notLoggedIn();
    const user = await deps.data.users.getById(session.userId);
    if (!user) throw notLoggedIn();
    return c.json({ user: publicUser(user) });
  });

  return app;
}
