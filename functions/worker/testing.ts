// Node-side helpers for the Worker: `npm run dev:edge` (functions/worker/dev.mjs) on a free port, and
// `wrangler deploy --dry-run` into a folder. Used by this folder's Node tests and by cold-start.ts.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { freePort } from '../node/testing.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEV_SCRIPT = fileURLToPath(new URL('./dev.mjs', import.meta.url));

export interface EdgeDev {
  url: string;
  /** Milliseconds from starting `npm run dev:edge` to the first time `answers` held. */
  answeredAfterMs: number;
  output(): string;
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts dev.mjs (what `npm run dev:edge` runs) on a free port with `env` (DATABASE_URL, DATABASE_WS_PROXY,
 * ADMIN_TOKEN; an inherited DATABASE_URL is dropped) and resolves once `answers(url)` holds (by default:
 * GET /api/health is 200, which in a fresh isolate also waits for the model to load).
 */
export async function startEdgeDev(
  env: Record<string, string | undefined> = {},
  answers: (url: string) => Promise<boolean> = async (url) => (await fetch(`${url}/api/health`)).status === 200,
  timeoutMs = 90_000,
): Promise<EdgeDev> {
  const port = await freePort();
  const childEnv: Record<string, string | undefined> = { ...process.env, DATABASE_URL: undefined, ...env, PORT: String(port) };
  for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
  const started = performance.now();
  // Its own inspector port: several dev servers (parallel test runs) would otherwise share 9229.
  const child = spawn(process.execPath, [DEV_SCRIPT, '--ip', '127.0.0.1', '--inspector-port', String(await freePort())], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let ended = false;
  void exited.then(() => (ended = true));
  const stop = async () => {
    if (!ended) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (ended) throw new Error(`npm run dev:edge exited before it answered:\n${output.slice(-3000)}`);
    if (await answers(url).catch(() => false)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`npm run dev:edge did not answer within ${timeoutMs} ms:\n${output.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, answeredAfterMs: performance.now() - started, output: () => output, stop };
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
