// The servers the HTTP benchmarks load: bench-server.ts per store (and the bare Hono ceiling), and the
// Worker in workerd (`npm run dev:edge`). Each says which process to watch for memory.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../functions/node/testing.ts';
import type { BenchStore } from './bench-server.ts';
import { predictBodies } from './bodies.ts';
import { descendants, spawnLogged, waitUntil } from './processes.ts';

export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
const BENCH_SERVER = fileURLToPath(new URL('./bench-server.ts', import.meta.url));

export interface Target {
  /** The URL to load (…/api/predict, or …/noop for the ceiling). */
  url: string;
  /** The process whose memory is the server's. */
  pid: number;
  stop(): Promise<void>;
}

export interface Database {
  databaseUrl: string;
  wsProxy: string;
}

/** Answers 200 to one prediction: the model is loaded and the database takes rows. */
export async function predicts(url: string): Promise<boolean> {
  const json = predictBodies()[0]!;
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': json.contentType }, body: new Uint8Array(json.bytes) });
  await res.arrayBuffer();
  return res.status === 200;
}

export async function startBenchServer(kind: BenchStore, db?: Database, nodeArgs: string[] = []): Promise<Target> {
  const port = await freePort();
  const dataDir = kind === 'pglite' ? await mkdtemp(path.join(tmpdir(), 'digit-bench-')) : undefined;
  const env: NodeJS.ProcessEnv = { ...process.env, BENCH_STORE: kind, PORT: String(port), DATA_DIR: dataDir, DATABASE_URL: db?.databaseUrl, DATABASE_WS_PROXY: db?.wsProxy };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const server = spawnLogged(process.execPath, [...nodeArgs, '--import', 'tsx', BENCH_SERVER], { cwd: REPO_ROOT, env });
  const base = `http://127.0.0.1:${port}`;
  const url = kind === 'ceiling' ? `${base}/noop` : `${base}/api/predict`;
  const stop = async () => {
    await server.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitUntil(() => (kind === 'ceiling' ? fetch(url, { method: 'POST' }).then((r) => r.ok) : predicts(url)), `bench server (${kind})`, { ended: server.ended });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, pid: server.child.pid!, stop };
}

/** The Worker in workerd through `npm run dev:edge`, on PostgreSQL; memory is workerd's own process. */
export async function startWorkerd(db: Database): Promise<Target> {
  const { startEdgeDev } = await import('../functions/worker/testing.ts');
  const dev = await startEdgeDev({ DATABASE_URL: db.databaseUrl, DATABASE_WS_PROXY: db.wsProxy }, (url) => predicts(`${url}/api/predict`));
  const workerd = descendants(process.pid).find((p) => p.name === 'workerd');
  if (!workerd) {
    await dev.stop();
    throw new Error('npm run dev:edge answers, but no workerd process was found');
  }
  return { url: `${dev.url}/api/predict`, pid: workerd.pid, stop: async () => void (await dev.stop()) };
}
