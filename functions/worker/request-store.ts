// The database of one request. A Worker cannot keep connections between requests (their sockets belong
// to the request that opened them), so each request gets its own Neon pool, closed once the response
// is sent. The migrations are applied once per isolate, by the first request that uses the database.
import { ApiError } from '../errors.ts';
import type { Migration } from '../store/migrations.ts';
import { createPostgresStore } from '../store/postgres-store.ts';
import type { ClientHasherCache } from '../store/sql-store.ts';
import type { Store } from '../store/store.ts';
import type { WorkerEnv } from './env.ts';

/** What the requests of one isolate share: whether the migrations ran, and the client-hash key once read. */
export interface SchemaState extends ClientHasherCache {
  applied: boolean;
}

/** The store the handlers use when DATABASE_URL is unset: every call is a 503 saying what is missing. */
export const unconfiguredStore: Store = (() => {
  const missing = () =>
    Promise.reject(
      new ApiError(503, 'database-not-configured', 'DATABASE_URL is not set: the Worker has no database (wrangler secret put DATABASE_URL)'),
    );
  return {
    init: missing,
    ping: missing,
    insertPrediction: missing,
    setTrueLabel: missing,
    listPredictions: missing,
    listLabeled: missing,
    stats: missing,
    close: async () => {},
  };
})();

/** `store`, brought up to the newest migration before its first use in this isolate. */
export function applyingSchemaFirst(store: Store, state: SchemaState): Store {
  let applying: Promise<void> | undefined;
  const ensure = () =>
    state.applied
      ? Promise.resolve()
      : (applying ??= (async () => {
          await store.init();
          state.applied = true;
        })().finally(() => (applying = undefined)));
  const first =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await ensure();
      return call(...args);
    };
  return {
    init: () => store.init(),
    ping: first(() => store.ping()),
    insertPrediction: first((row) => store.insertPrediction(row)),
    setTrueLabel: first((id, label) => store.setTrueLabel(id, label)),
    listPredictions: first((limit, after) => store.listPredictions(limit, after)),
    listLabeled: first((limit, after) => store.listLabeled(limit, after)),
    stats: first(() => store.stats()),
    close: () => store.close(),
  };
}

export function openRequestStore(env: WorkerEnv, migrations: readonly Migration[], schema: SchemaState): Store {
  if (!env.DATABASE_URL) return unconfiguredStore;
  let closing = false;
  const store = createPostgresStore({
    databaseUrl: env.DATABASE_URL,
    wsProxy: env.DATABASE_WS_PROXY || undefined,
    migrations,
    clientHashers: schema,
    // Once the pool is being closed, workerd reports the server ending the socket as a lost connection.
    onPoolError: (error) => {
      if (!closing) console.log(`database connection error: ${error.message}`);
    },
  });
  const first = applyingSchemaFirst(store, schema);
  return {
    ...first,
    close: () => {
      closing = true;
      return first.close();
    },
  };
}
