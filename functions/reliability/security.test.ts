// Security properties: secure headers and a CSP the built page fits, per-client rate limiting, admin
// behind bearer-auth, no credentials in logs, and no SQL assembled from values.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { createMemoryRateLimiter } from '../http/rate-limit.ts';
import { PGlite } from '@electric-sql/pglite';
import { newPredictionId } from '../http/ids.ts';
import { createPgliteStore, pgliteClient } from '../store/pglite-store.ts';
import { SqlStore, type SqlClient } from '../store/sql-store.ts';
import type { Store } from '../store/store.ts';
import { createTestDatabase, postgresAvailable, POSTGRES_URL, startServer } from '../node/testing.ts';
import { REPO_ROOT } from '../node/server.ts';
import { sevenPixels } from '../testing/fixtures.ts';
import { freePort } from '../testing/processes.ts';
import { loadTestModels, readMigrations, TEST_ADMIN_TOKEN } from '../testing/test-deps.ts';
import { killableProxy } from './proxy.ts';

const predictInit = (): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ pixels: sevenPixels() }),
});

describe('in process', () => {
  let store: Store;
  let models: Awaited<ReturnType<typeof loadTestModels>>;
  beforeAll(async () => {
    store = await createPgliteStore({ dataDir: 'memory://', migrations: await readMigrations() });
    await store.init();
    models = await loadTestModels();
  });
  afterAll(async () => store?.close());

  it('sends secure headers and a strict CSP on answers and errors alike', async () => {
    const app = createApp({ store, models, log: () => {} });
    for (const res of [await app.request('/api/health'), await app.request('/api/nope'), await app.request('/api/predict', predictInit())]) {
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('limits predictions and feedback per client with 429 and Retry-After, and stores nothing refused', async () => {
    let client = 'a';
    const app = createApp({
      store,
      models,
      log: () => {},
      rateLimiter: createMemoryRateLimiter({ perMinute: 2 }),
      clientKey: () => client,
    });
    const first = await (await app.request('/api/predict', predictInit())).json();
    const feedback = () =>
      app.request(`/api/predictions/${first.id}/feedback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ trueLabel: 7 }),
      });
    expect((await feedback()).status).toBe(200);
    const before = (await store.stats()).total;
    for (const res of [await app.request('/api/predict', predictInit()), await feedback()]) {
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await res.json()).error.code).toBe('rate-limited');
    }
    expect((await store.stats()).total).toBe(before);
    // Reads are not limited; another client has its own budget.
    expect((await app.request('/api/stats')).status).toBe(200);
    client = 'b';
    expect((await app.request('/api/predict', predictInit())).status).toBe(200);
  });

  it('logs one line per request, which a newline in the path cannot split into a forged one', async () => {
    const lines: string[] = [];
    const app = createApp({ store, models, log: (line) => lines.push(line) });
    await app.request('/api/nope%0aGET%20/api/health%20200');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/\n/);
    expect(lines[0]).toMatch(/^GET \/api\/nope%0aGET%20\/api\/health%20200 404 /);
  });

  it('guards admin endpoints with bearer-auth: 401 with a challenge, 400 for a malformed header', async () => {
    const app = createApp({ store, models, adminToken: TEST_ADMIN_TOKEN, log: () => {} });
    const get = (authorization?: string) =>
      app.request('/api/admin/feedback', { headers: authorization ? { authorization } : {} });
    for (const [auth, status, code] of [
      [undefined, 401, 'unauthorized'],
      [`Bearer ${TEST_ADMIN_TOKEN.slice(0, -1)}`, 401, 'unauthorized'],
      [`Basic ${btoa(`admin:${TEST_ADMIN_TOKEN}`)}`, 400, 'bad-request'],
      ['Bearer two words', 400, 'bad-request'],
    ] as const) {
      const res = await get(auth);
      expect(res.status).toBe(status);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await res.json()).error).toEqual({ code, message: expect.any(String) });
    }
    expect((await get(`Bearer ${TEST_ADMIN_TOKEN}`)).status).toBe(200);
  });
});

describe('the built page fits the CSP', () => {
  it('has no inline scripts, styles, event handlers or eval', async () => {
    const dist = path.join(REPO_ROOT, 'frontend', 'dist');
    const html = await readFile(path.join(dist, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, content] of scripts) {
      expect(attrs).toMatch(/\bsrc="\/assets\//);
      expect(content!.trim()).toBe('');
    }
    expect(html).not.toMatch(/<style\b/i);
    expect(html).not.toMatch(/\sstyle=|\son[a-z]+=/i);
    for (const file of await readdir(path.join(dist, 'assets'))) {
      if (!file.endsWith('.js')) continue;
      const js = await readFile(path.join(dist, 'assets', file), 'utf8');
      expect(js).not.toMatch(/\beval\(|new Function\(/);
    }
  });
});

describe('SQL is never assembled from values', () => {
  it('sends every value as a bind parameter: hostile values never appear in the SQL text', async () => {
    const db = await PGlite.create('memory://');
    const texts: string[] = [];
    const inner = pgliteClient(db);
    const recording: SqlClient = {
      query: (sql, params) => (texts.push(sql), inner.query(sql, params)),
      exec: (script) => (texts.push(script), inner.exec(script)),
      session: (work) => work(recording),
      close: () => inner.close(),
    };
    const sqlStore = new SqlStore(recording, await readMigrations());
    await sqlStore.init();
    const MARK = "v1'); DROP TABLE predictions; --";
    const row = await sqlStore.insertPrediction({
      id: newPredictionId(),
      predictedDigit: 4,
      confidence: 0.5,
      probabilities: new Array(10).fill(0.1),
      modelVersion: MARK,
      source: 'api',
      input: new Uint8Array(784),
      client: MARK,
    });
    await sqlStore.setTrueLabel(row.id, 9);
    await sqlStore.listPredictions(5, { createdAt: row.createdAt, seq: '1' });
    await sqlStore.listLabeled(5, { createdAt: row.createdAt, id: row.id });
    await sqlStore.stats();
    await sqlStore.ping();
    expect((await sqlStore.stats()).byModel).toEqual([{ modelVersion: MARK, total: 1, labeled: 1, correct: 0 }]);
    expect(texts.length).toBeGreaterThan(6);
    for (const text of texts) {
      expect(text).not.toContain(row.id);
      expect(text).not.toContain('DROP TABLE');
      expect(text).not.toContain(row.createdAt);
    }
    await sqlStore.close();
  });
});

describe.runIf(await postgresAvailable())('credentials stay out of the logs', { timeout: 60_000 }, () => {
  const PASSWORD = 'Sup3r-Secret-Passw0rd';
  // The test server trusts local connections, so a password in the URL is accepted and ignored.
  const withPassword = (url: string) => {
    const u = new URL(url);
    u.password = PASSWORD;
    return u.toString();
  };

  it('never prints DATABASE_URL, through start, errors and shutdown', async () => {
    const db = await createTestDatabase();
    const proxy = await killableProxy(await freePort());
    const server = await startServer({
      env: { DATABASE_URL: withPassword(db.databaseUrl), DATABASE_WS_PROXY: proxy.proxy, ADMIN_TOKEN: TEST_ADMIN_TOKEN },
    });
    try {
      expect((await fetch(`${server.url}/api/predict`, predictInit())).status).toBe(200);
      await proxy.kill();
      expect((await fetch(`${server.url}/api/predict`, predictInit())).status).toBe(503);
      await fetch(`${server.url}/api/admin/feedback?token=${PASSWORD}`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
      await proxy.start();
    } finally {
      await server.stop();
      await proxy.kill();
      await db.drop();
    }
    expect(server.output()).toContain('database unavailable');
    expect(server.output()).not.toContain(PASSWORD);
    expect(server.output()).not.toContain(TEST_ADMIN_TOKEN);
  });

  it('never prints it when the database cannot be reached at start', async () => {
    const port = await freePort();
    const error = await startServer({
      env: { DATABASE_URL: withPassword(POSTGRES_URL), DATABASE_WS_PROXY: `127.0.0.1:${port}` },
      timeoutMs: 30_000,
    }).then(
      () => null,
      (e: Error) => e.message,
    );
    expect(error).toMatch(/server exited/);
    expect(error).not.toContain(PASSWORD);
  });
});
