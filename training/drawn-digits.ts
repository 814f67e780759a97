// The drawn-digit evaluation set is generated, not committed: training/drawn_digits.py draws it
// deterministically (fixed seed) from MNIST test digits into the cache folder.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { findPython } from './python.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DRAWN_DIR = `${ROOT}.training-cache/drawn-eval`;

/** Returns the set's folder, generating it first if needed; null when no Python can draw it. */
export function ensureDrawnDigits(dir = DRAWN_DIR): string | null {
  if (existsSync(`${dir}/manifest.json`)) return dir;
  const python = findPython({ need: ['numpy', 'PIL'] });
  if (!python) return null;
  const r = spawnSync(python, [`${ROOT}training/drawn_digits.py`, '--out', dir], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`drawn_digits.py failed with status ${r.status}`);
  return dir;
}
