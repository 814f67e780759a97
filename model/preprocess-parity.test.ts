// The TypeScript input contract (decodeImage + toModelInput, what the app runs) and its numpy twin
// (training/preprocess.py, what training and evaluation run) must make the same 28x28 picture from
// the same file. It runs wherever a Python with numpy exists (the PNG files are decoded here and handed
// over as RGBA); the twin's own PNG reading needs PIL as well. Where CI is set, both must run.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findPython } from '../training/python.mjs';
import { decodeImage } from './decode-image.ts';
import { MODEL_INPUT_SIZE, toModelInput } from './input-contract.ts';

const TOLERANCE = 1e-3;
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const TRAINING = fileURLToPath(new URL('../training/', import.meta.url));
const FILES = readdirSync(FIXTURES).filter((f) => f.endsWith('.png')).sort();

const withNumpy = findPython({ need: ['numpy'] });
const withPil = findPython({ need: ['numpy', 'PIL'] });

/** Runs Python code with training/ importable: arguments and stdin in, stdout's JSON lines out. */
function runPython(python: string | null, need: string, code: string, { args = [] as string[], input = '' } = {}): unknown[] {
  expect(python, `CI is set but no Python with ${need} was found (apt-get install python3-numpy python3-pil)`).not.toBeNull();
  const script = `import sys; sys.path.insert(0, ${JSON.stringify(TRAINING)})\n${code}`;
  const run = spawnSync(python!, ['-c', script, ...args], { input, encoding: 'utf8', maxBuffer: 64 << 20 });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.trim().split('\n').map((l) => JSON.parse(l));
}

const decoded = FILES.map((name) => ({ name, image: decodeImage(new Uint8Array(readFileSync(FIXTURES + name))) }));

describe.skipIf(!withNumpy && !process.env.CI)('input contract parity: TypeScript vs training/preprocess.py', () => {
  it('gives the same result on every fixture within 1e-3', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(10);
    const input = decoded.map(({ image }) => JSON.stringify({ width: image.width, height: image.height, rgba: Buffer.from(image.data).toString('base64') })).join('\n');
    const lines = runPython(withNumpy, 'numpy', `
import base64, json
import numpy as np
from preprocess import to_model_input
for line in sys.stdin:
    m = json.loads(line)
    rgba = np.frombuffer(base64.b64decode(m['rgba']), dtype=np.uint8).reshape(m['height'], m['width'], 4)
    pixels, reason = to_model_input(rgba)
    print(json.dumps({'ok': False, 'reason': reason} if pixels is None else {'ok': True, 'pixels': [float(v) for v in pixels.reshape(-1)]}))
`, { input }) as ({ ok: true; pixels: number[] } | { ok: false; reason: string })[];
    expect(lines).toHaveLength(FILES.length);

    const outcomes = new Set<string>();
    lines.forEach((line, i) => {
      const { name, image } = decoded[i]!;
      const ts = toModelInput(image);
      outcomes.add(line.ok ? 'ok' : line.reason);
      if (!line.ok || !ts.ok) {
        expect(ts.ok ? 'ok' : ts.reason, name).toBe(line.ok ? 'ok' : line.reason);
        return;
      }
      expect(line.pixels, name).toHaveLength(MODEL_INPUT_SIZE * MODEL_INPUT_SIZE);
      const worst = line.pixels.reduce((m, v, p) => Math.max(m, Math.abs(v - ts.pixels[p])), 0);
      expect(worst, name).toBeLessThanOrEqual(TOLERANCE);
    });
    // The fixtures exercise every outcome, so a twin that always answers the same way cannot pass.
    expect([...outcomes].sort()).toEqual(['no-ink', 'ok', 'too-little-ink']);
  });

  it.skipIf(!withPil && !process.env.CI)('reads every fixture file to the same RGBA as decodeImage', () => {
    const lines = runPython(withPil, 'numpy and PIL', `
import hashlib, json
from preprocess import load_rgba
for path in sys.argv[1:]:
    rgba = load_rgba(path)
    print(json.dumps({'shape': list(rgba.shape), 'sha256': hashlib.sha256(rgba.tobytes()).hexdigest()}))
`, { args: FILES.map((f) => FIXTURES + f) });
    expect(lines).toEqual(decoded.map(({ image }) => ({
      shape: [image.height, image.width, 4],
      sha256: createHash('sha256').update(image.data).digest('hex'),
    })));
  });
});
