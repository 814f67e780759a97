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
/** The input contract's modules, which the page imports from model/ (see model/input-contract.ts). */
const CONTRACT = ['input-contract.ts', 'ink-from-image.ts', 'near-empty-rule.ts', 'fit-and-centre.ts'].map((file) => path.join(ROOT, 'model', file));

function newestMtime(file) {
  if (!statSync(file).isDirectory()) return statSync(file).mtimeMs;
  return Math.max(0, ...readdirSync(file).map((entry) => newestMtime(path.join(file, entry))));
}

/** 'missing', 'stale' (older than the page's sources) or 'built'; 'built' too where there are no sources (an image). */
export function pageState() {
  if (!existsSync(path.join(FRONTEND, 'index.html'))) return 'built';
  if (!existsSync(BUILT)) return 'missing';
  const sources = [path.join(FRONTEND, 'src'), path.join(FRONTEND, 'index.html'), ...CONTRACT];
  return statSync(BUILT).mtimeMs >= Math.max(...sources.map(newestMtime)) ? 'built' : 'stale';
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
