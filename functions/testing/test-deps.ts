// In-process dependencies for tests: the real model (MODEL_DIR, default model/) and the real migrations.
import path from 'node:path';
import { createApp } from '../app.ts';
import { createModelHolder, type ModelHolder } from '../inference/model-holder.ts';
import { loadModelFromDir } from '../node/model-files.ts';
import { nodeOrtWasm } from '../node/ort-wasm.ts';
import { REPO_ROOT } from '../node/server.ts';
import { readMigrations } from '../store/migration-files.ts';
import type { Store } from '../store/store.ts';
import type { ContractTarget } from '../contract.suite.ts';

export { readMigrations };

export const MODEL_DIR = path.resolve(process.env.MODEL_DIR ?? path.join(REPO_ROOT, 'model'));
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

export async function loadTestModels(): Promise<ModelHolder> {
  const models = createModelHolder(() => loadModelFromDir(MODEL_DIR), await nodeOrtWasm());
  await models.reload();
  return models;
}

/** The app on `store`, driven through app.request() with no server. */
export async function inProcessTarget(store: Store): Promise<ContractTarget> {
  await store.init();
  const app = createApp({ store, models: await loadTestModels(), adminToken: TEST_ADMIN_TOKEN, log: () => {} });
  return {
    request: async (path, init) => app.request(path, init),
    adminToken: TEST_ADMIN_TOKEN,
    close: () => store.close(),
  };
}
