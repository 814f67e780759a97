// The real server as `npm start` runs it: the whole contract over HTTP, the page, and shutdown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineContractSuite } from '../contract.suite.ts';
import { sevenPixels } from '../testing/fixtures.ts';
import { portAnswers } from '../testing/processes.ts';
import { TEST_ADMIN_TOKEN } from '../testing/test-deps.ts';
import { createTestDatabase, postgresAvailable, startServer, type TestServer } from './testing.ts';

defineContractSuite('Node server over HTTP + PGlite', async () => {
  const server = await startServer({ env: { ADMIN_TOKEN: TEST_ADMIN_TOKEN } });
  return {
    request: (path, init) => fetch(`${server.url}${path}`, init),
    adminToken: TEST_ADMIN_TOKEN,
    close: async () => void (await server.stop()),
  };
});

describe('Node server lifecycle', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
  });

  it('serves the page at / and the admin endpoints are off without ADMIN_TOKEN', async () => {
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<script');
    const admin = await fetch(`${server.url}/api/admin/feedback`, { headers: { authorization: 'Bearer x' } });
    expect(admin.status).toBe(404);
  });

  it('logs one line per request, without the admin token', async () => {
    await fetch(`${server.url}/api/health`, { headers: { authorization: 'Bearer secret-in-header' } });
    const lines = server.output().split('\n').filter((l) => l.includes('GET /api/health 200'));
    expect(lines).toHaveLength(1);
    expect(server.output()).not.toContain('secret-in-header');
  });

  it('on SIGTERM finishes the request in flight, stops listening and exits 0 within 10 s', async () => {
    // A request whose body is still arriving when the signal comes.
    const body = JSON.stringify({ pixels: sevenPixels() });
    let sendRest!: () => void;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(body.slice(0, 100)));
        sendRest = () => {
          controller.enqueue(new TextEncoder().encode(body.slice(100)));
          controller.close();
        };
      },
    });
    const inFlight = fetch(`${server.url}/api/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    const stopped = server.stop('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    sendRest();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect((await res.json()).digit).toBeTypeOf('number');
    const exit = await stopped;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await portAnswers(server.port)).toBe(false);
  });
});

describe.runIf(await postgresAvailable())('Node server on PostgreSQL', () => {
  // Through websockify when DATABASE_WS_PROXY names it; over TCP (node-postgres) when it is unset.
  it.each([
    ['through websockify', true],
    ['over TCP, no proxy', false],
  ])('is ready, predicts and lists from the database, %s', async (_, viaProxy) => {
    const db = await createTestDatabase();
    const server = await startServer({ env: { DATABASE_URL: db.databaseUrl, DATABASE_WS_PROXY: viaProxy ? db.wsProxy : undefined } });
    try {
      expect(server.output()).toContain('database (PostgreSQL)');
      const res = await fetch(`${server.url}/api/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ pixels: sevenPixels() }),
      });
      expect(res.status).toBe(200);
      const { digit, model } = await res.json();
      const list = await (await fetch(`${server.url}/api/predictions`)).json();
      expect(list.items).toEqual([expect.objectContaining({ digit, modelVersion: model.version, trueLabel: null })]);
      expect(list.items[0]).not.toHaveProperty('id');
    } finally {
      expect((await server.stop()).code).toBe(0);
      await db.drop();
    }
  });
});
