// The trainer against a real server on PostgreSQL: a job queued through the admin API is claimed by one
// trainer turn (python3 -m training.trainer --once), retrained on the server's feedback with a few steps,
// and finished with the gate's verdict and figures; a turn with no job queued changes nothing.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresAvailable, startServer, type TestDatabase, type TestServer } from '../functions/node/testing.ts';
import { sevenPixels } from '../functions/testing/fixtures.ts';
import { runToEnd } from '../functions/testing/processes.ts';
import { MODEL_DIR } from './evaluate.ts';
import { findPython } from './python.mjs';

const python = findPython();
const TOKEN = 'trainer-test-token-0123456789';
const work = mkdtempSync(join(tmpdir(), 'digit-trainer-'));
const modelDir = join(work, 'model');
/** Few steps and a small floor of feedback: the verdict matters here, not the model. */
const FAST = ['--model-dir', modelDir, '--steps', '5', '--min-feedback', '4'];
const CLIENTS = Array.from({ length: 6 }, (_, i) => `198.51.100.${i + 1}`);

type Job = { id: string; state: string; progress: string; result: { accepted: boolean; gate?: { mnistTest: { before: number; after: number }; heldOutFeedback: { count: number; p: number } }; reasons: string[] } | null };

async function trainerTurn(): Promise<{ status: number | null; output: string }> {
  const r = await runToEnd(python!, ['-m', 'training.trainer', '--from', server.url, '--once', '--', ...FAST],
    { ...process.env, ADMIN_TOKEN: TOKEN, PYTHONPATH: process.cwd() });
  return { status: r.status, output: r.stdout + r.stderr };
}

let server: TestServer;
let db: TestDatabase;
const admin = (path: string, init: RequestInit = {}) =>
  fetch(`${server.url}/api/admin/retrain-jobs${path}`, { ...init, headers: { authorization: `Bearer ${TOKEN}` } });
const jobs = async () => ((await (await admin('')).json()) as { jobs: Job[] }).jobs;

describe.skipIf((!python || !(await postgresAvailable())) && !process.env.CI)('the trainer', () => {
  beforeAll(async () => {
    cpSync(MODEL_DIR, modelDir, { recursive: true, filter: (src) => !src.endsWith('.ts') && !src.includes('fixtures') });
    db = await createTestDatabase();
    server = await startServer({
      env: { ADMIN_TOKEN: TOKEN, MODEL_DIR: modelDir, DATABASE_URL: db.databaseUrl, DATABASE_WS_PROXY: db.wsProxy, TRUSTED_PROXIES: '127.0.0.1,::1', RATE_LIMIT_PER_MINUTE: 'off' },
    });
    // Three labeled sevens from each of six clients, each a drawing of its own (retraining counts a
    // drawing one client sent twice once): the seven moved by a column each time.
    const seven = sevenPixels();
    for (const client of CLIENTS) {
      for (let i = 0; i < 3; i++) {
        const headers = { 'content-type': 'application/json', 'x-forwarded-for': client };
        const pixels = seven.map((_, p) => (p % 28 >= i ? seven[p - i]! : 0));
        const res = await fetch(`${server.url}/api/predict`, { method: 'POST', headers, body: JSON.stringify({ pixels }) });
        const { id } = (await res.json()) as { id: string };
        const fb = await fetch(`${server.url}/api/predictions/${id}/feedback`, { method: 'POST', headers, body: JSON.stringify({ trueLabel: 7 }) });
        expect(fb.status).toBe(200);
      }
    }
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
    rmSync(work, { recursive: true, force: true });
  });

  it('with no job queued, a turn claims nothing and changes nothing', async () => {
    const turn = await trainerTurn();
    expect(turn.status, turn.output).toBe(0);
    expect(await jobs()).toEqual([]);
  });

  it('runs a queued job and finishes it with the verdict and the gate figures', async () => {
    const queued = await admin('', { method: 'POST' });
    expect(queued.status).toBe(201);
    const { job } = (await queued.json()) as { job: Job };
    const turn = await trainerTurn();
    expect(turn.status, turn.output).toBe(0);
    const [done] = await jobs();
    expect(done!.id).toBe(job.id);
    expect(['accepted', 'refused'], turn.output).toContain(done!.state);
    expect(done!.progress).toMatch(new RegExp(`^${done!.state}: `));
    const gate = done!.result!.gate!;
    expect(gate.mnistTest.before).toBeGreaterThan(0.98);
    expect(gate.mnistTest.after).toBeGreaterThan(0.9);
    expect(gate.heldOutFeedback.count).toBeGreaterThan(0);
    expect(gate.heldOutFeedback.p).toBeGreaterThan(0);
    expect(done!.result!.accepted).toBe(done!.state === 'accepted');
  }, 300_000);
});
