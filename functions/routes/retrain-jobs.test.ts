// The learning loop's admin endpoints in the embedded database (PGlite), in one app: retraining jobs
// queued, claimed, reported on and finished, every bad request refused with nothing changed; and each
// model version's live figures; on PostgreSQL, trainers claiming at once, and a job whose trainer died.
// A real trainer running a job: training/trainer.test.ts.
import ws from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../node/testing.ts';
import { createPgliteStore } from '../store/pglite-store.ts';
import { createPostgresStore } from '../store/postgres-store.ts';
import { createSqlRetrainJobs, STALE_SECONDS } from '../store/retrain-jobs.ts';
import type { SqlStore } from '../store/sql-store.ts';
import { sevenPixels } from '../testing/fixtures.ts';
import { loadTestModels, readMigrations, TEST_ADMIN_TOKEN } from '../testing/test-deps.ts';

const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
const json = { ...admin, 'content-type': 'application/json' };
type Job = { id: string; state: string; progress: string; result: Record<string, unknown> | null; startedAt: string | null; finishedAt: string | null };

describe('the learning loop in the embedded database', () => {
  let store: SqlStore;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    store = await createPgliteStore({ dataDir: 'memory://', migrations: await readMigrations() });
    await store.init();
    app = createApp({ store, models: await loadTestModels(), adminToken: TEST_ADMIN_TOKEN, log: () => {} });
  });
  afterAll(async () => store?.close());

  const call = async (path: string, init: RequestInit = {}) => {
    const res = await app.request(`/api/admin/retrain-jobs${path}`, { headers: admin, ...init });
    return { status: res.status, body: (await res.json()) as { job: Job; jobs: Job[]; error: { code: string } } };
  };
  const post = (path: string, body?: unknown) =>
    call(path, { method: 'POST', headers: body === undefined ? admin : json, body: body === undefined ? undefined : JSON.stringify(body) });
  const jobs = async () => (await call('')).body.jobs;

  it('needs the admin token', async () => {
    expect((await app.request('/api/admin/retrain-jobs', { method: 'POST' })).status).toBe(401);
    expect((await app.request('/api/admin/retrain-jobs/claim', { method: 'POST', headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect(await jobs()).toEqual([]);
  });

  it('queues one job at a time, which a trainer claims once, reports on and finishes', async () => {
    const queued = await post('');
    expect(queued.status).toBe(201);
    const { id } = queued.body.job;
    expect(queued.body.job).toMatchObject({ state: 'queued', result: null, startedAt: null, finishedAt: null });
    expect((await post('')).body.error.code).toBe('retrain-job-open');
    // Progress before the job is claimed is refused.
    expect((await post(`/${id}/progress`, { progress: 'early' })).status).toBe(409);

    const claimed = await post('/claim');
    expect(claimed.body.job).toMatchObject({ id, state: 'running', progress: 'started' });
    expect(claimed.body.job.startedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((await post('/claim')).body.job).toBeNull();
    expect((await post('')).status).toBe(409); // still open while running

    expect((await post(`/${id}/progress`, { progress: 'fine-tuning 40/150' })).body.job.progress).toBe('fine-tuning 40/150');
    const result = { accepted: false, parent: '2', reasons: ['no significant improvement'], gate: { heldOutFeedback: { p: 0.5 } } };
    const done = await post(`/${id}/finish`, { state: 'refused', result, progress: 'refused' });
    expect(done.status).toBe(200);
    expect(done.body.job).toMatchObject({ id, state: 'refused', result, progress: 'refused' });
    expect(done.body.job.finishedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    // A finished job takes no second verdict; a new one may be queued now.
    expect((await post(`/${id}/finish`, { state: 'accepted', result: {} })).body.error.code).toBe('retrain-job-not-running');
    const next = await post('');
    expect(next.status).toBe(201);
    expect((await jobs()).map((j) => [j.id, j.state])).toEqual([[next.body.job.id, 'queued'], [id, 'refused']]);
  });

  it('refuses bad requests with a 4xx and changes nothing', async () => {
    const before = await jobs();
    const { id } = (await post('/claim')).body.job;
    const refused: [string, RequestInit, number, string][] = [
      [`/${id}/finish`, { body: JSON.stringify({ state: 'queued', result: {} }) }, 400, 'invalid-verdict'],
      [`/${id}/finish`, { body: JSON.stringify({ state: 'accepted' }) }, 400, 'invalid-verdict'],
      [`/${id}/finish`, { body: '{not json' }, 400, 'invalid-json'],
      [`/${id}/progress`, { body: JSON.stringify({ progress: 'x'.repeat(501) }) }, 400, 'invalid-progress'],
      [`/${id}/progress`, { body: 'progress', headers: { ...admin, 'content-type': 'text/plain' } }, 415, 'unsupported-media-type'],
      ['/999999/progress', { body: JSON.stringify({ progress: 'x' }) }, 404, 'retrain-job-not-found'],
      ["/1';drop/progress", { body: JSON.stringify({ progress: 'x' }) }, 404, 'retrain-job-not-found'],
    ];
    for (const [path, init, status, code] of refused) {
      const res = await call(path, { method: 'POST', headers: json, ...init });
      expect([path, res.status, res.body.error?.code]).toEqual([path, status, code]);
    }
    const after = await jobs();
    expect(after[0]).toMatchObject({ id, state: 'running', progress: 'started', result: null });
    expect(after.slice(1)).toEqual(before.slice(1));
  });

  it("lists each version's predictions and accuracy on their labels", async () => {
    const predict = async () => {
      const res = await app.request('/api/predict', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pixels: sevenPixels() }) });
      return (await res.json()) as { id: string; digit: number; model: { version: string } };
    };
    const label = (id: string, trueLabel: number) =>
      app.request(`/api/predictions/${id}/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ trueLabel }) });
    const [a, b] = [await predict(), await predict()];
    await predict(); // never labeled
    await label(a.id, a.digit);
    await label(b.id, (b.digit + 1) % 10);
    const res = await app.request('/api/admin/models/live', { headers: admin });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ versions: [{ version: a.model.version, predictions: 3, labeled: 2, correct: 1, accuracy: 0.5 }] });
    expect((await app.request('/api/admin/models/live')).status).toBe(401);
  });
});

describe.skipIf(!(await postgresAvailable()))('retraining jobs on PostgreSQL', () => {
  let db: TestDatabase;
  let store: SqlStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    store = createPostgresStore({ databaseUrl: db.databaseUrl, wsProxy: db.wsProxy, migrations: await readMigrations(), webSocketConstructor: ws });
    await store.init();
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it('gives a queued job to one of many trainers claiming at once', async () => {
    const jobs = createSqlRetrainJobs(store.client);
    const { id } = await jobs.queue();
    const claims = await Promise.all(Array.from({ length: 8 }, () => jobs.claim()));
    expect(claims.filter(Boolean).map((j) => j!.id)).toEqual([id]);
    await jobs.finish(id, 'failed', null);
  });

  it('fails a running job whose trainer went silent, so that a new one can be queued', async () => {
    const jobs = createSqlRetrainJobs(store.client);
    const { id } = await jobs.queue();
    await jobs.claim();
    await expect(jobs.queue()).rejects.toThrow(/already queued or running/);
    await store.client.query(`UPDATE retrain_jobs SET updated_at = now() - make_interval(secs => $1 + 1) WHERE id = $2`, [STALE_SECONDS, id]);
    const next = await jobs.queue();
    expect(await jobs.get(id)).toMatchObject({ state: 'failed', progress: 'failed: the trainer stopped reporting' });
    expect(next.state).toBe('queued');
  });
});
