// Cold start to first prediction: from spawning the process until POST /api/predict first answers 200.
// Node: functions/node/start.mjs (what `npm start` runs) on PGlite in a fresh DATA_DIR, or on PostgreSQL.
// workerd: `npm run dev:edge` (wrangler's build, workerd's start, the isolate's first request).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, waitUntil } from '../functions/node/testing.ts';
import { spawnLogged } from './processes.ts';
import { predicts, REPO_ROOT, type Database } from './targets.ts';

const START = path.join(REPO_ROOT, 'functions/node/start.mjs');

/** Milliseconds from spawn to the first 200 from /api/predict (polled every 10 ms). */
export async function nodeColdStart(db?: Database): Promise<number> {
  const port = await freePort();
  const dataDir = db ? undefined : await mkdtemp(path.join(tmpdir(), 'digit-bench-cold-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir, DATABASE_URL: db?.databaseUrl, DATABASE_WS_PROXY: db?.wsProxy };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const started = performance.now();
  const server = spawnLogged(process.execPath, [START], { cwd: REPO_ROOT, env });
  try {
    await waitUntil(() => predicts(`http://127.0.0.1:${port}/api/predict`), 'npm start', { ended: server.ended, everyMs: 10 });
    return performance.now() - started;
  } finally {
    await server.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}

export async function workerdColdStart(db: Database): Promise<number> {
  const { startEdgeDev } = await import('../functions/worker/testing.ts');
  const dev = await startEdgeDev({ DATABASE_URL: db.databaseUrl, DATABASE_WS_PROXY: db.wsProxy }, (url) => predicts(`${url}/api/predict`));
  await dev.stop();
  return dev.answeredAfterMs;
}
