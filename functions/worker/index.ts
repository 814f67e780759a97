// The Cloudflare Worker entry: the app (worker-app.ts) is built once per isolate, with the model and
// the migrations bundled; each request brings its env and execution context.
import type { ExecutionContext } from 'hono';
import { migrations } from './bundled.generated.js';
import type { WorkerEnv } from './env.ts';
import { createWorkerApp } from './worker-app.ts';
import { modelLoaded, models } from './worker-models.ts';

export type { WorkerEnv } from './env.ts';

const app = createWorkerApp({ models, migrations });

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    // A page request does not wait for the model (only the first request of an isolate would).
    if (new URL(request.url).pathname.startsWith('/api/')) await modelLoaded(env, ctx);
    return app.fetch(request, env, ctx);
  },
};
