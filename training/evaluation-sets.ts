// The evaluation sets are generated, not committed: Python scripts draw them deterministically
// (fixed seeds) into the cache folder, and each manifest records the sha256 of the scripts that drew
// it, so a set drawn by another version of them is redrawn.
//   drawn digits: training/drawn_digits.py re-draws MNIST test digits as canvas strokes;
//   held-out writers: training/writer_sets.py renders the UNIPEN test writers' digits and letters.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { findPython } from './python.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface EvaluationSet {
  /** The Python module that draws it, run as `python3 -m MODULE --out DIR ...args`. */
  module: string;
  /** The files whose sha256 (concatenated) the manifest records. */
  scripts: string[];
  args: string[];
  dir: string;
}

export const DRAWN_DIGITS: EvaluationSet = {
  module: 'training.drawn_digits',
  scripts: ['training/drawn_digits.py'],
  args: [],
  dir: `${ROOT}.training-cache/drawn-eval`,
};

export const HELD_OUT_WRITERS: EvaluationSet = {
  module: 'training.writer_sets',
  scripts: ['training/writer_sets.py', 'training/strokes.py', 'training/unipen.py'],
  args: ['--split', 'test'],
  dir: `${ROOT}.training-cache/unipen-test`,
};

export function generatorSha256(set: EvaluationSet): string {
  const hash = createHash('sha256');
  for (const script of set.scripts) hash.update(readFileSync(`${ROOT}${script}`));
  return hash.digest('hex');
}

/** Whether `dir` holds a set drawn by the scripts as they are now. */
export function isCurrentSet(set: EvaluationSet, dir = set.dir): boolean {
  try {
    const manifest = JSON.parse(readFileSync(`${dir}/manifest.json`, 'utf8')) as { generator?: string };
    return manifest.generator === generatorSha256(set);
  } catch {
    return false;
  }
}

/** Returns the set's folder, (re)generating it first if missing or stale; null when no Python can draw it. */
export function ensureSet(set: EvaluationSet, dir = set.dir): string | null {
  if (isCurrentSet(set, dir)) return dir;
  const python = findPython({ need: ['numpy', 'PIL'] });
  if (!python) return null;
  const r = spawnSync(python, ['-m', set.module, '--out', dir, ...set.args], { stdio: 'inherit', cwd: ROOT });
  if (r.status !== 0) throw new Error(`${set.module} failed with status ${r.status}`);
  return dir;
}
