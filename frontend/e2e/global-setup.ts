// Builds frontend/dist when it is missing or older than the page's sources. Run as the frontend
// project's globalSetup, which vitest finishes for every project before any test file starts: so
// the end-to-end tests see this checkout's page, and no server started by another project's tests
// (npm start builds a missing page) races a second build into the same folder.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FRONTEND = fileURLToPath(new URL('../', import.meta.url));
const REPO_ROOT = path.resolve(FRONTEND, '..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds frontend/dist when it is missing or older than the page's sources, so the test sees this code. */
export default function buildPageIfStale(): void {
  const built = path.join(FRONTEND, 'dist', 'index.html');
  const sources = Math.max(
    newestMtime(path.join(FRONTEND, 'src')),
    statSync(path.join(FRONTEND, 'index.html')).mtimeMs,
    statSync(path.join(REPO_ROOT, 'model', 'input-contract.ts')).mtimeMs,
  );
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  const vite = path.join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const run = spawnSync(process.execPath, [vite, 'build', FRONTEND, '--logLevel', 'warn'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`vite build failed:\n${run.stdout}\n${run.stderr}`);
}
