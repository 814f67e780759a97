// The Worker's app: the same createApp as the Node server, built once per isolate. What belongs to one
// request comes from its env through Hono's context: the database (a Neon pool of its own, closed once
// the response body has been sent), the admin token and the rate-limit binding. As on Node, the page's
// files come through the app after the API routes (here from Workers Static Assets), so they carry the
// same security headers and request log.
import type { Context, ExecutionContext } from 'hono';
import { getConnInfo } from 'hono/cloudflare-workers';
import { createMiddleware } from 'hono/factory';
import { createApp } from '../app.ts';
import type { AppEnv, RateLimiter } from '../deps.ts';
import type { ModelHolder } from '../inference/model-holder.ts';
import type { Migration } from '../store/migrations.ts';
import type { WorkerEnv } from './env.ts';
import { openRequestStore, type SchemaState } from './request-store.ts';

/** The request's bindings and secrets: Hono's context carries them as `c.env`. */
const envOf = (c: Context): WorkerEnv => c.env;

/** The rate-limit binding behind the app's RateLimiter; it does not say when to retry, so the app's 60 s stands. */
const bindingLimiter = (binding: RateLimit): RateLimiter => ({
  limit: async (key) => ({ success: (await binding.limit({ key })).success }),
});

/** Runs `done` once the response body has been sent (the NDJSON export reads the database as it streams). */
function afterBody(response: Response, ctx: ExecutionContext, done: () => Promise<void>): Response {
  const finish = () => done().catch((error: unknown) => console.log(`closing the database failed: ${error}`));
  if (!response.body) {
    ctx.waitUntil(finish());
    return response;
  }
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  ctx.waitUntil(response.body.pipeTo(writable).catch(() => undefined).then(finish));
  return new Response(readable, response);
}

export interface WorkerAppOptions {
  models: ModelHolder;
  /** Applied by the first request of the isolate that uses the database. */
  migrations: readonly Migration[];
  /** The request log; console.log (what Workers Logs collect) when unset. */
  log?: (line: string) => void;
}

export function createWorkerApp({ models, migrations, log }: WorkerAppOptions) {
  const schema: SchemaState = { applied: false };
  /** The request's own database, closed once its response has been sent. */
  const requestStore = createMiddleware<AppEnv>(async (c, next) => {
    const store = openRequestStore(envOf(c), migrations, schema);
    c.set('store', store);
    await next();
    c.res = afterBody(c.res, c.executionCtx, () => store.close());
  });

  const app = createApp({
    store: requestStore,
    models,
    log,
    adminToken: (c) => envOf(c).ADMIN_TOKEN || undefined,
    rateLimiter: (c) => {
      const binding = envOf(c).RATE_LIMITER;
      return binding && bindingLimiter(binding);
    },
    // Cloudflare sets the client's address; it is absent only in local tests.
    clientKey: (c) => getConnInfo(c).remote.address ?? 'unknown',
  });
  app.get('*', async (c) => {
    const assets = envOf(c).ASSETS;
    if (!assets || c.req.path.startsWith('/api/')) return c.notFound();
    const file = await assets.fetch(c.req.raw);
    // A fetched response's headers are immutable; the security headers are set on a copy.
    return new Response(file.body, file);
  });
  return app;
}
