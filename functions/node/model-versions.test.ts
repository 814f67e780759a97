// Two real Node servers on one PostgreSQL database, each with a model folder of its own (the second's
// older): the database decides what both serve. A version published through one is served by the other
// within 30 s with no reload call and no shared disk; a broken upload changes nothing; a rollback
// through either reaches both; an empty database is seeded with the shipped version.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sevenPixels } from '../testing/fixtures.ts';
import { brokenUploads, uploadOf } from '../testing/model-uploads.ts';
import { waitUntil } from '../testing/processes.ts';
import { MODEL_DIR } from '../testing/test-deps.ts';
import { createTestDatabase, postgresAvailable, startServer, type TestDatabase, type TestServer } from './testing.ts';

const TOKEN = 'model-versions-admin-token-0123456789';
const admin = { authorization: `Bearer ${TOKEN}` };
/** The version model/current.json names, which seeds an empty database; and one published beside it. */
const SHIPPED: string = JSON.parse(readFileSync(path.join(MODEL_DIR, 'current.json'), 'utf8')).version;
const PUBLISHED = '9';

/** A copy of the versions in model/ (no code), pointed at `version`. */
function modelFolder(root: string, name: string, version: string): string {
  const dir = path.join(root, name);
  cpSync(MODEL_DIR, dir, { recursive: true, filter: (src) => src === MODEL_DIR || /\.(onnx|json)$/.test(src) });
  const pointer = { name: 'digit-cnn', version, file: `digit-cnn-v${version}.onnx`, card: `digit-cnn-v${version}.card.json` };
  writeFileSync(path.join(dir, 'current.json'), JSON.stringify(pointer));
  return dir;
}

async function servedBy(server: TestServer): Promise<string> {
  const res = await fetch(`${server.url}/api/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pixels: sevenPixels() }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { model: { version: string } }).model.version;
}

/** Milliseconds until `server` answers with `version`, failing after 30 s. */
async function msUntilServed(server: TestServer, version: string): Promise<number> {
  const started = performance.now();
  await waitUntil(async () => (await servedBy(server)) === version, `v${version} served`, { timeoutMs: 30_000, everyMs: 250 });
  return performance.now() - started;
}

const available = await postgresAvailable();

describe.skipIf(!available)('model versions shared by replicas on PostgreSQL', () => {
  let db: TestDatabase;
  let work: string;
  let first: TestServer;
  let second: TestServer;

  beforeAll(async () => {
    db = await createTestDatabase();
    work = mkdtempSync(path.join(tmpdir(), 'model-versions-'));
    const env = { DATABASE_URL: db.databaseUrl, DATABASE_WS_PROXY: db.wsProxy, ADMIN_TOKEN: TOKEN };
    // The first seeds the empty database; the second starts from an older folder of its own.
    first = await startServer({ env: { ...env, MODEL_DIR: modelFolder(work, 'first', SHIPPED) } });
    second = await startServer({ env: { ...env, MODEL_DIR: modelFolder(work, 'second', '1') } });
  }, 180_000);
  afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
    await db?.drop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('seeds the empty database with the shipped version, which both serve (not the older folder)', async () => {
    const listed = await (await fetch(`${first.url}/api/admin/models`, { headers: admin })).json();
    expect(listed.current).toEqual({ name: 'digit-cnn', version: SHIPPED });
    expect(listed.versions.map((v: { version: string }) => v.version)).toEqual([SHIPPED]);
    expect(await servedBy(first)).toBe(SHIPPED);
    expect(await servedBy(second)).toBe(SHIPPED);
  });

  it('serves a version published through the first on the second within 30 s, with no reload call', async () => {
    const res = await fetch(`${first.url}/api/admin/models`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify(await uploadOf(MODEL_DIR, '1', PUBLISHED)),
    });
    expect(res.status).toBe(201);
    expect(await servedBy(first)).toBe(PUBLISHED);
    const ms = await msUntilServed(second, PUBLISHED);
    console.log(`v${PUBLISHED} published through the first server, served by the second after ${(ms / 1000).toFixed(1)} s`);
    expect(second.output()).toContain(`model digit-cnn v${PUBLISHED} now served (was v${SHIPPED})`);
  }, 60_000);

  it('refuses a broken upload and both keep serving the current version', async () => {
    const [[what, body, status]] = await brokenUploads(MODEL_DIR, '4');
    const res = await fetch(`${second.url}/api/admin/models`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status, what).toBe(status);
    const listed = await (await fetch(`${first.url}/api/admin/models`, { headers: admin })).json();
    expect(listed.versions.map((v: { version: string }) => v.version)).toEqual([SHIPPED, PUBLISHED]);
    expect(listed.current.version).toBe(PUBLISHED);
    expect([await servedBy(first), await servedBy(second)]).toEqual([PUBLISHED, PUBLISHED]);
  });

  it('rolls back through the second: it serves the previous version at once, the first within 30 s', async () => {
    const res = await fetch(`${second.url}/api/admin/models/${SHIPPED}/current`, { method: 'POST', headers: admin });
    expect(res.status).toBe(200);
    expect(await servedBy(second)).toBe(SHIPPED);
    await msUntilServed(first, SHIPPED);
  }, 60_000);
});
