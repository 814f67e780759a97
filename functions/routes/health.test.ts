// Readiness, errors and the admin switch, on real parts put into failing states.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { createModelHolder, type ModelHolder } from '../inference/model-holder.ts';
import { createPgliteStore } from '../store/pglite-store.ts';
import type { Store } from '../store/store.ts';
import { loadTestModels, readMigrations } from '../testing/test-deps.ts';

async function memoryStore() {
  const store = await createPgliteStore({ dataDir: 'memory://', migrations: await readMigrations() });
  await store.init();
  return store;
}

let models: ModelHolder;
beforeAll(async () => {
  models = await loadTestModels();
});

describe('with a working database', () => {
  let store: Store;
  beforeAll(async () => {
    store = await memoryStore();
  });
  afterAll(async () => store?.close());

  it('/api/ready is 503 while the model is not loaded, and predict says so', async () => {
    const unloaded = createModelHolder(() => Promise.reject(new Error('no model file')));
    const app = createApp({ store, models: unloaded, log: () => {} });
    const res = await app.request('/api/ready');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ checks: { model: false, database: true }, error: { code: 'not-ready' } });
    const predict = await app.request('/api/predict', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pixels: new Array(784).fill(1) }),
    });
    expect(predict.status).toBe(503);
    expect((await predict.json()).error.code).toBe('model-not-loaded');
  });

  it('turns the admin endpoints off without ADMIN_TOKEN', async () => {
    const app = createApp({ store, models, log: () => {} });
    for (const [method, path] of [['GET', '/api/admin/feedback'], ['POST', '/api/admin/models/reload']] as const) {
      const res = await app.request(path, { method, headers: { authorization: 'Bearer anything' } });
      expect(res.status).toBe(404);
      expect((await res.json()).error.code).toBe('not-found');
    }
  });
});

describe('when the database stops answering', () => {
  const lines: string[] = [];
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    const store = await memoryStore();
    app = createApp({ store, models, log: (l) => lines.push(l) });
    expect((await app.request('/api/ready')).status).toBe(200);
    await store.close();
  });

  it('/api/ready is 503 while /api/health stays 200', async () => {
    const res = await app.request('/api/ready');
    expect(res.status).toBe(503);
    expect((await res.json()).checks).toEqual({ model: true, database: false });
    expect((await app.request('/api/health')).status).toBe(200);
  });

  it('answers a generic 500 without internals, and logs the details', async () => {
    const res = await app.request('/api/stats');
    expect(res.status).toBe(500);
    const body = await res.json();
    expect(body.error.code).toBe('internal-error');
    expect(JSON.stringify(body)).not.toMatch(/pglite|closed|stack|\.ts/i);
    expect(lines.some((l) => l.startsWith('error request='))).toBe(true);
  });
});
