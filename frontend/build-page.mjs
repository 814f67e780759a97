// The one builder of frontend/dist, used by `npm start`, `npm run dev:edge` and the tests. Vite builds
// into a folder of its own that is then renamed into place, so a server starting meanwhile never
// serves half a build, and two builders at once leave one complete page.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FRONTEND = fileURLToPath(new URL('.', import.meta.url));
const ROOT = path.dirname(FRONTEND.replace(/\/$/, ''));
const DIST = path.join(FRONTEND, 'dist');
const BUILT = path.join(DIST, 'index.html');

function newestMtime(file, keep) {
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(file).filter(keep).map((entry) => newestMtime(path.join(file, entry), keep)));
}

/** When what the page is built from last changed: frontend/ (its pages, code, Vite config) and model/'s TypeScript, which it imports. */
function sourcesChangedAt() {
  return Math.max(
    newestMtime(FRONTEND, (name) => !['dist', 'e2e', 'README.md'].includes(name)),
    newestMtime(path.join(ROOT, 'model'), (name) => !name.includes('.') || (name.endsWith('.ts') && !name.endsWith('.test.ts'))),
  );
}

/** 'missing', 'stale' (older than the page's sources) or 'built'; 'built' too where there are no sources (an image). */
export function pageState() {
  if (!existsSync(path.join(FRONTEND, 'index.html'))) return 'built';
  if (!existsSync(BUILT)) return 'missing';
  return statSync(BUILT).mtimeMs >= sourcesChangedAt() ? 'built' : 'stale';
}

/** Builds frontend/dist when it is missing, or also when it is stale; says whether it built. */
export function buildPage({ rebuildStale = false } = {}) {
  const state = pageState();
  if (state === 'built' || (state === 'stale' && !rebuildStale)) return false;
  console.log(`frontend/dist is ${state}: building the page`);
  const vite = path.join(path.dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  const staging = path.join(ROOT, 'node_modules', '.cache', `frontend-build-${process.pid}`);
  const run = spawnSync(process.execPath, [vite, 'build', FRONTEND, '--outDir', staging, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (run.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`vite build failed (${run.status ?? run.signal}):\n${run.stdout}\n${run.stderr}`);
  }
  process.stderr.write(run.stdout + run.stderr); // Vite's warnings
  const previous = `${staging}-previous`;
  try {
    if (existsSync(DIST)) renameSync(DIST, previous);
    renameSync(staging, DIST);
  } catch {
    // Another builder put its page in place first; that one is as good as this one.
  }
  rmSync(staging, { recursive: true, force: true });
  rmSync(previous, { recursive: true, force: true });
  if (!existsSync(BUILT)) throw new Error(`the page was built but could not be moved into ${DIST}`);
  return true;
}
