// What a runtime adapter (functions/node/server.ts, functions/worker/index.ts) hands to createApp. The app
// is built once per process or isolate; what belongs to one request (a Worker's database connections,
// its bindings) reaches the handlers through Hono's context.
import type { Context, MiddlewareHandler } from 'hono';
import type { DecodeToInput } from './http/image-input.ts';
import type { ModelHolder } from './inference/model-holder.ts';
import type { Store } from './store/store.ts';

export type AppEnv = { Variables: { requestId: string; store: Store } };

/** The same value for every request (Node, tests), or one read from the request (a Worker's `c.env`). */
export type PerRequest<T> = T | ((c: Context<AppEnv>) => T);

export const forRequest = <T>(value: PerRequest<T>, c: Context<AppEnv>): T =>
  typeof value === 'function' ? (value as (c: Context<AppEnv>) => T)(c) : value;

export interface AppDeps {
  /**
   * The database, which handlers reach as `c.var.store`: one Store for the whole process, or a middleware
   * that opens one for each request and sets it (a Worker, whose sockets live only as long as a request).
   */
  store: Store | MiddlewareHandler<AppEnv>;
  models: ModelHolder;
  /** Bearer token for /api/admin/*; the admin endpoints answer 404 when it is unset. */
  adminToken?: PerRequest<string | undefined>;
  /** One line per request and the details of 5xx errors; console.log when unset. */
  log?: (line: string) => void;
  limits?: Partial<BodyLimits>;
  /** Decodes an uploaded image into the model's input: in process when unset, worker threads on Node. */
  decodeImage?: DecodeToInput;
  /**
   * Limits writes (POST /api/predict and feedback) per client; unset means no limit. Node uses the
   * in-memory one (http/rate-limit.ts); a Worker wraps the rate-limit binding of the request's env.
   */
  rateLimiter?: PerRequest<RateLimiter | undefined>;
  /**
   * Who a request comes from, the rate limiter's key: the peer address on Node, CF-Connecting-IP on
   * Workers; null for a client that is never limited.
   */
  clientKey?: (c: Context<AppEnv>) => string | null;
}

export interface RateLimitResult {
  success: boolean;
  /** Seconds until the client may try again (the Retry-After header); 60 when unknown. */
  retryAfterSeconds?: number;
}

export interface RateLimiter {
  /** Counts one request for `key` and says whether it may go on. */
  limit(key: string): Promise<RateLimitResult> | RateLimitResult;
}

export interface BodyLimits {
  /** Largest JSON body (a 784-number drawing is ~15 KB). */
  jsonBytes: number;
  /** Largest image or multipart body: a canvas export at a high device pixel ratio fits easily. */
  imageBytes: number;
  /** Most bytes of prediction bodies held at once, all requests together; beyond it a 503 asks to retry. */
  bytesInFlight: number;
}

export const DEFAULT_LIMITS: BodyLimits = { jsonBytes: 256 * 1024, imageBytes: 10 * 1024 * 1024, bytesInFlight: 32 * 1024 * 1024 };
