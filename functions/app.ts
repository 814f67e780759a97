// The API as a runtime-neutral Hono app. Requests enter here; routes/ holds one file per endpoint,
// inference/ runs the model, store/ writes the rows. Runtime adapters (node/server.ts, later the Worker)
// build the dependencies and serve app.fetch.
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import type { AppDeps, AppEnv } from './deps.ts';
import { errorResponse, toErrorResponse } from './errors.ts';
import { adminRoutes } from './routes/admin.ts';
import { feedbackRoute } from './routes/feedback.ts';
import { healthRoutes } from './routes/health.ts';
import { predictRoute } from './routes/predict.ts';
import { predictionsRoute } from './routes/predictions.ts';
import { statsRoute } from './routes/stats.ts';

export type { AppDeps } from './deps.ts';

export function createApp(deps: AppDeps) {
  const log = deps.log ?? ((line: string) => console.log(line));
  const app = new Hono<AppEnv>();

  app.use('*', requestId());
  // One line per request; no headers or bodies, so no tokens or drawings end up in logs.
  app.use('*', async (c, next) => {
    const start = performance.now();
    await next();
    const ms = (performance.now() - start).toFixed(1);
    log(`${c.req.method} ${c.req.path} ${c.res.status} ${ms}ms request=${c.get('requestId')}`);
  });

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
