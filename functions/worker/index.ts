// The Cloudflare Worker entry: the same createApp as the Node server, with dependencies built the Workers
// way. The page is Workers Static Assets (wrangler.toml); only /api/* runs this code.
import { createApp } from '../app.ts';
import type { WorkerContext, WorkerEnv } from './env.ts';
import { schemaSql } from './bundled.generated.js';
import { openRequestStore, type SchemaState } from './request-store.ts';
import { modelLoaded, models } from './worker-models.ts';

export type { WorkerEnv } from './env.ts';

const schema: SchemaState = { applied: false };

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
    // Static assets answer everything else before the Worker runs; this is for setups without that routing.
    if (!new URL(request.url).pathname.startsWith('/api/') && env.ASSETS) return env.ASSETS.fetch(request);
    await modelLoaded();
    const store = openRequestStore(env, schemaSql, schema);
    const app = createApp({ store, models, adminToken: env.ADMIN_TOKEN || undefined });
    return afterBody(await app.fetch(request), ctx, () => store.close());
  },
};
