// The model in a Worker: the version the database calls current, loaded once per isolate and checked
// at most every CHECK_EVERY_MS (a one-row SELECT, after the response; the bytes only when the version
// changed). The version model/current.json named at build time is bundled: it seeds an empty database,
// is the only version without one (DATABASE_URL unset), and serves while the database cannot be reached
// on an isolate's first request.
import { ApiError } from '../errors.ts';
import { createModelHolder } from '../inference/model-holder.ts';
import { createSqlModelRegistry, type ModelRegistry, type StoredModel } from '../store/model-registry.ts';
import { createPostgresStore } from '../store/postgres-store.ts';
import { migrations, model, modelBytes, modelCard, ortWasm } from './bundled.generated.js';
import type { WorkerEnv } from './env.ts';

/** How stale an isolate's idea of the current version may get. */
export const CHECK_EVERY_MS = 5000;

// The bindings of the latest request (the same for every request an isolate serves).
let bindings: WorkerEnv | undefined;
// Whether this isolate has brought the database up to the bundled migrations. The model check runs
// before the isolate's first request reaches a store, so on a brand-new database the model tables
// exist only once this connection has migrated it (applying is idempotent and locked across isolates).
let migrated = false;

const bundled = async (): Promise<StoredModel> => ({
  name: model.name,
  version: model.version,
  bytes: new Uint8Array(modelBytes),
  card: modelCard,
});

const notConfigured = () =>
  Promise.reject(new ApiError(503, 'database-not-configured', 'DATABASE_URL is not set: the Worker keeps model versions in the database'));

/** Without a database the bundled version is the only one, and nothing can be published. */
const bundledOnly: ModelRegistry = {
  list: notConfigured,
  current: async () => ({ name: model.name, version: model.version }),
  get: async (version) => (version === model.version ? bundled() : null),
  publish: notConfigured,
  setCurrent: notConfigured,
  seed: notConfigured,
};

/** One call on a connection of its own, closed after: a Worker keeps no sockets between requests. */
async function onDatabase<T>(work: (registry: ModelRegistry) => Promise<T>): Promise<T> {
  const databaseUrl = bindings?.DATABASE_URL;
  if (!databaseUrl) return work(bundledOnly);
  let closing = false;
  const store = createPostgresStore({
    databaseUrl,
    wsProxy: bindings?.DATABASE_WS_PROXY || undefined,
    migrations,
    onPoolError: (error) => {
      if (!closing) console.log(`database connection error: ${error.message}`);
    },
  });
  try {
    if (!migrated) {
      await store.init();
      migrated = true;
    }
    return await work(createSqlModelRegistry(store.client));
  } finally {
    closing = true;
    await store.close();
  }
}

const registry: ModelRegistry = {
  list: () => onDatabase((r) => r.list()),
  current: () => onDatabase((r) => r.current()),
  get: (version) => onDatabase((r) => r.get(version)),
  publish: (m) => onDatabase((r) => r.publish(m)),
  setCurrent: (version) => onDatabase((r) => r.setCurrent(version)),
  seed: (m) => onDatabase((r) => r.seed(m)),
};

export const models = createModelHolder({ registry, seed: bundled, seedWhenUnreachable: true }, { wasmModule: ortWasm });

let firstLoad: Promise<void> | undefined;
let checkedAt = -Infinity;

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Resolves once a model is in service, or has failed to load (then /api/ready answers 503 and the next
 * request tries again). Later calls resolve at once, and every CHECK_EVERY_MS one of them starts a check
 * that `ctx` keeps alive after the response.
 */
export function modelLoaded(env?: WorkerEnv, ctx?: { waitUntil(promise: Promise<unknown>): void }): Promise<void> {
  if (env) bindings = env;
  if (!models.current()) {
    firstLoad ??= models
      .reload()
      .then(
        () => void (checkedAt = Date.now()),
        (error: unknown) => console.log(`model ${model.name} failed to load: ${reason(error)}`),
      )
      .finally(() => (firstLoad = undefined));
    return firstLoad;
  }
  if (bindings?.DATABASE_URL && Date.now() - checkedAt >= CHECK_EVERY_MS) {
    checkedAt = Date.now();
    const check = models.reload().then(
      () => undefined,
      (error: unknown) => console.log(`model check failed, v${models.current()?.model.version} stays in service: ${reason(error)}`),
    );
    ctx?.waitUntil(check);
  }
  return Promise.resolve();
}
