/**
 * The store's HTTP API (JSON) over any data layer. Mount it on its own (`serve({ fetch: app.fetch })`)
 * or next to the dashboard: `root.route('/', createStoreApi(deps))`. Every route lives under `/api`.
 */
import { Hono } from 'hono';
import type { StoreApiDeps } from './deps.js';
import { ApiError, errorAnswer } from './errors.js';
import { accountRoutes } from './routes/accounts.js';
import { adminRoutes } from './routes/admin.js';
import { shopRoutes } from './routes/shop.js';

export type { PasswordHasher, StoreApiDeps } from './deps.js';

export function createStoreApi(deps: StoreApiDeps): Hono {
  const app = new Hono();

  // Cookie-authenticated POSTs only accept JSON: a cross-site HTML form cannot send it without a
  // CORS preflight, which this API never grants.
  app.use('/api/*', async (c, next) => {
    if (c.req.method === 'POST' && c.req.header('content-length') !== '0') {
      const type = c.req.header('content-type') ?? '';
      if (
        !/^application\/json\b/i.test(type) &&
        c.req.path !== '/api/auth/logout' &&
        c.req.path !== '/api/admin/logout'
      ) {
        throw new ApiError(400, 'BAD_REQUEST', 'send the body as application/json');
      }
    }
    await next();
  });

  app.route('/api', accountRoutes(deps));
  app.route('/api', shopRoutes(deps));
  app.route('/api', adminRoutes(deps));

  app.notFound((c) =>
    c.json({ error: { code: 'NOT_FOUND', message: `no route ${c.req.method} ${c.req.path}` } }, 404),
  );
  app.onError((err, c) => {
    const answer = errorAnswer(err);
    if (answer.status >= 500) deps.onInfrastructureError?.(err, `${c.req.method} ${c.req.path}`);
    for (const [k, v] of Object.entries(answer.headers)) c.header(k, v);
    return c.json(answer.body, answer.status as 400);
  });
  return app;
}
