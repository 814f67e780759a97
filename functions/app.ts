// The API as a runtime-neutral Hono app. Requests enter here; routes/ holds one file per endpoint,
// inference/ runs the model, store/ writes the rows. Runtime adapters (node/server.ts, worker/index.ts)
// build the dependencies and the app once, and serve app.fetch; handlers reach the database as
// `c.var.store`, so a Worker can open one per request.
import { Hono, type MiddlewareHandler } from 'hono';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { DEFAULT_LIMITS, type AppDeps, type AppEnv } from './deps.ts';
import { errorResponse, toErrorResponse } from './errors.ts';
import { limitDrawingBodies } from './http/body-limit.ts';
import { rateLimit } from './http/rate-limit.ts';
import { adminRoutes } from './routes/admin.ts';
import { feedbackRoute } from './routes/feedback.ts';
import { healthRoutes } from './routes/health.ts';
import { numbersRoute } from './routes/numbers.ts';
import { predictRoute } from './routes/predict.ts';
import { predictionsRoute } from './routes/predictions.ts';
import { statsRoute } from './routes/stats.ts';

export type { AppDeps, RateLimiter, RateLimitResult } from './deps.ts';

/**
 * The page (frontend/dist) loads only its own script and stylesheet files and talks only to this
 * origin: no inline code, no eval, no framing. The favicon is a data: URL.
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** Vite's output folder for the page's files, which carry a content hash in their names. */
const HASHED_ASSETS = '/assets/';

/**
 * API answers are never stored by a browser or proxy (predictions, history, the admin export); the
 * page's hashed files may be kept for good, and the rest (index.html) is revalidated each time.
 */
const cacheControl: MiddlewareHandler = async (c, next) => {
  await next();
  if (c.res.headers.has('cache-control')) return;
  const hashed = c.req.path.startsWith(HASHED_ASSETS) && c.res.status === 200;
  const policy = c.req.path.startsWith('/api/') ? 'no-store' : hashed ? 'public, max-age=31536000, immutable' : 'no-cache';
  c.res.headers.set('Cache-Control', policy);
};

/** The process's one store for every request, unless the adapter's middleware opens one per request. */
const provideStore = (store: AppDeps['store']): MiddlewareHandler<AppEnv> =>
  typeof store === 'function'
    ? store
    : async (c, next) => {
        c.set('store', store);
        await next();
      };

export function createApp(deps: AppDeps) {
  const log = deps.log ?? ((line: string) => console.log(line));
  const app = new Hono<AppEnv>();

  app.use('*', requestId());
  // One line per request; no headers, query strings or bodies, so no tokens or drawings end up in logs.
  app.use('*', async (c, next) => {
    const start = performance.now();
    await next();
    const ms = (performance.now() - start).toFixed(1);
    // The raw, still percent-encoded path: a decoded one could carry a newline and forge a log line.
    log(`${c.req.method} ${new URL(c.req.url).pathname} ${c.res.status} ${ms}ms request=${c.get('requestId')}`);
  });
  app.use('*', secureHeaders({ contentSecurityPolicy: CONTENT_SECURITY_POLICY, xFrameOptions: 'DENY' }));
  app.use('*', cacheControl);
  // Only the endpoints that write rows are limited: reads are cheap, and tests poll them.
  app.on('POST', ['/api/predict', '/api/numbers', '/api/predictions/:id/feedback'], rateLimit(deps));
  app.on('POST', ['/api/predict', '/api/numbers'], limitDrawingBodies({ ...DEFAULT_LIMITS, ...deps.limits }));
  // After the limit: a refused request opens no database connection.
  app.use('/api/*', provideStore(deps.store));

  app.route('/api/predict', predictRoute(deps));
  app.route('/api/numbers', numbersRoute(deps));
  app.route('/api/predictions', feedbackRoute(deps));
  app.route('/api/predictions', predictionsRoute());
  app.route('/api/stats', statsRoute());
  app.route('/api/admin', adminRoutes(deps));
  app.route('/api', healthRoutes(deps));

  app.notFound((c) => errorResponse(c, 404, 'not-found', `No route for ${c.req.method} ${c.req.path}`));
  app.onError((err, c) => toErrorResponse(err, c, log));
  return app;
}
