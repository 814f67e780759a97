// Node-side helpers for the Worker: `npm run dev:edge` (functions/worker/dev.mjs) on a free port, and
// `wrangler deploy --dry-run` into a folder. Used by this folder's Node tests, cold-start.ts and the benchmarks.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { definedEnv, freePort, startProcess, UNDER_LOAD, type Env, type Exit } from '../testing/processes.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEV_SCRIPT = fileURLToPath(new URL('./dev.mjs', import.meta.url));

export interface EdgeDev {
  url: string;
  /** dev.mjs's process; wrangler and workerd run below it. */
  pid: number;
  /** Milliseconds from starting `npm run dev:edge` to the first time `answers` held. */
  answeredAfterMs: number;
  output(): string;
  stop(): Promise<Exit>;
}

/**
 * Starts dev.mjs (what `npm run dev:edge` runs) on a free port with `env` (DATABASE_URL, DATABASE_WS_PROXY,
 * ADMIN_TOKEN; an inherited DATABASE_URL is dropped) and resolves once `answers(url)` holds (by default:
 * GET /api/health is 200, which in a fresh isolate also waits for the model to load). `wranglerArgs`
 * go to wrangler dev; `underLoad` drops wrangler's request log (UNDER_LOAD).
 */
export async function startEdgeDev(
  env: Env = {},
  answers: (url: string) => Promise<boolean> = async (url) => (await fetch(`${url}/api/health`)).status === 200,
  options: { timeoutMs?: number; wranglerArgs?: string[]; underLoad?: boolean } = {},
): Promise<EdgeDev> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // Its own inspector port: several dev servers (parallel test runs) would otherwise share 9229.
  const args = [DEV_SCRIPT, '--ip', '127.0.0.1', '--inspector-port', String(await freePort()), ...(options.wranglerArgs ?? [])];
  const dev = await startProcess(process.execPath, args, {
    cwd: ROOT,
    env: definedEnv(process.env, { DATABASE_URL: undefined }, env, { PORT: String(port) }),
    ...(options.underLoad ? UNDER_LOAD : {}),
    what: 'npm run dev:edge',
    ready: () => answers(url),
    timeoutMs: options.timeoutMs ?? 90_000,
  });
  return { url, pid: dev.pid, answeredAfterMs: dev.readyAfterMs, output: dev.output, stop: () => dev.stop() };
}

export interface DryRun {
  outDir: string;
  /** Every file of the bundle (the source map, uploaded beside it, excluded) with its size and gzipped size. */
  files: { name: string; bytes: number; gzipBytes: number }[];
  bytes: number;
  gzipBytes: number;
  /** wrangler's own "Total Upload: X KiB / gzip: Y KiB" line. */
  wranglerTotal: string;
}

/** `wrangler deploy --dry-run --outdir outDir`: builds the bundle a deploy would upload, without uploading. */
export function deployDryRun(outDir: string): DryRun {
  const wrangler = createRequire(import.meta.url).resolve('wrangler/bin/wrangler.js');
  const run = spawnSync(process.execPath, [wrangler, 'deploy', '--dry-run', '--outdir', outDir], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  });
  const log = `${run.stdout}\n${run.stderr}`;
  if (run.status !== 0) throw new Error(`wrangler deploy --dry-run failed (${run.status}):\n${log.slice(-3000)}`);
  const files = readdirSync(outDir)
    .filter((name) => !name.endsWith('.map') && name !== 'README.md')
    .map((name) => {
      const file = path.join(outDir, name);
      return { name, bytes: statSync(file).size, gzipBytes: gzipSync(readFileSync(file), { level: 9 }).length };
    });
  return {
    outDir,
    files,
    bytes: files.reduce((a, f) => a + f.bytes, 0),
    gzipBytes: files.reduce((a, f) => a + f.gzipBytes, 0),
    wranglerTotal: /Total Upload: .*/.exec(log)?.[0] ?? '',
  };
}
