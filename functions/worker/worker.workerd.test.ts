// The Worker inside workerd: the same HTTP contract as the Node targets (contract.suite.ts), through
// the Worker's fetch with wrangler.toml's bindings, on the real PostgreSQL behind websockify; and what
// differs on the edge (no embedded database, the page from static assets).
/// <reference types="@cloudflare/vitest-pool-workers/types" />
import { createExecutionContext, env, SELF, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { defineContractSuite } from '../contract.suite.ts';
import { sevenPixels } from '../testing/fixtures.ts';
import type { WorkerEnv } from './env.ts';
import worker from './index.ts';

const bindings = env as unknown as WorkerEnv;
const ORIGIN = 'http://digits.test';

// The Worker runs in this isolate and logs a line per request (app.ts); the Node targets' tests
// silence theirs too. Anything else still shows.
beforeAll(() => {
  const log = console.log.bind(console);
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    if (!/^[A-Z]+ \/api\/.* \d{3} [\d.]+ms request=/.test(String(args[0]))) log(...args);
  });
});

// Without DATABASE_URL (PostgreSQL unreachable, never under CI: global-setup.ts) its tests show as skipped.
describe.skipIf(!bindings.DATABASE_URL)('PostgreSQL behind websockify', () => {
  defineContractSuite('Worker in workerd + PostgreSQL', async () => ({
    request: (path, init) => SELF.fetch(`${ORIGIN}${path}`, init),
    adminToken: bindings.ADMIN_TOKEN!,
    close: async () => {},
  }));
});

describe('Worker on the edge', () => {
  /** The Worker's fetch with `overrides` in place of the test bindings. */
  async function call(path: string, init: RequestInit = {}, overrides: Partial<WorkerEnv> = {}) {
    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request(`${ORIGIN}${path}`, init), { ...bindings, ...overrides }, ctx);
    const body = await res.text();
    await waitOnExecutionContext(ctx);
    return { status: res.status, body: body ? JSON.parse(body) : null };
  }

  it('has no embedded database: without DATABASE_URL it is alive but not ready, and stores nothing', async () => {
    expect((await call('/api/health', {}, { DATABASE_URL: undefined })).status).toBe(200);
    const ready = await call('/api/ready', {}, { DATABASE_URL: undefined });
    expect(ready.status).toBe(503);
    expect(ready.body.checks).toEqual({ model: true, database: false });
    const predict = await call(
      '/api/predict',
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pixels: sevenPixels() }) },
      { DATABASE_URL: undefined },
    );
    expect(predict.status).toBe(503);
    expect(predict.body.error.code).toBe('database-not-configured');
  });

  it('serves the page from static assets at /, with the same security headers as on Node, and API 404s as JSON', async () => {
    const page = await SELF.fetch(`${ORIGIN}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(await page.text()).toContain('<script');
    const missing = await SELF.fetch(`${ORIGIN}/no-such-file.js`);
    expect(missing.status).toBe(404);
    const api = await SELF.fetch(`${ORIGIN}/api/nope`);
    expect(api.status).toBe(404);
    expect((await api.json()) as unknown).toMatchObject({ error: { code: 'not-found' } });
  });

  it('limits writes per client address with the Workers rate-limit binding', async () => {
    expect(typeof bindings.RATE_LIMITER?.limit).toBe('function'); // wrangler.toml's [[ratelimits]]
    const limiter = (env as unknown as { TWO_PER_MINUTE: WorkerEnv['RATE_LIMITER'] }).TWO_PER_MINUTE;
    const predict = (ip: string) =>
      call(
        '/api/predict',
        { method: 'POST', headers: { 'content-type': 'application/json', 'cf-connecting-ip': ip }, body: JSON.stringify({ pixels: sevenPixels() }) },
        { DATABASE_URL: undefined, RATE_LIMITER: limiter },
      );
    // Allowed requests get as far as the (absent) database; the third of one address is refused first.
    expect((await predict('203.0.113.7')).status).toBe(503);
    expect((await predict('203.0.113.7')).status).toBe(503);
    const limited = await predict('203.0.113.7');
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate-limited');
    expect((await predict('203.0.113.8')).status).toBe(503);
  });

  it('runs the model current.json names, on ORT inside workerd', async () => {
    const res = await call('/api/ready', {}, { DATABASE_URL: undefined });
    const { model } = await import('./bundled.generated.js');
    expect(res.body.checks.model).toBe(true);
    const info = await worker.fetch(new Request(`${ORIGIN}/api/admin/models/reload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bindings.ADMIN_TOKEN}` },
    }), { ...bindings, DATABASE_URL: undefined }, createExecutionContext());
    expect(await info.json()).toEqual({ model: { name: model.name, version: model.version } });
  });
});
