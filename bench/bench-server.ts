// The server the HTTP benchmarks load, one process per target, started by targets.ts:
//   predict targets: the real app (createApp) with the real model and the store BENCH_STORE names
//   (postgres: DATABASE_URL/DATABASE_WS_PROXY as in production, through the WebSocket proxy; postgres-tcp:
//   DATABASE_URL alone, as the Node server runs without a proxy, over TCP; postgres-unbatched: through the
//   proxy, one INSERT per prediction as before inserts were batched; pglite: DATA_DIR; noop: logging off;
//   INFERENCE_THREADS=0 puts the model on the event loop, as for the server);
//   ceiling: a bare Hono app whose POST /noop does nothing, on the same @hono/node-server setup.
// Both log one line per request to stdout like functions/node/server.ts. No rate limiter: every request
// comes from 127.0.0.1. Run: node --import tsx bench/bench-server.ts
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createApp } from '../functions/app.ts';
import { createModelHolder } from '../functions/inference/model-holder.ts';
import { createInferencePool } from '../functions/node/inference-pool.ts';
import { loadModelFromDir } from '../functions/node/model-files.ts';
import { nodeOrtWasm } from '../functions/node/ort-wasm.ts';
import { openStore, readConfig, type NodeConfig } from '../functions/node/server.ts';
import { SqlStore } from '../functions/store/sql-store.ts';
import type { NewPrediction, Store } from '../functions/store/store.ts';
import { NoopStore } from './noop-store.ts';

export const BENCH_STORES = ['noop', 'pglite', 'postgres', 'postgres-tcp', 'postgres-unbatched', 'ceiling'] as const;
export type BenchStore = (typeof BENCH_STORES)[number];

const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);

/** The store as it was before inserts were batched: one INSERT (one round trip) per prediction. */
function unbatched(store: Store): Store {
  if (!(store instanceof SqlStore)) throw new Error('postgres-unbatched needs the SQL store');
  return Object.assign(Object.create(store) as SqlStore, {
    insertPrediction: async (p: NewPrediction) => (await store.insertMany([p]))[0]!,
  });
}

async function openBenchStore(kind: Exclude<BenchStore, 'ceiling'>, config: NodeConfig): Promise<Store> {
  if (kind === 'noop') return new NoopStore();
  if (kind === 'pglite') return openStore({ ...config, databaseUrl: undefined });
  const store = await openStore(config);
  return kind === 'postgres-unbatched' ? unbatched(store) : store;
}

async function buildApp(kind: BenchStore, config: NodeConfig) {
  if (kind === 'ceiling') return { fetch: new Hono().post('/noop', (c) => c.json({ ok: true })).fetch, store: undefined };
  // The model where functions/node/server.ts runs it (INFERENCE_THREADS).
  const create = config.inferenceThreads ? createInferencePool(config.inferenceThreads) : undefined;
  const models = createModelHolder(() => loadModelFromDir(config.modelDir), await nodeOrtWasm(), create);
  const [store] = await Promise.all([openBenchStore(kind, config), models.reload()]);
  return { fetch: createApp({ store, models, log }).fetch, store };
}

async function main() {
  const kind = process.env.BENCH_STORE as BenchStore;
  if (!BENCH_STORES.includes(kind)) throw new Error(`BENCH_STORE must be one of ${BENCH_STORES.join(', ')}`);
  const config = readConfig();
  if (kind.startsWith('postgres') && !config.databaseUrl) throw new Error('BENCH_STORE=postgres needs DATABASE_URL');
  const { fetch, store } = await buildApp(kind, config);
  const server = serve({ fetch, port: config.port, hostname: '127.0.0.1' }, () => process.stderr.write(`listening ${config.port}\n`));
  process.once('SIGTERM', () => server.close(() => void (store?.close() ?? Promise.resolve()).finally(() => process.exit(0))));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
