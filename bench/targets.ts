// The servers the HTTP benchmarks load: bench-server.ts per store (and the bare Hono ceiling), and the
// Worker in workerd (`npm run dev:edge`). Each says which process to watch for memory.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitUntil } from '../functions/node/testing.ts';
import type { BenchStore } from './bench-server.ts';
import { predictBodies } from './bodies.ts';
import { postOnce } from './http-load.ts';
import { descendants, spawnLogged } from './processes.ts';

export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
const BENCH_SERVER = fileURLToPath(new URL('./bench-server.ts', import.meta.url));

export interface Target {
  /** The URL to load (…/api/predict, or …/noop for the ceiling). */
  url: string;
  /** The process whose memory is the server's. */
  pid: number;
  /** The server's memory where it is more than that one process (a parent and its workers). */
  rssKiB?(): number | undefined;
  stop(): Promise<void>;
}

export interface Database {
  databaseUrl: string;
  wsProxy: string;
}

/** Answers 200 to one prediction: the model is loaded and the database takes rows. */
export async function predicts(url: string): Promise<boolean> {
  return (await postOnce(url, predictBodies()[0]!)) === 200;
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

/** wrangler.toml without its [[ratelimits]] bindings: the load comes from one address, far above 600 a minute. */
export function withoutRateLimits(toml: string): string {
  return toml.replace(/^\[\[ratelimits\]\][\s\S]*?(?=^\[|(?![\s\S]))/gm, '');
}

/** Where the bench writes its copy of wrangler.toml: wrangler's own scratch folder, ignored by git. */
export const BENCH_WRANGLER_CONFIG = path.join(REPO_ROOT, '.wrangler/bench/wrangler.toml');

/**
 * wrangler.toml for a copy written to another folder: no rate limit, and the paths wrangler resolves
 * against the configuration's folder (main, the assets, the build's folder and watch_dir) made absolute.
 */
export function benchWranglerConfig(toml: string, root: string): string {
  const absolute = (p: string) => JSON.stringify(path.resolve(root, p));
  return withoutRateLimits(toml)
    .replace(/^(main|directory|watch_dir) = "([^"]*)"$/gm, (_, key: string, value: string) => `${key} = ${absolute(value)}`)
    .replace(/^\[build\]$/m, `[build]\ncwd = ${absolute('.')}`);
}

/**
 * The Worker in workerd through `npm run dev:edge` (functions/worker/dev.mjs) on PostgreSQL, with a copy of
 * wrangler.toml that has no rate limit (BENCH_WRANGLER_CONFIG). Memory is workerd's own.
 */
export async function startWorkerd(db: Database): Promise<Target> {
  const port = await freePort();
  const config = BENCH_WRANGLER_CONFIG;
  await mkdir(path.dirname(config), { recursive: true });
  await writeFile(config, benchWranglerConfig(await readFile(path.join(REPO_ROOT, 'wrangler.toml'), 'utf8'), REPO_ROOT));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATABASE_URL: db.databaseUrl, DATABASE_WS_PROXY: db.wsProxy };
  const args = [path.join(REPO_ROOT, 'functions/worker/dev.mjs'), '--ip', '127.0.0.1', '--inspector-port', String(await freePort()), '--config', config];
  const dev = spawnLogged(process.execPath, args, { cwd: REPO_ROOT, env });
  const stop = async () => {
    await dev.stop();
    await rm(config, { force: true });
  };
  const url = `http://127.0.0.1:${port}/api/predict`;
  try {
    await waitUntil(() => predicts(url), 'npm run dev:edge', { ended: dev.ended, everyMs: 100 });
    const workerd = descendants(dev.child.pid!).find((p) => p.name === 'workerd');
    if (!workerd) throw new Error('npm run dev:edge answers, but no workerd process was found');
    return { url, pid: workerd.pid, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
