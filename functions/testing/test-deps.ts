// In-process dependencies for tests: the real model (MODEL_DIR, default model/) and the real schema.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from '../app.ts';
import { createModelHolder, type ModelHolder } from '../inference/model-holder.ts';
import { loadModelFromDir } from '../node/model-files.ts';
import type { Store } from '../store/store.ts';
import type { ContractTarget } from '../contract.suite.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const MODEL_DIR = path.resolve(process.env.MODEL_DIR ?? path.join(REPO_ROOT, 'model'));
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

export const readSchemaSql = () => readFile(path.join(REPO_ROOT, 'schema.sql'), 'utf8');

export async function loadTestModels(): Promise<ModelHolder> {
  const wasm = await readFile(createRequire(import.meta.url).resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'));
  const models = createModelHolder(() => loadModelFromDir(MODEL_DIR), { wasmBinary: new Uint8Array(wasm) });
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
