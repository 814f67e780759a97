// The Node entry: builds the dependencies (model, database), serves the API and the built page,
// and shuts down gracefully. `npm start` runs it through start.mjs.
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import ws from 'ws';
import { createApp } from '../app.ts';
import { DEFAULT_LIMITS } from '../deps.ts';
import { nodeClientKey, trustedProxiesFromEnv, type TrustedProxies } from '../http/client-address.ts';
import { createMemoryRateLimiter, rateLimitFromEnv } from '../http/rate-limit.ts';
import { createModelHolder, pollModels } from '../inference/model-holder.ts';
import { createSqlModelRegistry } from '../store/model-registry.ts';
import { readMigrations } from '../store/migration-files.ts';
import { createPgliteStore } from '../store/pglite-store.ts';
import { createPostgresStore } from '../store/postgres-store.ts';
import type { SqlStore } from '../store/sql-store.ts';
import { portFromEnv } from '../port.mjs';
import { createDecodePool, defaultDecodeThreads } from './decode-pool.ts';
import { createInferencePool, inferenceThreadsFromEnv } from './inference-pool.ts';
import { applyHttpLimits, httpLimitsFromEnv, positiveInt, serverOptions, type HttpLimits } from './http-limits.ts';
import { loadStoredModelFromDir } from './model-files.ts';
import { nodeOrtWasm } from './ort-wasm.ts';
import { preparePgliteDataDir } from './prepare-pglite.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface NodeConfig {
  port: number;
  databaseUrl?: string;
  databaseWsProxy?: string;
  dataDir: string;
  adminToken?: string;
  /** Holds current.json and the .onnx files (MODEL_DIR, default model/): its version seeds an empty database. */
  modelDir: string;
  /** How often the database is asked which model version is current (MODEL_POLL_SECONDS). */
  modelPollSeconds: number;
  /** The built page (frontend/dist). */
  staticDir: string;
  /** Predictions and feedback a client may send a minute (RATE_LIMIT_PER_MINUTE); undefined: no limit. */
  rateLimitPerMinute?: number;
  /** Proxies whose X-Forwarded-For names the client (TRUSTED_PROXIES); none by default. */
  trustedProxies: TrustedProxies;
  /** Timeouts and the connection cap of the HTTP server. */
  http: HttpLimits;
  /** Threads that decode uploads (DECODE_THREADS). */
  decodeThreads: number;
  /** Threads that run the model (INFERENCE_THREADS); 0: the event loop runs it. */
  inferenceThreads: number;
  /** Bytes of prediction bodies held at once, all requests together (UPLOAD_MEMORY_MB). */
  bodyBytesInFlight: number;
}

/** A version made current anywhere is served by every replica within about this long. */
export const DEFAULT_MODEL_POLL_SECONDS = 5;

/** About one drawing a second, sustained for a minute: far above what a person draws. */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 600;

export function readConfig(env: NodeJS.ProcessEnv = process.env): NodeConfig {
  return {
    port: portFromEnv(env.PORT),
    databaseUrl: env.DATABASE_URL || undefined,
    databaseWsProxy: env.DATABASE_WS_PROXY || undefined,
    dataDir: path.resolve(env.DATA_DIR || 'data'),
    adminToken: env.ADMIN_TOKEN || undefined,
    modelDir: path.resolve(env.MODEL_DIR || path.join(REPO_ROOT, 'model')),
    modelPollSeconds: positiveInt('MODEL_POLL_SECONDS', env.MODEL_POLL_SECONDS, DEFAULT_MODEL_POLL_SECONDS),
    staticDir: path.join(REPO_ROOT, 'frontend', 'dist'),
    rateLimitPerMinute: rateLimitFromEnv(env.RATE_LIMIT_PER_MINUTE, DEFAULT_RATE_LIMIT_PER_MINUTE),
    trustedProxies: trustedProxiesFromEnv(env.TRUSTED_PROXIES),
    http: httpLimitsFromEnv(env),
    decodeThreads: positiveInt('DECODE_THREADS', env.DECODE_THREADS, defaultDecodeThreads()),
    inferenceThreads: inferenceThreadsFromEnv(env.INFERENCE_THREADS),
    bodyBytesInFlight: positiveInt('UPLOAD_MEMORY_MB', env.UPLOAD_MEMORY_MB, DEFAULT_LIMITS.bytesInFlight / 2 ** 20) * 2 ** 20,
  };
}

