// What a visitor and a deploy download: the page's JS and CSS (a fresh `vite build` of frontend/ into a
// temporary folder, so frontend/dist, which running servers serve, is left alone), the Worker bundle
// (`wrangler deploy --dry-run`), and the ONNX model.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface Sizes {
  frontend: { files: { name: string; bytes: number; gzipBytes: number }[]; bytes: number; gzipBytes: number };
  worker: { bytes: number; gzipBytes: number; wranglerTotal: string } | { error: string };
  model: { file: string; bytes: number };
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

export async function frontendSizes(root: string): Promise<Sizes['frontend']> {
  const outDir = await mkdtemp(path.join(tmpdir(), 'digit-bench-page-'));
  try {
    const vite = createRequire(import.meta.url).resolve('vite/package.json').replace(/package\.json$/, 'bin/vite.js');
    const build = spawnSync(process.execPath, [vite, 'build', 'frontend', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], { cwd: root, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`vite build failed: ${build.stderr.slice(-2000)}`);
    const files = await Promise.all(
      (await filesUnder(outDir))
        .filter((f) => /\.(js|css)$/.test(f))
        .map(async (f) => {
          const bytes = await readFile(f);
          return { name: path.relative(outDir, f), bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
        }),
    );
    return { files, bytes: files.reduce((a, f) => a + f.bytes, 0), gzipBytes: files.reduce((a, f) => a + f.gzipBytes, 0) };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

export async function workerSizes(): Promise<Sizes['worker']> {
  const outDir = await mkdtemp(path.join(tmpdir(), 'digit-bench-worker-'));
  try {
    const { deployDryRun } = await import('../functions/worker/testing.ts');
    const run = deployDryRun(outDir);
    return { bytes: run.bytes, gzipBytes: run.gzipBytes, wranglerTotal: run.wranglerTotal };
  } catch (error) {
    return { error: (error as Error).message.slice(0, 500) };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

export async function modelSize(modelDir: string): Promise<Sizes['model']> {
  const pointer = JSON.parse(await readFile(path.join(modelDir, 'current.json'), 'utf8')) as { file: string };
  return { file: pointer.file, bytes: (await stat(path.join(modelDir, pointer.file))).size };
}
