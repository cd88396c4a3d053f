/**
 * The migration dashboard as a Hono app (server-rendered HTML, one small script, no build step).
 * Mount it alone or beside the store API; pass `basePath` when it is mounted under a prefix.
 *
 *   GET  /login, POST /login, POST /logout   admin-token login (see auth.ts)
 *   GET  /                                   the page
 *   POST /stage {domain, from, to}           a stage step; 200 {ok:true,…} or 409 {ok:false, reasons}
 *   GET  /state                              the page's data as JSON
 *   GET  /metrics                            Prometheus text (cookie or `Authorization: Bearer <token>`)
 */
import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { redactText } from '../../config.js';
import type { OpsMetrics } from '../metrics.js';
import { type MigrationControl, STAGES, type Stage } from '../migration-control.js';
import {
  DASHBOARD_COOKIE,
  issueSessionCookie,
  LoginThrottle,
  sessionCookieValid,
  tokenMatches,
} from './auth.js';
import { takeSnapshot } from './snapshot.js';
import { loginPage } from './views/layout.js';
import { overviewPage } from './views/overview.js';

export interface DashboardOptions {
  control: MigrationControl;
  /** The admin token (DASHBOARD_TOKEN). */
  token: string;
  /** Served on `/metrics` when given. */
  metrics?: OpsMetrics;
  /** Path the app is mounted under (`/ops`), '' when at the root. */
  basePath?: string;
  /** Mark the cookie `Secure` (default false: the dashboard listens on 127.0.0.1 over plain HTTP). */
  secureCookies?: boolean;
  now?: () => Date;
}

function clientKey(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'local';
}

function isStage(v: unknown): v is Stage {
  return typeof v === 'string' && (STAGES as readonly string[]).includes(v);
}

export function createDashboard(opts: DashboardOptions): Hono {
  const app = new Hono<{ Variables: { nonce: string } }>();
  const base = opts.basePath ?? '';
  const now = opts.now ?? (() => new Date());
  const throttle = new LoginThrottle();
  const authed = (c: Context) =>
    sessionCookieValid(getCookie(c, DASHBOARD_COOKIE), opts.token, now().getTime());

  app.use('*', async (c, next) => {
    const nonce = randomBytes(16).toString('base64');
    c.set('nonce', nonce);
    await next();
    c.header(
      'Content-Security-Policy',
      `default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
    );
    c.header('X-Frame-Options', 'DENY');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cache-Control', 'no-store');
  });

  app.get('/login', (c) => (authed(c) ? c.redirect(`${base}/`) : c.html(loginPage(base, null))));

  app.post('/login', async (c) => {
    const client = clientKey(c);
    const wait = throttle.retryAfter(client, now().getTime());
    if (wait > 0) {
      c.header('Retry-After', String(Math.ceil(wait / 1000)));
      return c.html(loginPage(base, `Too many wrong tokens. Try again in ${Math.ceil(wait / 1000)} s.`), 429);
    }
    const form = await c.req.parseBody();
    const given = typeof form.token === 'string' ? form.token.trim() : '';
    if (!given || !tokenMatches(given, opts.token)) {
      throttle.fail(client, now().getTime());
      return c.html(
        loginPage(
          base,
          'That token is not right. It is printed when the dashboard starts, or set in DASHBOARD_TOKEN.',
        ),
        401,
      );
    }
    throttle.succeed(client);
    const cookie = issueSessionCookie(opts.token, now().getTime());
    setCookie(c, DASHBOARD_COOKIE, cookie.value, {
      httpOnly: true,
      sameSite: 'Strict',
      path: base || '/',
      secure: opts.secureCookies ?? false,
      maxAge: cookie.maxAgeSeconds,
    });
    return c.redirect(`${base}/`, 303);
  });

  app.post('/logout', (c) => {
    deleteCookie(c, DASHBOARD_COOKIE, { path: base || '/' });
    return c.redirect(`${base}/login`, 303);
  });

  app.get('/metrics', async (c) => {
    if (!opts.metrics) return c.notFound();
    const bearer = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1];
    if (!authed(c) && !(bearer && tokenMatches(bearer, opts.token))) return c.text('unauthorized\n', 401);
    c.header('Content-Type', opts.metrics.registry.contentType);
    return c.body(await opts.metrics.registry.metrics());
  });

  app.use('*', async (c, next) => {
    if (authed(c)) return next();
    if (c.req.method === 'GET' && c.req.header('accept')?.includes('text/html'))
      return c.redirect(`${base}/login`);
    return c.json({ error: { code: 'UNAUTHENTICATED', message: 'log in to the dashboard first' } }, 401);
  });

  app.get('/', async (c) =>
    c.html(overviewPage(await takeSnapshot(opts.control, now()), base, c.get('nonce'))),
  );

  app.get('/state', async (c) => c.json(await takeSnapshot(opts.control, now())));

  app.post('/stage', async (c) => {
    // SameSite=Strict keeps other sites' requests from carrying the cookie; a JSON body and an
    // Origin check stop a form post from any page that is not this dashboard.
    const origin = c.req.header('origin');
    if (origin && new URL(c.req.url).origin !== origin) {
      return c.json({ error: { code: 'FORBIDDEN', message: 'cross-origin request refused' } }, 403);
    }
    if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) {
      return c.json({ error: { code: 'BAD_REQUEST', message: 'send JSON' } }, 400);
    }
    const body = (await c.req.json().catch(() => null)) as {
      domain?: unknown;
      from?: unknown;
      to?: unknown;
    } | null;
    if (!body || typeof body.domain !== 'string' || !isStage(body.to)) {
      return c.json(
        { error: { code: 'BAD_REQUEST', message: 'expected {"domain", "from", "to"} with known stages' } },
        400,
      );
    }
    const domains = await opts.control.listDomains();
    const current = domains.find((d) => d.domain === body.domain);
    if (!current) return c.json({ error: { code: 'NOT_FOUND', message: `no domain ${body.domain}` } }, 404);
    if (isStage(body.from) && body.from !== current.stage) {
      return c.json(
        {
          ok: false,
          stage: current.stage,
          reasons: [
            `${body.domain} is at ${current.stage} now (it was ${body.from} when the page loaded); reload and try again`,
          ],
        },
        409,
      );
    }
    const result = await opts.control.setStage(body.domain, body.to);
    return c.json(result, result.ok ? 200 : 409);
  });

  app.onError((err, c) => {
    const message = redactText(err instanceof Error ? err.message : String(err));
    return c.json(
      {
        error: { code: 'UNAVAILABLE', message: `the migration state cannot be read or changed: ${message}` },
      },
      503,
    );
  });

  return app as unknown as Hono;
}
