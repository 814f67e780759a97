// Store for any real PostgreSQL. Through @neondatabase/serverless (WebSockets) the same code runs on
// Node and on Workers: Neon directly, or a self-hosted server behind a WebSocket proxy (wsproxy,
// websockify). On Node, a pg-compatible pool over TCP (node-postgres, handed in by the Node adapter so
// that the Worker bundle never holds it) reaches the server with no proxy between.
import { Client, Pool, type neonConfig } from '@neondatabase/serverless';
import { coalescingSends } from './coalesced-sends.ts';
import type { Migration } from './migrations.ts';
import { SqlStore, type ClientHasherCache, type QueryOptions, type SqlClient, type SqlSession } from './sql-store.ts';
import { StoreUnavailableError } from './store.ts';

export interface PostgresStoreOptions {
  databaseUrl: string;
  /** `host:port[/path]` of a plain-ws proxy in front of the server (DATABASE_WS_PROXY); unset for Neon. */
  wsProxy?: string;
  migrations: readonly Migration[];
  /** Where the client-hash key is kept once read; per store when unset (a Worker shares one per isolate). */
  clientHashers?: ClientHasherCache;
  /** Node 20 has no global WebSocket: the Node adapter passes `ws`. */
  webSocketConstructor?: typeof neonConfig.webSocketConstructor;
  /** A pg-compatible pool class that connects over TCP (node-postgres's `Pool`), used instead of Neon's. */
  tcpPool?: new (config: PoolConfig) => PgPool;
  /** Called for errors of idle pooled connections, which would otherwise crash the process. */
  onPoolError?: (error: Error) => void;
  /** Longest wait for a connection (new, or free in the pool) before a 503; default 5 s. */
  connectTimeoutMs?: number;
  /** Longest wait for a query's answer before a 503 (the server stops it too); default 10 s. */
  queryTimeoutMs?: number;
}

// SQLSTATE classes that mean "the server is going away or cannot take us", not "this SQL is wrong":
// 08 connection exception, 53 insufficient resources, 57 operator intervention (shutdown, statement timeout).
const UNAVAILABLE_CLASSES = new Set(['08', '53', '57']);

/**
 * A database error the client cannot fix becomes StoreUnavailableError (the API answers 503 and
 * Retry-After). Errors the server reports about the SQL itself (constraint violations) stay as they are.
 */
export function classifyDatabaseError(error: unknown): unknown {
  if (error instanceof StoreUnavailableError) return error;
  const e = error as { severity?: unknown; code?: unknown; message?: unknown } | null;
  const fromServer = typeof e?.severity === 'string' && typeof e.code === 'string';
  if (fromServer && !UNAVAILABLE_CLASSES.has((e.code as string).slice(0, 2))) return error;
  // A programming error is a bug, not an outage.
  if (!fromServer && (error instanceof TypeError || error instanceof RangeError)) return error;
  const message = typeof e?.message === 'string' && e.message ? e.message : String(error);
  return new StoreUnavailableError(message, { cause: error });
}

export function createPostgresStore(options: PostgresStoreOptions): SqlStore {
  return new SqlStore(postgresClient(options), options.migrations, options.clientHashers);
}

/** What the store needs of a pool: the part of pg's API that Neon's pool and node-postgres's share. */
interface PgQueryable {
  query(sql: string | { name: string; text: string; values: unknown[] }, params?: unknown[]): Promise<{ rows: unknown[] }>;
}
export interface PgPool extends PgQueryable {
  connect(): Promise<PgQueryable & { release(destroy?: boolean): void }>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  end(): Promise<void>;
}
export interface PoolConfig {
  connectionString: string;
  connectionTimeoutMillis: number;
  query_timeout: number;
  statement_timeout: number;
}

/** Neon's pool: PostgreSQL over WebSockets, to Neon itself or through DATABASE_WS_PROXY's proxy. */
function neonPool(config: PoolConfig, options: Pick<PostgresStoreOptions, 'wsProxy' | 'webSocketConstructor'>): PgPool {
  const pool = new Pool(config);
  // Settings go on each connection of this pool rather than on the global neonConfig, so two stores
  // (two proxies) in one process do not overwrite each other.
  const { wsProxy } = options;
  // Behind a proxy, Neon's timer-based coalescing is off (below) and sends are joined without a wait.
  const webSocketConstructor =
    wsProxy && options.webSocketConstructor ? coalescingSends(options.webSocketConstructor) : options.webSocketConstructor;
  pool.Client = class extends Client {
    constructor(config?: ConstructorParameters<typeof Client>[0]) {
      super(config);
      if (webSocketConstructor) this.neonConfig.webSocketConstructor = webSocketConstructor;
      if (wsProxy) {
        const proxy = wsProxy.replace(/^wss?:\/\//, '');
        this.neonConfig.wsProxy = () => proxy;
        this.neonConfig.useSecureWebSocket = false;
        // A self-hosted server does SCRAM authentication, which pipelined startup cannot do.
        this.neonConfig.pipelineConnect = false;
        // Neon's coalescing waits a timer for more writes before sending; on a local proxy that only adds
        // latency (coalesced-sends.ts joins them without waiting).
        this.neonConfig.coalesceWrites = false;
      }
    }
  };
  return pool;
}

const statementNames = new Map<string, string>();

/** One name per statement text: the driver prepares a name once per connection and reuses it after. */
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) statementNames.set(sql, (name = `digit_statement_${statementNames.size + 1}`));
  return name;
}

/** The pool behind a PostgreSQL store, as the SqlClient that SqlStore and the migrations run on. */
export function postgresClient(options: Omit<PostgresStoreOptions, 'migrations' | 'clientHashers'>): SqlClient {
  const queryTimeout = options.queryTimeoutMs ?? 10_000;
  const config: PoolConfig = {
    connectionString: options.databaseUrl,
    // Without these a request waits forever on a proxy or server that stopped answering.
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    query_timeout: queryTimeout,
    statement_timeout: queryTimeout,
  };
  const pool = options.tcpPool ? new options.tcpPool(config) : neonPool(config, options);
  pool.on('error', (error: Error) => options.onPoolError?.(error));
  // Only node-postgres's connections keep statements prepared: they live as long as the process. A
  // Worker's last one request, and Neon's pooler may stand between them and the server.
  const keepsPrepared = options.tcpPool !== undefined;
  /** Runs on `on` (the pool, or one connection of it), with a lost database reported as unavailable. */
  const sessionOf = (on: PgQueryable): SqlSession => ({
    async query<T>(sql: string, params: unknown[] = [], query: QueryOptions = {}) {
      try {
        const result = query.prepared && keepsPrepared ? await on.query({ name: statementName(sql), text: sql, values: params }) : await on.query(sql, params);
        return result.rows as T[];
      } catch (error) {
        throw classifyDatabaseError(error);
      }
    },
    async exec(script: string) {
      try {
        // Without parameters pg uses the simple protocol, which accepts several statements.
        await on.query(script);
      } catch (error) {
        throw classifyDatabaseError(error);
      }
    },
  });
  return {
    ...sessionOf(pool),
    async session(work) {
      const connection = await pool.connect().catch((error: unknown) => {
        throw classifyDatabaseError(error);
      });
      let finished = false;
      try {
        const result = await work(sessionOf(connection));
        finished = true;
        return result;
      } finally {
        // A connection that failed mid-session may hold a half-done transaction or a lock: never reused.
        connection.release(!finished);
      }
    },
    close: () => pool.end(),
  };
}
