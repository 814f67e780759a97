// What building the app once per isolate saves each Worker request: the app built and its first
// request answered (what the Worker did on every request when it built the app per request) against a
// request on an app built once (what it does now). The Worker's own app (functions/worker/worker-app.ts)
// through Hono's app.request in Node, with a Worker's env and execution context; GET /api/health and
// no database (DATABASE_URL unset), so the figures are the app's own work: building the routes,
// compiling the router on the first match, the middleware.
import { createModelHolder } from '../functions/inference/model-holder.ts';
import { loadModelFromDir } from '../functions/node/model-files.ts';
import { nodeOrtWasm } from '../functions/node/ort-wasm.ts';
import { createWorkerApp } from '../functions/worker/worker-app.ts';
import { median } from './stats.ts';
import { fixed, markdownTable } from './table.ts';

const PATH = '/api/health';
const WARM_UP = 100;

export interface WorkerAppResult {
  path: string;
  iterations: number;
  /** Medians, in milliseconds. */
  buildMs: number;
  firstRequestMs: number;
  reusedRequestMs: number;
  /** Built per request (build + first request) less a request on the app built once. */
  savedMs: number;
}

const executionCtx = { waitUntil: (promise: Promise<unknown>) => void promise.catch(() => undefined), passThroughOnException: () => {}, props: {} };

export async function benchWorkerApp({ modelDir, iterations = 500 }: { modelDir: string; iterations?: number }): Promise<WorkerAppResult> {
  const models = createModelHolder(() => loadModelFromDir(modelDir), await nodeOrtWasm());
  await models.reload();
  // No database is reached (DATABASE_URL is unset), so no migrations are needed.
  const build = () => createWorkerApp({ models, migrations: [], log: () => {} });
  const request = async (app: ReturnType<typeof build>) => {
    const res = await app.request(PATH, {}, {}, executionCtx);
    if (res.status !== 200) throw new Error(`${PATH} answered ${res.status}`);
    await res.arrayBuffer();
  };
  const reused = build();
  const builds: number[] = [];
  const firsts: number[] = [];
  const reuses: number[] = [];
  // Fresh and reused alternate, so that both see the same state of the JIT and the heap.
  for (let i = -WARM_UP; i < iterations; i++) {
    const t0 = performance.now();
    const fresh = build();
    const t1 = performance.now();
    await request(fresh);
    const t2 = performance.now();
    await request(reused);
    const t3 = performance.now();
    if (i < 0) continue;
    builds.push(t1 - t0);
    firsts.push(t2 - t1);
    reuses.push(t3 - t2);
  }
  const buildMs = median(builds);
  const firstRequestMs = median(firsts);
  const reusedRequestMs = median(reuses);
  return { path: PATH, iterations, buildMs, firstRequestMs, reusedRequestMs, savedMs: buildMs + firstRequestMs - reusedRequestMs };
}

export function workerAppReport(r: WorkerAppResult): string {
  return [
    `### The Worker's app: built per request against built once (GET ${r.path} in Node, median of ${r.iterations})`,
    markdownTable(
      ['build the app ms', 'its first request ms', 'a request on the app built once ms', 'saved per request ms'],
      [[fixed(r.buildMs, 3), fixed(r.firstRequestMs, 3), fixed(r.reusedRequestMs, 3), fixed(r.savedMs, 3)]],
    ),
  ].join('\n\n');
}
