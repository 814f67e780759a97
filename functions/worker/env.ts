// What Cloudflare hands the Worker: the bindings of wrangler.toml, the secrets, and each request's context.
// Declared here rather than taken from @cloudflare/workers-types, whose globals clash with the DOM types
// the rest of the project compiles against.

export interface WorkerEnv {
  /** The built page (frontend/dist) as Workers Static Assets. */
  ASSETS?: AssetsBinding;
  /** A PostgreSQL connection string (a secret). Required on the edge: there is no embedded database. */
  DATABASE_URL?: string;
  /** `host:port[/path]` of a WebSocket proxy in front of a self-hosted PostgreSQL; unset for Neon. */
  DATABASE_WS_PROXY?: string;
  /** Bearer token for /api/admin/* (a secret); the admin endpoints answer 404 without it. */
  ADMIN_TOKEN?: string;
  /** The Workers rate-limit binding for writes ([[ratelimits]] in wrangler.toml); no limit when absent. */
  RATE_LIMITER?: RateLimitBinding;
}

export interface RateLimitBinding {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

export interface AssetsBinding {
  fetch(request: Request): Promise<Response>;
}

export interface WorkerContext {
  /** Keeps the isolate working on `promise` after the response has been returned. */
  waitUntil(promise: Promise<unknown>): void;
}
