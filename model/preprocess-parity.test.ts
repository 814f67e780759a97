// The TypeScript input contract (decodeImage + toModelInput, what the app runs) and its numpy twin
// (training/preprocess.py, what training and evaluation run) must make the same 28x28 picture from
// the same file. Skipped locally when no Python with numpy and PIL exists; CI must run it.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findPython } from '../training/python.mjs';
import { decodeImage } from './decode-image.ts';
import { MODEL_INPUT_SIZE, toModelInput } from './input-contract.ts';

const TOLERANCE = 1e-3;
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const SCRIPT = fileURLToPath(new URL('../training/preprocess.py', import.meta.url));

type PythonLine = { file: string; ok: true; pixels: number[] } | { file: string; ok: false; reason: string };

const python = findPython({ need: ['numpy', 'PIL'] });

describe('input contract parity: TypeScript vs training/preprocess.py', () => {
  it('has a Python with numpy and PIL wherever CI runs', () => {
    if (process.env.CI) expect(python, 'CI must run the parity test: install python3-numpy and python3-pil').not.toBeNull();
  });

  it.skipIf(!python)('gives the same result on every fixture within 1e-3', () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.png')).sort().map((f) => FIXTURES + f);
    expect(files.length).toBeGreaterThanOrEqual(10);
    const run = spawnSync(python!, [SCRIPT, ...files], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const lines: PythonLine[] = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.file)).toEqual(files);

    const outcomes = new Set<string>();
    for (const line of lines) {
      const ts = toModelInput(decodeImage(new Uint8Array(readFileSync(line.file))));
      const name = line.file.slice(FIXTURES.length);
      if (!line.ok || !ts.ok) {
        expect(ts.ok ? 'ok' : ts.reason, name).toBe(line.ok ? 'ok' : line.reason);
        outcomes.add(line.ok ? 'ok' : line.reason);
        continue;
      }
      outcomes.add('ok');
      expect(line.pixels, name).toHaveLength(MODEL_INPUT_SIZE * MODEL_INPUT_SIZE);
      const worst = line.pixels.reduce((m, v, i) => Math.max(m, Math.abs(v - ts.pixels[i])), 0);
      expect(worst, name).toBeLessThanOrEqual(TOLERANCE);
    }
    // The fixtures exercise every outcome, so a twin that always answers the same way cannot pass.
    expect([...outcomes].sort()).toEqual(['no-ink', 'ok', 'too-little-ink']);
  });
});
