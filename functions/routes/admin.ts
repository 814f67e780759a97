// /api/admin/*: the retraining loop. Off (404) unless ADMIN_TOKEN is set; then a bearer token is required.
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppDeps, AppEnv } from '../deps.ts';
import { ApiError } from '../errors.ts';
import type { PageKey } from '../store/store.ts';

const EXPORT_PAGE = 500;

/** Compares in time independent of where the strings differ, so the token cannot be guessed byte by byte. */
function sameSecret(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ (y[i % y.length] ?? 0);
  return diff === 0;
}

export function adminRoutes(deps: AppDeps) {
  const token = deps.adminToken;
  const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
    if (!token) throw new ApiError(404, 'not-found', 'Admin endpoints are off: ADMIN_TOKEN is not set');
    const header = c.req.header('authorization') ?? '';
    if (!header.startsWith('Bearer ') || !sameSecret(header.slice(7), token)) {
      c.header('WWW-Authenticate', 'Bearer');
      throw new ApiError(401, 'unauthorized', 'A valid "Authorization: Bearer <ADMIN_TOKEN>" header is required');
    }
    await next();
  });

  return (
    new Hono<AppEnv>()
      .use('*', requireAdmin)
      // NDJSON, one labeled prediction a line, read from the database page by page.
      .get('/feedback', (c) => {
        let after: PageKey | null = null;
        const encoder = new TextEncoder();
        const body = new ReadableStream<Uint8Array>({
          async pull(controller) {
            const rows = await deps.store.listLabeled(EXPORT_PAGE, after);
            const lines = rows.map((r) =>
              JSON.stringify({
                id: r.id,
                input: Array.from(r.input),
                trueLabel: r.trueLabel,
                modelVersion: r.modelVersion,
                createdAt: new Date(r.createdAt).toISOString(),
              }),
            );
            if (lines.length) controller.enqueue(encoder.encode(lines.join('\n') + '\n'));
            if (rows.length < EXPORT_PAGE) controller.close();
            else after = rows.at(-1)!;
          },
        });
        return c.body(body, 200, { 'content-type': 'application/x-ndjson; charset=utf-8' });
      })
      .post('/models/reload', async (c) => {
        try {
          return c.json({ model: await deps.models.reload() });
        } catch (error) {
          // The previous model stays in service; the admin sees why the new one did not load.
          const reason = error instanceof Error ? error.message : String(error);
          throw new ApiError(500, 'model-reload-failed', `The current model could not be loaded: ${reason}`);
        }
      })
  );
}
