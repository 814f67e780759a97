// A per-client token bucket in memory: `perMinute` requests a minute, in bursts of up to `perMinute`.
// One process only (Node); Workers use their rate-limit binding behind the same RateLimiter interface.
// Memory and time are bounded whatever the clients: the buckets live in two generations of
// maxClients / 2 (a new one replaces the older when full), so a request costs O(1) and never a scan.
import { createMiddleware } from 'hono/factory';
import { forRequest, type AppDeps, type AppEnv, type RateLimiter, type RateLimitResult } from '../deps.ts';
import { ApiError } from '../errors.ts';

interface Bucket {
  tokens: number;
  at: number;
}

export interface MemoryRateLimiterOptions {
  perMinute: number;
  /**
   * Clients remembered at most (at least 2). A client is forgotten only after maxClients / 2 others
   * were seen since it last was: idle for a minute its bucket was full, and forgetting it changes
   * nothing; only a flood of distinct addresses within a minute can reset a client's budget early.
   */
  maxClients?: number;
  now?: () => number;
}

/** Answers synchronously: no I/O, one process. */
export interface MemoryRateLimiter extends RateLimiter {
  limit(key: string): RateLimitResult;
  /** Clients remembered now, at most maxClients. */
  readonly clients: number;
}

export function createMemoryRateLimiter(options: MemoryRateLimiterOptions): MemoryRateLimiter {
  const { perMinute, maxClients = 100_000, now = Date.now } = options;
  if (!(perMinute > 0)) throw new RangeError(`perMinute must be positive, got ${perMinute}`);
  if (!(Number.isInteger(maxClients) && maxClients >= 2)) throw new RangeError(`maxClients must be an integer of at least 2, got ${maxClients}`);
  const perMs = perMinute / 60_000;
  const generation = Math.floor(maxClients / 2);
  let current = new Map<string, Bucket>();
  let previous = new Map<string, Bucket>();
  /** The client's bucket, in the current generation. */
  const bucketOf = (key: string, t: number): Bucket => {
    const seen = current.get(key);
    if (seen) return seen;
    const older = previous.get(key);
    previous.delete(key);
    if (current.size >= generation) {
      previous = current; // the older generation, with whoever was not seen since, is dropped
      current = new Map();
    }
    const bucket = older ?? { tokens: perMinute, at: t };
    current.set(key, bucket);
    return bucket;
  };
  return {
    limit(key) {
      const t = now();
      const bucket = bucketOf(key, t);
      bucket.tokens = Math.min(perMinute, bucket.tokens + (t - bucket.at) * perMs);
      bucket.at = t;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { success: true };
      }
      return { success: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)) };
    },
    get clients() {
      return current.size + previous.size;
    },
  };
}

/** 429 with Retry-After once the client has used up its budget; nothing is read or stored. */
export function rateLimit({ rateLimiter, clientKey = () => 'unknown' }: Pick<AppDeps, 'rateLimiter' | 'clientKey'>) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const limiter = rateLimiter && forRequest(rateLimiter, c);
    const key = limiter ? clientKey(c) : null;
    if (limiter && key !== null) {
      const result = await limiter.limit(key);
      if (!result.success) {
        const seconds = result.retryAfterSeconds ?? 60;
        throw new ApiError(429, 'rate-limited', `Too many requests: try again in ${seconds} s`, {
          'Retry-After': String(seconds),
        });
      }
    }
    await next();
  });
}

/**
 * The machine itself (its operator's scripts, retraining, health checks) is not a client to limit.
 * Behind a reverse proxy on the same host every client looks like this: limit at the proxy then.
 */
export function isLoopback(address: string | undefined): boolean {
  return !!address && (address === '::1' || /^(::ffff:)?127\./.test(address));
}

/** RATE_LIMIT_PER_MINUTE: unset means `fallback`; 0 or "off" turns limiting off. */
export function rateLimitFromEnv(value: string | undefined, fallback: number): number | undefined {
  if (value === undefined || value.trim() === '') return fallback;
  if (value.trim() === 'off' || value.trim() === '0') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`RATE_LIMIT_PER_MINUTE must be a positive number, 0 or off, got ${value}`);
  return n;
}
