// The servers the HTTP benchmarks load: bench-server.ts per store (and the bare Hono ceiling), and the
// Worker in workerd (`npm run dev:edge`). Each says which process to watch for memory.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { definedEnv, freePort, startProcess, UNDER_LOAD } from '../functions/testing/processes.ts';
import { startEdgeDev, type EdgeDev } from '../functions/worker/testing.ts';
import type { BenchStore } from './bench-server.ts';
import { predictBodies } from './bodies.ts';
import { postOnce } from './http-load.ts';
import { descendants } from './processes.ts';

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
  const env = definedEnv(process.env, { BENCH_STORE: kind, PORT: String(port), DATA_DIR: dataDir, DATABASE_URL: db?.databaseUrl, DATABASE_WS_PROXY: kind === 'postgres-tcp' ? undefined : db?.wsProxy });
  const base = `http://127.0.0.1:${port}`;
  const url = kind === 'ceiling' ? `${base}/noop` : `${base}/api/predict`;
  const removeDataDir = async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const server = await startProcess(process.execPath, [...nodeArgs, '--import', 'tsx', BENCH_SERVER], {
      cwd: REPO_ROOT,
      env,
      ...UNDER_LOAD,
      what: `bench server (${kind})`,
      ready: () => (kind === 'ceiling' ? fetch(url, { method: 'POST' }).then((r) => r.ok) : predicts(url)),
    });
    const stop = async () => {
      await server.stop();
      await removeDataDir();
    };
    return { url, pid: server.pid, stop };
  } catch (error) {
    await removeDataDir();
    throw error;
  }
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
    // A value is one quoted path or an array of them (watch_dir).
    .replace(/^(main|directory|watch_dir) = (.*)$/gm, (_, key: string, value: string) =>
      `${key} = ${value.replace(/"([^"]*)"/g, (_quoted, p: string) => absolute(p))}`)
    .replace(/^\[build\]$/m, `[build]\ncwd = ${absolute('.')}`);
}

/**
 * The Worker in workerd through `npm run dev:edge` (functions/worker/dev.mjs) on PostgreSQL, with a copy of
 * wrangler.toml that has no rate limit (BENCH_WRANGLER_CONFIG). Memory is workerd's own.
 */
export async function startWorkerd(db: Database): Promise<Target> {
  const config = BENCH_WRANGLER_CONFIG;
  await mkdir(path.dirname(config), { recursive: true });
  await writeFile(config, benchWranglerConfig(await readFile(path.join(REPO_ROOT, 'wrangler.toml'), 'utf8'), REPO_ROOT));
  const removeConfig = () => rm(config, { force: true });
  let dev: EdgeDev | undefined;
  try {
    dev = await startEdgeDev({ DATABASE_URL: db.databaseUrl, DATABASE_WS_PROXY: db.wsProxy }, (url) => predicts(`${url}/api/predict`), {
      wranglerArgs: ['--config', config],
      underLoad: true,
    });
    const workerd = descendants(dev.pid).find((p) => p.name === 'workerd');
    if (!workerd) throw new Error('npm run dev:edge answers, but no workerd process was found');
    const running = dev;
    const stop = async () => {
      await running.stop();
      await removeConfig();
    };
    return { url: `${dev.url}/api/predict`, pid: workerd.pid, stop };
  } catch (error) {
    await dev?.stop();
    await removeConfig();
    throw error;
  }
}
