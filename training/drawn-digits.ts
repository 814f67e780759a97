// The drawn-digit evaluation set is generated, not committed: training/drawn_digits.py draws it
// deterministically (fixed seed) from MNIST test digits into the cache folder.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { findPython } from './python.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GENERATOR = `${ROOT}training/drawn_digits.py`;
export const DRAWN_DIR = `${ROOT}.training-cache/drawn-eval`;

/** Whether `dir` holds a set drawn by the generator as it is now (its manifest records the script's sha256). */
export function isCurrentDrawnSet(dir: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(`${dir}/manifest.json`, 'utf8')) as { generator?: string };
    return manifest.generator === createHash('sha256').update(readFileSync(GENERATOR)).digest('hex');
  } catch {
    return false;
  }
}

/** Returns the set's folder, (re)generating it first if missing or stale; null when no Python can draw it. */
export function ensureDrawnDigits(dir = DRAWN_DIR): string | null {
  if (isCurrentDrawnSet(dir)) return dir;
  const python = findPython({ need: ['numpy', 'PIL'] });
  if (!python) return null;
  const r = spawnSync(python, [GENERATOR, '--out', dir], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`drawn_digits.py failed with status ${r.status}`);
  return dir;
}
