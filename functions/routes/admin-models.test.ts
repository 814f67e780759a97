// Model versions in the embedded database (PGlite), through the admin endpoints of one app: an empty
// database seeded with the shipped version, a publish served at once, every kind of broken upload refused
// with nothing changed, rollback, and the reload check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { createModelHolder } from '../inference/model-holder.ts';
import { loadStoredModelFromDir } from '../node/model-files.ts';
import { nodeOrtWasm } from '../node/ort-wasm.ts';
import { createSqlModelRegistry } from '../store/model-registry.ts';
import { createPgliteStore } from '../store/pglite-store.ts';
import type { SqlStore } from '../store/sql-store.ts';
import { sevenPixels } from '../testing/fixtures.ts';
import { brokenUploads, uploadOf } from '../testing/model-uploads.ts';
import { MODEL_DIR, readMigrations, TEST_ADMIN_TOKEN } from '../testing/test-deps.ts';

const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
const json = { ...admin, 'content-type': 'application/json' };
/** A version published beside the shipped one (v1's file under a name no version in model/ has). */
const PUBLISHED = '8';

describe('model versions in the embedded database', () => {
  let store: SqlStore;
  let app: ReturnType<typeof createApp>;
  const shipped = async () => (await loadStoredModelFromDir(MODEL_DIR)).version;

  beforeAll(async () => {
    store = await createPgliteStore({ dataDir: 'memory://', migrations: await readMigrations() });
    await store.init();
    const registry = createSqlModelRegistry(store.client);
    const models = createModelHolder({ registry, seed: () => loadStoredModelFromDir(MODEL_DIR) }, await nodeOrtWasm());
    await models.reload();
    app = createApp({ store, models, adminToken: TEST_ADMIN_TOKEN, log: () => {} });
  });
  afterAll(async () => store?.close());

  const served = async () => {
    const res = await app.request('/api/predict', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pixels: sevenPixels() }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { model: { version: string } }).model.version;
  };
  const listed = async () => {
    const res = await app.request('/api/admin/models', { headers: admin });
    expect(res.status).toBe(200);
    return (await res.json()) as { current: { version: string } | null; versions: { version: string; current: boolean; sha256: string; size: number; card: { version: string } }[] };
  };
  const publish = (body: unknown) => app.request('/api/admin/models', { method: 'POST', headers: json, body: JSON.stringify(body) });

  it('seeds an empty database with the shipped version, card included', async () => {
    const version = await shipped();
    const { current, versions } = await listed();
    expect(current).toEqual({ name: 'digit-cnn', version });
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ version, current: true, card: { version } });
    expect(versions[0]!.size).toBeGreaterThan(100_000);
    expect(await served()).toBe(version);
  });

  it('publishes a version, which is served at once and listed as current', async () => {
    const res = await publish(await uploadOf(MODEL_DIR, '1', PUBLISHED));
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ model: { name: 'digit-cnn', version: PUBLISHED } });
    expect(await served()).toBe(PUBLISHED);
    const { current, versions } = await listed();
    expect(current?.version).toBe(PUBLISHED);
    expect(versions.map((v) => [v.version, v.current])).toEqual([[await shipped(), false], [PUBLISHED, true]]);
  });

  it('refuses broken uploads with a 4xx and changes nothing', async () => {
    const before = await listed();
    const cases = [
      ...(await brokenUploads(MODEL_DIR, '4')),
      ['a version already published', await uploadOf(MODEL_DIR, '1', PUBLISHED), 409, 'model-version-exists'] as const,
    ];
    for (const [what, body, status, code] of cases) {
      const res = await publish(body);
      expect(res.status, what).toBe(status);
      expect(((await res.json()) as { error: { code: string } }).error.code, what).toBe(code);
    }
    const notJson = await app.request('/api/admin/models', { method: 'POST', headers: admin, body: 'x' });
    expect(notJson.status).toBe(415);
    const anonymous = await app.request('/api/admin/models', { method: 'POST', body: JSON.stringify(await uploadOf(MODEL_DIR, '1', '5')) });
    expect(anonymous.status).toBe(401);
    expect(await listed()).toEqual(before);
    expect(await served()).toBe(PUBLISHED);
  });

  it('rolls back to a published version, and refuses one that is not there', async () => {
    const version = await shipped();
    const back = await app.request(`/api/admin/models/${version}/current`, { method: 'POST', headers: admin });
    expect(back.status).toBe(200);
    expect(await back.json()).toEqual({ model: { name: 'digit-cnn', version } });
    expect(await served()).toBe(version);
    expect((await listed()).current?.version).toBe(version);
    for (const missing of ['9', 'no..such']) {
      const res = await app.request(`/api/admin/models/${missing}/current`, { method: 'POST', headers: admin });
      expect(res.status, missing).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('model-version-not-found');
    }
    expect(await served()).toBe(version);
  });

  it('reload checks the database now: a version made current elsewhere is served', async () => {
    // Another replica's rollback or publish, straight in the database.
    expect(await createSqlModelRegistry(store.client).setCurrent(PUBLISHED)).toBe(true);
    const res = await app.request('/api/admin/models/reload', { method: 'POST', headers: admin });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ model: { name: 'digit-cnn', version: PUBLISHED } });
    expect(await served()).toBe(PUBLISHED);
  });
});
