// The Dockerfile's build stage, run on a clean copy of the tracked files: the same ENV and RUN
// instructions (the build tools' install, the page build, the server bundle). Then the deps stage's
// (production dependencies only, pruned), and the bundle must serve the page and the API from that copy
// alone. (The app stage's COPY steps take exactly these built files and the tracked schema.sql and model/.)
// deploy/image.test.ts builds and runs the real image where podman is installed.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startProcess } from '../functions/testing/processes.ts';
import { REPO_ROOT } from './compose-file.ts';
import { readStages } from './dockerfile.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'docker-build-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sh(command: string, env: Record<string, string> = {}) {
  const r = spawnSync('bash', ['-euo', 'pipefail', '-c', command], { cwd: dir, env: { ...process.env, ...env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${command} failed (${r.status}):\n${(r.stdout + r.stderr).slice(-3000)}`);
  return r.stdout;
}

describe('the Dockerfile build stage on a clean checkout', () => {
  const build = readStages().find((s) => s.name === 'build')!;

  it('has the steps this test runs', () => {
    expect(build.runs.join('\n')).toMatch(/npm-subset\.mjs[^\n]*&& npm install[\s\S]*npm run build[\s\S]*esbuild/);
    // Nothing a user of `npm ci` would not set: the app's install downloads npm packages only.
    expect(build.env).not.toHaveProperty('ONNXRUNTIME_NODE_INSTALL');
  });

  it('builds the page and a server bundle that runs on production dependencies only', { timeout: 600_000 }, async () => {
    const files = spawnSync('git', ['ls-files', '-z'], { cwd: REPO_ROOT, encoding: 'utf8' }).stdout.split('\0').filter(Boolean);
    for (const file of files) {
      if (!existsSync(path.join(REPO_ROOT, file))) continue; // deleted in the working tree
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      cpSync(path.join(REPO_ROOT, file), path.join(dir, file));
    }
    // Each stage starts from the tracked package.json and lockfile (`COPY . .` brings them back too).
    const restorePackageFiles = () => {
      for (const file of ['package.json', 'package-lock.json']) cpSync(path.join(REPO_ROOT, file), path.join(dir, file));
    };
    // npm reuses the local npm cache, so this needs no network beyond what `npm ci` needs anyway.
    const [install, ...rest] = build.runs;
    sh(install, build.env);
    // Only the build tools beside the production dependencies: no test or deploy toolchain.
    for (const tool of ['vite', 'esbuild', 'vite-plugin-solid']) expect(existsSync(path.join(dir, 'node_modules', tool)), tool).toBe(true);
    for (const dev of ['vitest', 'wrangler', 'typescript', 'tsx']) expect(existsSync(path.join(dir, 'node_modules', dev)), dev).toBe(false);
    restorePackageFiles();
    for (const run of rest) sh(run, build.env);
    expect(existsSync(path.join(dir, 'frontend/dist/index.html'))).toBe(true);
    expect(existsSync(path.join(dir, 'functions/node/server.bundle.mjs'))).toBe(true);

    // Then the deps stage's RUN steps on the same tree: a fresh `npm ci --omit=dev`, pruned.
    const deps = readStages().find((s) => s.name === 'deps')!;
    for (const run of deps.runs) sh(run, deps.env);
    for (const gone of ['tsx', 'solid-js', 'onnxruntime-web/dist/ort.all.min.mjs', 'onnxruntime-web/dist/ort-wasm-simd-threaded.jsep.wasm']) {
      expect(existsSync(path.join(dir, 'node_modules', gone)), gone).toBe(false);
    }
    expect(existsSync(path.join(dir, 'node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm'))).toBe(true);

    const port = await freePort();
    const readyStatus = () => fetch(`http://127.0.0.1:${port}/api/ready`).then((r) => r.status);
    const server = await startProcess(process.execPath, ['functions/node/server.bundle.mjs'], {
      cwd: dir,
      env: { PATH: process.env.PATH, NODE_ENV: 'production', PORT: String(port), DATA_DIR: path.join(dir, 'data') },
      what: 'functions/node/server.bundle.mjs',
      ready: async () => (await readyStatus()) === 200,
      timeoutMs: 60_000,
      everyMs: 200,
    });
    try {
      expect(await readyStatus(), server.output()).toBe(200);
      const page = await fetch(`http://127.0.0.1:${port}/`);
      expect(await page.text()).toContain('id="root"');
    } finally {
      await server.stop();
    }
  });
});
