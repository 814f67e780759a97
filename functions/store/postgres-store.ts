// Store for any real PostgreSQL through @neondatabase/serverless (WebSockets), so the same code runs on
// Node and on Workers: Neon directly, or a self-hosted server behind a WebSocket proxy (wsproxy, websockify).
import { Client, Pool, type neonConfig } from '@neondatabase/serverless';
import { SqlStore } from './sql-store.ts';

export interface PostgresStoreOptions {
  databaseUrl: string;
  /** `host:port[/path]` of a plain-ws proxy in front of the server (DATABASE_WS_PROXY); unset for Neon. */
  wsProxy?: string;
  schemaSql: string;
  /** Node 20 has no global WebSocket: the Node adapter passes `ws`. */
  webSocketConstructor?: typeof neonConfig.webSocketConstructor;
  /** Called for errors of idle pooled connections, which would otherwise crash the process. */
  onPoolError?: (error: Error) => void;
}

export function createPostgresStore(options: PostgresStoreOptions): SqlStore {
  const pool = new Pool({ connectionString: options.databaseUrl });
  // Settings go on each connection of this pool rather than on the global neonConfig, so two stores
  // (two proxies) in one process do not overwrite each other.
  const { wsProxy, webSocketConstructor } = options;
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
        // Coalescing waits for more writes before sending; on a local proxy that only adds latency.
        this.neonConfig.coalesceWrites = false;
      }
    }
  };
  pool.on('error', (error: Error) => options.onPoolError?.(error));
  return new SqlStore(
    {
      async query<T>(sql: string, params: unknown[] = []) {
        const result = await pool.query(sql, params);
        return result.rows as T[];
      },
      async exec(script: string) {
        // Without parameters pg uses the simple protocol, which accepts several statements.
        await pool.query(script);
      },
      close: () => pool.end(),
    },
    options.schemaSql,
  );
}
