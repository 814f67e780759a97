// Model versions on the edge, inside workerd on the real PostgreSQL: the Worker serves the version the
// database calls current, whoever made it current (another replica, straight in the database), within a
// few seconds and with no redeploy; a version published through the Worker's admin endpoint is checked
// in ONNX Runtime Web there first.
/// <reference types="@cloudflare/vitest-pool-workers/types" />
import { env, SELF } from 'cloudflare:test';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqlModelRegistry, sha256Hex, type ModelRegistry } from '../store/model-registry.ts';
import { createPostgresStore } from '../store/postgres-store.ts';
import { sevenPixels } from '../testing/fixtures.ts';
import { model, modelBytes, modelCard } from './bundled.generated.js';
import type { WorkerEnv } from './env.ts';
import { CHECK_EVERY_MS } from './worker-models.ts';

const bindings = env as unknown as WorkerEnv;
const ORIGIN = 'http://digits.test';
const admin = { authorization: `Bearer ${bindings.ADMIN_TOKEN}` };

/** What another replica does: the registry on a connection of its own. */
async function asAnotherReplica<T>(work: (registry: ModelRegistry) => Promise<T>): Promise<T> {
  const store = createPostgresStore({ databaseUrl: bindings.DATABASE_URL!, wsProxy: bindings.DATABASE_WS_PROXY, migrations: [] });
  try {
    return await work(createSqlModelRegistry(store.client));
  } finally {
    await store.close();
  }
}

async function served(): Promise<string> {
  const res = await SELF.fetch(`${ORIGIN}/api/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pixels: sevenPixels() }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { model: { version: string } }).model.version;
}

async function servedWithin(version: string, ms: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    if ((await served()) === version) return Date.now() - started;
    if (Date.now() - started > ms) throw new Error(`v${version} not served within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe.skipIf(!bindings.DATABASE_URL)('model versions from the database, in workerd', () => {
  const bytes = new Uint8Array(modelBytes);
  const stamp = Date.now().toString(36);
  afterAll(async () => {
    // The other Worker tests share this database: back to the bundled version.
    await asAnotherReplica((r) => r.setCurrent(model.version));
  });

  it('serves a version another replica made current within a few seconds, with no redeploy or reload', async () => {
    await served(); // the isolate has a model (the database is seeded with the bundled one when empty)
    const version = `edge-${stamp}`;
    await asAnotherReplica((r) => r.publish({ name: model.name, version, bytes, card: { ...modelCard, version } }));
    const ms = await servedWithin(version, 3 * CHECK_EVERY_MS);
    console.log(`workerd: v${version}, made current in the database, served after ${(ms / 1000).toFixed(1)} s`);
  });

  it('publishes through its admin endpoint, refusing a model ONNX Runtime Web cannot load', async () => {
    const publish = async (version: string, onnx: Uint8Array) => {
      const card = { ...modelCard, version, bytes: onnx.length, sha256: await sha256Hex(onnx) };
      const body = JSON.stringify({ card, onnx: btoa(Array.from(onnx, (b) => String.fromCharCode(b)).join('')) });
      return SELF.fetch(`${ORIGIN}/api/admin/models`, { method: 'POST', headers: { ...admin, 'content-type': 'application/json' }, body });
    };
    const before = await served();
    const broken = await publish(`edge-broken-${stamp}`, bytes.slice(0, 1000));
    expect(broken.status).toBe(422);
    expect(((await broken.json()) as { error: { code: string } }).error.code).toBe('invalid-model');
    expect(await served()).toBe(before);

    const version = `edge-admin-${stamp}`;
    const res = await publish(version, bytes);
    expect(res.status).toBe(201);
    // The isolate that answered serves it at once; the database says so to every other one.
    expect(await served()).toBe(version);
    expect(await asAnotherReplica((r) => r.current())).toEqual({ name: model.name, version });
    const listed = (await (await SELF.fetch(`${ORIGIN}/api/admin/models`, { headers: admin })).json()) as { versions: { version: string }[] };
    expect(listed.versions.map((v) => v.version)).toEqual(expect.arrayContaining([model.version, `edge-${stamp}`, version]));
    expect(listed.versions.map((v) => v.version)).not.toContain(`edge-broken-${stamp}`);
  });
});