const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);

export async function openStore(config: NodeConfig): Promise<SqlStore> {
  const migrations = await readMigrations();
  let store: SqlStore;
  if (config.databaseUrl) {
    store = createPostgresStore({
      databaseUrl: config.databaseUrl,
      wsProxy: config.databaseWsProxy,
      migrations,
      webSocketConstructor: ws,
      // Node speaks PostgreSQL's own protocol over TCP when no proxy is named: a WebSocket proxy
      // between costs a round trip through one more process for every query.
      tcpPool: config.databaseWsProxy ? undefined : pg.Pool,
      onPoolError: (error) => log(`database connection error: ${error.message}`),
    });
  } else {
    await preparePgliteDataDir(config.dataDir);
    store = await createPgliteStore({ dataDir: config.dataDir, migrations });
  }
  await store.init();
  return store;
}

export interface RunningServer {
  server: Server;
  url: string;
  /** Stops accepting, waits for requests in flight (at most `graceMs`), closes the database. */
  close(graceMs?: number): Promise<void>;
}

export async function startNodeServer(config: NodeConfig): Promise<RunningServer> {
  const started = performance.now();
  const [store, wasm] = await Promise.all([openStore(config), nodeOrtWasm()]);
  const storeMs = Math.round(performance.now() - started);
  // The version the database calls current; this folder's only seeds an empty database.
  const models = createModelHolder(
    { registry: createSqlModelRegistry(store.client), seed: () => loadStoredModelFromDir(config.modelDir) },
    wasm,
    config.inferenceThreads ? createInferencePool(config.inferenceThreads) : undefined,
  );
  const model = await models.reload().catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  const modelMs = Math.round(performance.now() - started) - storeMs;
  const where = config.databaseUrl ? 'PostgreSQL' : `embedded in ${config.dataDir}`;
  log(`database (${where}) ready in ${storeMs} ms; model ${model.name} v${model.version} loaded in ${modelMs} ms`);
  const stopPolling = pollModels(models, config.modelPollSeconds * 1000, log);

  const decodePool = createDecodePool(config.decodeThreads);
  const limits = { ...DEFAULT_LIMITS, bytesInFlight: config.bodyBytesInFlight };
  const app = createApp({
    store,
    models,
    limits,
    decodeImage: decodePool.decode,
    adminToken: config.adminToken,
    log,
    rateLimiter: config.rateLimitPerMinute ? createMemoryRateLimiter({ perMinute: config.rateLimitPerMinute }) : undefined,
    // The peer address, or the client a trusted proxy forwarded for (X-Forwarded-For from anyone else is ignored).
    clientKey: nodeClientKey(config.trustedProxies),
  });
  // The page: the built files, index.html at /.
  app.get('*', serveStatic({ root: path.relative(process.cwd(), config.staticDir) || '.' }));

  let server: Server;
  try {
    server = await new Promise<Server>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port: config.port, serverOptions: serverOptions(config.http) }, () => resolve(s as Server));
      s.once('error', reject); // e.g. EADDRINUSE
    });
  } catch (error) {
    stopPolling();
    await Promise.all([store.close(), decodePool.close()]);
    throw error;
  }
  applyHttpLimits(server, config.http, limits);
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  log(`listening on ${url}`);

  let closing: Promise<void> | undefined;
  // 6 s for requests in flight (an upload held open is cut then), leaving time to close the database and
  // the decode threads within the 10 s promised for SIGTERM.
  const close = (graceMs = 6000) =>
    (closing ??= (async () => {
      stopPolling();
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive connections that turn idle while draining are closed as they do.
      const idle = setInterval(() => server.closeIdleConnections(), 100);
      const forced = setTimeout(() => server.closeAllConnections(), graceMs);
      try {
        await drained;
      } finally {
        clearInterval(idle);
        clearTimeout(forced);
      }
      await Promise.all([store.close(), decodePool.close()]);
    })());
  return { server, url, close };
}

export async function main(): Promise<void> {
  const running = await startNodeServer(readConfig());
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      log(`${signal}: finishing requests in flight, then exiting`);
      // Exit within 10 s whatever happens.
      setTimeout(() => process.exit(1), 9500).unref();
      running.close().then(
        () => process.exit(0),
        (error: unknown) => {
          log(`shutdown error: ${error instanceof Error ? error.message : String(error)}`);
          process.exit(1);
        },
      );
    });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
