// The Cloudflare Worker entry: the same createApp as the Node server, with dependencies built the Workers
// way. As on Node, the page's files come through the app after the API routes (here from Workers Static
// Assets), so they carry the same security headers and request log.
import { createApp } from '../app.ts';
import type { RateLimiter } from '../deps.ts';
import type { RateLimitBinding, WorkerContext, WorkerEnv } from './env.ts';
import { migrations } from './bundled.generated.js';
import { openRequestStore, type SchemaState } from './request-store.ts';
import { modelLoaded, models } from './worker-models.ts';

export type { WorkerEnv } from './env.ts';

const schema: SchemaState = { applied: false };

/** The rate-limit binding behind the app's RateLimiter; it does not say when to retry, so the app's 60 s stands. */
const bindingLimiter = (binding: RateLimitBinding): RateLimiter => ({
  limit: async (key) => ({ success: (await binding.limit({ key })).success }),
});

/** Runs `done` once the response body has been sent (the NDJSON export reads the database as it streams). */
function afterBody(response: Response, ctx: WorkerContext, done: () => Promise<void>): Response {
  const finish = () => done().catch((error: unknown) => console.log(`closing the database failed: ${error}`));
  if (!response.body) {
    ctx.waitUntil(finish());
    return response;
  }
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  ctx.waitUntil(response.body.pipeTo(writable).catch(() => undefined).then(finish));
  return new Response(readable, response);
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: WorkerContext): Promise<Response> {
    // A page request does not wait for the model (only the first request of an isolate would).
    if (new URL(request.url).pathname.startsWith('/api/')) await modelLoaded();
    const store = openRequestStore(env, migrations, schema);
    const app = createApp({
      store,
      models,
      adminToken: env.ADMIN_TOKEN || undefined,
      rateLimiter: env.RATE_LIMITER && bindingLimiter(env.RATE_LIMITER),
      // Cloudflare sets the client's address; it is absent only in local tests.
      clientKey: (c) => c.req.header('cf-connecting-ip') ?? 'unknown',
    });
    const assets = env.ASSETS;
    if (assets) {
      app.get('*', async (c) => {
        if (c.req.path.startsWith('/api/')) return c.notFound();
        const file = await assets.fetch(c.req.raw);
        // A fetched response's headers are immutable; the security headers are set on a copy.
        return new Response(file.body, file);
      });
    }
    return afterBody(await app.fetch(request), ctx, () => store.close());
  },
};
