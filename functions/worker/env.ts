// What Cloudflare hands the Worker. `Env`, the bindings wrangler.toml declares, is generated into
// worker-configuration.d.ts by `npx wrangler types functions/worker/worker-configuration.d.ts
// --include-runtime=false` (rerun it after changing wrangler.toml). The runtime's own types are left
// out, since their globals clash with the DOM types the rest of the project compiles against: the two
// binding types Env names are declared below, as far as the Worker uses them.

/** Env's bindings (absent where a configuration leaves them out, as the bench's copy does the limiter) and the secrets. */
export interface WorkerEnv extends Partial<Env> {
  /** A PostgreSQL connection string (a secret). Required on the edge: there is no embedded database. */
  DATABASE_URL?: string;
  /** `host:port[/path]` of a WebSocket proxy in front of a self-hosted PostgreSQL; unset for Neon. */
  DATABASE_WS_PROXY?: string;
  /** Bearer token for /api/admin/* (a secret); the admin endpoints answer 404 without it. */
  ADMIN_TOKEN?: string;
}

declare global {
  /** The Workers rate-limit binding ([[ratelimits]] in wrangler.toml). */
  interface RateLimit {
    limit(options: { key: string }): Promise<{ success: boolean }>;
  }
  /** A binding that answers requests: here the page's files (Workers Static Assets). */
  interface Fetcher {
    fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  }
}
