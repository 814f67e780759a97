// The Dockerfile's build stage, run on a clean copy of the tracked files: the same ENV and RUN
// instructions (npm ci, the page build, the server bundle). Then the dev dependencies are pruned, as
// the app stage has none, and the bundle must serve the page and the API from that copy alone.
// (The app stage's COPY steps take exactly these built files and the tracked schema.sql and model/.)
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../functions/node/testing.ts';
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
    expect(build.runs.join('\n')).toMatch(/npm ci[\s\S]*npm run build[\s\S]*esbuild/);
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
    // npm ci reuses the local npm cache, so this needs no network beyond what `npm ci` needs anyway.
    for (const run of build.runs) sh(run, build.env);
    expect(existsSync(path.join(dir, 'frontend/dist/index.html'))).toBe(true);
    expect(existsSync(path.join(dir, 'functions/node/server.bundle.mjs'))).toBe(true);

    // Then the app stage's own RUN steps on the same tree (its fresh `npm ci --omit=dev` leaves only production
    // dependencies). Its cache cleaning is left out: here it would empty this machine's shared npm cache.
    const app = readStages().find((s) => s.name === 'app')!;
    for (const run of app.runs) sh(run.replace(/\s*&&\s*npm cache clean --force/, ''), app.env);
    expect(existsSync(path.join(dir, 'node_modules/tsx'))).toBe(false);
    expect(existsSync(path.join(dir, 'node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm'))).toBe(true);

    const port = await freePort();
    const server = spawn(process.execPath, ['functions/node/server.bundle.mjs'], {
      cwd: dir,
      env: { PATH: process.env.PATH, NODE_ENV: 'production', PORT: String(port), DATA_DIR: path.join(dir, 'data') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    server.stdout.on('data', (d: Buffer) => (output += d));
    server.stderr.on('data', (d: Buffer) => (output += d));
    try {
      const deadline = Date.now() + 60_000;
      let ready = 0;
      while (ready !== 200 && Date.now() < deadline && server.exitCode === null) {
        ready = await fetch(`http://127.0.0.1:${port}/api/ready`).then((r) => r.status, () => 0);
        if (ready !== 200) await new Promise((r) => setTimeout(r, 200));
      }
      expect(ready, output).toBe(200);
      const page = await fetch(`http://127.0.0.1:${port}/`);
      expect(await page.text()).toContain('id="root"');
    } finally {
      server.kill('SIGTERM');
    }
  });
});
