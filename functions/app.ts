// The API as a runtime-neutral Hono app. Requests enter here; routes/ holds one file per endpoint,
// inference/ runs the model, store/ writes the rows. Runtime adapters (node/server.ts, worker/index.ts)
// build the dependencies and serve app.fetch.
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import type { AppDeps, AppEnv } from './deps.ts';
import { errorResponse, toErrorResponse } from './errors.ts';
import { rateLimit } from './http/rate-limit.ts';
import { adminRoutes } from './routes/admin.ts';
import { feedbackRoute } from './routes/feedback.ts';
import { healthRoutes } from './routes/health.ts';
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
  // Only the endpoints that write rows are limited: reads are cheap, and tests poll them.
  app.on('POST', ['/api/predict', '/api/predictions/:id/feedback'], rateLimit(deps));

  app.route('/api/predict', predictRoute(deps));
  app.route('/api/predictions', feedbackRoute(deps));
  app.route('/api/predictions', predictionsRoute(deps));
  app.route('/api/stats', statsRoute(deps));
  app.route('/api/admin', adminRoutes(deps));
  app.route('/api', healthRoutes(deps));

  app.notFound((c) => errorResponse(c, 404, 'not-found', `No route for ${c.req.method} ${c.req.path}`));
  app.onError((err, c) => toErrorResponse(err, c, log));
  return app;
}
