// /api/admin/*: the retraining loop. Off (404) unless ADMIN_TOKEN is set; then a bearer token is required,
// checked by Hono's bearer-auth (constant-time comparison).
import { Hono, type MiddlewareHandler } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { forRequest, type AppDeps, type AppEnv } from '../deps.ts';
import { ApiError, errorBody } from '../errors.ts';
import type { LabeledRow, PageKey } from '../store/store.ts';
import { modelAdminRoutes } from './admin-models.ts';
import { retrainJobRoutes } from './retrain-jobs.ts';

const EXPORT_PAGE = 500;

/**
 * A label that contradicts a prediction made this confidently is more often a mistake or an attack than
 * a correction (the probabilities are calibrated: such a reading is wrong at most about 1 time in 100). It is not
 * thrown away but held for review: the export says so, and retraining leaves it out unless told otherwise.
 */
export const REVIEW_CONFIDENCE = 0.99;

export const heldForReview = (r: Pick<LabeledRow, 'trueLabel' | 'predictedDigit' | 'confidence'>) =>
  r.trueLabel !== r.predictedDigit && r.confidence >= REVIEW_CONFIDENCE;

const UNAUTHORIZED = errorBody('unauthorized', 'A valid "Authorization: Bearer <ADMIN_TOKEN>" header is required');

/** Hono's bearer-auth for `token`, answering in the API's error format. */
const bearerFor = (token: string) =>
  bearerAuth({
    token,
    noAuthenticationHeader: { message: UNAUTHORIZED },
    invalidToken: { message: UNAUTHORIZED },
    invalidAuthenticationHeader: {
      message: errorBody('bad-request', 'The Authorization header must be "Bearer <token>"'),
    },
  });

export function adminRoutes(deps: Pick<AppDeps, 'adminToken' | 'models'>) {
  // A Worker reads its token from each request's env: the check is built again only when it changes.
  let built: { token: string; check: MiddlewareHandler } | undefined;
  const requireAdmin: MiddlewareHandler<AppEnv> = (c, next) => {
    const token = forRequest(deps.adminToken, c);
    if (!token) throw new ApiError(404, 'not-found', 'Admin endpoints are off: ADMIN_TOKEN is not set');
    if (built?.token !== token) built = { token, check: bearerFor(token) };
    return built.check(c, next);
  };

  return (
    new Hono<AppEnv>()
      .use('*', requireAdmin)
      // NDJSON, one labeled prediction a line, read from the database page by page. Each says who made
      // it (clientHash, null for rows older than client hashes) so that retraining can cap and split by client.
      .get('/feedback', (c) => {
        const store = c.var.store;
        let after: PageKey | null = null;
        const encoder = new TextEncoder();
        const body = new ReadableStream<Uint8Array>({
          async pull(controller) {
            const rows = await store.listLabeled(EXPORT_PAGE, after);
            const lines = rows.map((r) =>
              JSON.stringify({
                id: r.id,
                input: Array.from(r.input),
                trueLabel: r.trueLabel,
                modelVersion: r.modelVersion,
                createdAt: new Date(r.createdAt).toISOString(),
                predictedDigit: r.predictedDigit,
                confidence: r.confidence,
                clientHash: r.clientHash,
                heldForReview: heldForReview(r),
              }),
            );
            if (lines.length) controller.enqueue(encoder.encode(lines.join('\n') + '\n'));
            if (rows.length < EXPORT_PAGE) controller.close();
            else after = rows.at(-1)!;
          },
        });
        return c.body(body, 200, { 'content-type': 'application/x-ndjson; charset=utf-8' });
      })
      .route('/models', modelAdminRoutes(deps))
      .route('/retrain-jobs', retrainJobRoutes())
  );
}
