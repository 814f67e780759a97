// Model reload when the new model cannot be loaded: the old one keeps serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { createModelHolder } from '../inference/model-holder.ts';
import { loadModelFromDir } from '../node/model-files.ts';
import { nodeOrtWasm } from '../node/ort-wasm.ts';
import { createPgliteStore } from '../store/pglite-store.ts';
import type { Store } from '../store/store.ts';
import { sevenPixels } from '../testing/fixtures.ts';
import { MODEL_DIR, readMigrations, TEST_ADMIN_TOKEN } from '../testing/test-deps.ts';

describe('POST /api/admin/models/reload', () => {
  let store: Store;
  beforeAll(async () => {
    store = await createPgliteStore({ dataDir: 'memory://', migrations: await readMigrations() });
    await store.init();
  });
  afterAll(async () => store?.close());

  it('answers model-reload-failed and keeps the loaded model when the new file is broken', async () => {
    let broken = false;
    const models = createModelHolder(
      async () => {
        const file = await loadModelFromDir(MODEL_DIR);
        return broken ? { ...file, version: '2', bytes: file.bytes.slice(0, 100) } : file;
      },
      await nodeOrtWasm(),
    );
    const loaded = await models.reload();
    const app = createApp({ store, models, adminToken: TEST_ADMIN_TOKEN, log: () => {} });
    broken = true;
    const res = await app.request('/api/admin/models/reload', {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    });
    expect(res.status).toBe(500);
    expect((await res.json()).error.code).toBe('model-reload-failed');
    const predict = await app.request('/api/predict', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pixels: sevenPixels() }),
    });
    expect(predict.status).toBe(200);
    expect((await predict.json()).model).toEqual(loaded);
  });
});
