// A per-client token bucket in memory: `perMinute` requests a minute, in bursts of up to `perMinute`.
// One process only (Node); Workers use their rate-limit binding behind the same RateLimiter interface.
import { createMiddleware } from 'hono/factory';
import type { AppDeps, AppEnv, RateLimiter, RateLimitResult } from '../deps.ts';
import { ApiError } from '../errors.ts';

interface Bucket {
  tokens: number;
  at: number;
}

export interface MemoryRateLimiterOptions {
  perMinute: number;
  /** Clients remembered at most; beyond it, full buckets are forgotten (they carry no state). */
  maxClients?: number;
  now?: () => number;
}

/** Answers synchronously: no I/O, one process. */
export interface MemoryRateLimiter extends RateLimiter {
  limit(key: string): RateLimitResult;
}

export function createMemoryRateLimiter(options: MemoryRateLimiterOptions): MemoryRateLimiter {
  const { perMinute, maxClients = 100_000, now = Date.now } = options;
  if (!(perMinute > 0)) throw new RangeError(`perMinute must be positive, got ${perMinute}`);
  const perMs = perMinute / 60_000;
  const buckets = new Map<string, Bucket>();
  const refill = (b: Bucket, t: number) => {
    b.tokens = Math.min(perMinute, b.tokens + (t - b.at) * perMs);
    b.at = t;
  };
  const forgetFull = (t: number) => {
    for (const [key, b] of buckets) {
      refill(b, t);
      if (b.tokens >= perMinute) buckets.delete(key);
    }
  };
  return {
    limit(key) {
      const t = now();
      let bucket = buckets.get(key);
      if (!bucket) {
        if (buckets.size >= maxClients) forgetFull(t);
        bucket = { tokens: perMinute, at: t };
        buckets.set(key, bucket);
      }
      refill(bucket, t);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { success: true };
      }
      return { success: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)) };
    },
  };
}

/** 429 with Retry-After once the client has used up its budget; nothing is read or stored. */
export function rateLimit(deps: AppDeps) {
  const limiter = deps.rateLimiter;
  const clientKey = deps.clientKey ?? (() => 'unknown');
  return createMiddleware<AppEnv>(async (c, next) => {
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
