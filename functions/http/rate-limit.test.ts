import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { createMemoryRateLimiter, isLoopback, rateLimit, rateLimitFromEnv } from './rate-limit.ts';

describe('memory rate limiter', () => {
  it('allows a burst of perMinute, then refuses with the seconds until the next token', () => {
    let now = 0;
    const limiter = createMemoryRateLimiter({ perMinute: 6, now: () => now });
    for (let i = 0; i < 6; i++) expect(limiter.limit('a')).toEqual({ success: true });
    expect(limiter.limit('a')).toEqual({ success: false, retryAfterSeconds: 10 });
    // Another client has its own budget.
    expect(limiter.limit('b')).toEqual({ success: true });
    now += 9_000;
    expect(limiter.limit('a')).toMatchObject({ success: false, retryAfterSeconds: 1 });
    now += 1_000;
    expect(limiter.limit('a')).toEqual({ success: true });
  });

  it('remembers at most maxClients, forgetting those not seen for longest', () => {
    const limiter = createMemoryRateLimiter({ perMinute: 1, maxClients: 4, now: () => 0 });
    for (const key of ['a', 'b', 'c']) expect(limiter.limit(key).success).toBe(true);
    expect(limiter.limit('a').success).toBe(false); // seen again, so kept
    expect(limiter.limit('d').success).toBe(true); // b, seen longest ago, is forgotten
    expect(limiter.clients).toBeLessThanOrEqual(4);
    expect(limiter.limit('a').success).toBe(false); // still limited
    expect(limiter.limit('c').success).toBe(false); // still limited
    expect(limiter.limit('b').success).toBe(true); // forgotten, so a fresh budget
    expect(limiter.clients).toBeLessThanOrEqual(4);
  });

  it('stays bounded in memory and time under a flood of distinct addresses', () => {
    // IPv6 makes addresses free: 300,000 new clients within one minute, three times the capacity.
    const limiter = createMemoryRateLimiter({ perMinute: 600, maxClients: 100_000, now: () => 0 });
    const address = (i: number) => `2001:db8::${(i >>> 16).toString(16)}:${(i & 0xffff).toString(16)}`;
    const msPer = (from: number, to: number) => {
      const start = performance.now();
      for (let i = from; i < to; i++) limiter.limit(address(i));
      return (performance.now() - start) / (to - from);
    };
    let most = 0;
    for (let i = 0; i < 300_000; i += 10_000) {
      msPer(i, i + 10_000);
      most = Math.max(most, limiter.clients);
    }
    expect(most).toBeLessThanOrEqual(100_000);
    // Full, each new client still costs O(1): a few microseconds, not a scan of 100,000 buckets.
    expect(msPer(300_000, 400_000)).toBeLessThan(0.02);
    expect(limiter.clients).toBeLessThanOrEqual(100_000);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => createMemoryRateLimiter({ perMinute: 1, maxClients: 1 })).toThrow(RangeError);
    expect(() => createMemoryRateLimiter({ perMinute: 1, maxClients: 2.5 })).toThrow(RangeError);
  });

  it('reads RATE_LIMIT_PER_MINUTE', () => {
    expect(rateLimitFromEnv(undefined, 600)).toBe(600);
    expect(rateLimitFromEnv('30', 600)).toBe(30);
    expect(rateLimitFromEnv('0', 600)).toBeUndefined();
    expect(rateLimitFromEnv('off', 600)).toBeUndefined();
    expect(() => rateLimitFromEnv('-5', 600)).toThrow(/RATE_LIMIT_PER_MINUTE/);
    expect(() => rateLimitFromEnv('lots', 600)).toThrow(/RATE_LIMIT_PER_MINUTE/);
  });
});

describe('rateLimit middleware', () => {
  const appFor = (key: string | null) =>
    new Hono()
      .use(rateLimit({ rateLimiter: createMemoryRateLimiter({ perMinute: 1 }), clientKey: () => key }))
      .post('/', (c) => c.text('ok'))
      .onError((err, c) => c.text(err.message, 429));

  it('limits a client with a key and never one whose key is null', async () => {
    const limited = appFor('203.0.113.7');
    expect((await limited.request('/', { method: 'POST' })).status).toBe(200);
    expect((await limited.request('/', { method: 'POST' })).status).toBe(429);
    const exempt = appFor(null);
    for (let i = 0; i < 3; i++) expect((await exempt.request('/', { method: 'POST' })).status).toBe(200);
  });
});

describe('isLoopback', () => {
  it('exempts only the machine itself', () => {
    for (const a of ['127.0.0.1', '127.9.8.7', '::1', '::ffff:127.0.0.1']) expect(isLoopback(a)).toBe(true);
    for (const a of ['10.0.0.1', '203.0.113.7', '::ffff:192.168.1.2', '2001:db8::1', '1127.0.0.1', undefined]) {
      expect(isLoopback(a)).toBe(false);
    }
  });
});
