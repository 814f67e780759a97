// A short real training run (small subset, one epoch): export, card and pointer, loaded by the
// server's own ONNX Runtime Web classifier.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadClassifier, readCard } from './evaluate.ts';
import { loadMnist, mnistPixels } from './mnist.ts';
import { findPython } from './python.mjs';

const python = findPython();
const outDir = mkdtempSync(join(tmpdir(), 'digit-train-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

// CI installs python3-torch, so there the smoke run must happen; elsewhere it needs PyTorch.
describe.skipIf(!python && !process.env.CI)('smoke training run', () => {
  it('trains one epoch on a subset, exports ONNX that ONNX Runtime Web runs like PyTorch', async () => {
    expect(python, 'a Python with torch and numpy (apt-get install python3-torch python3-numpy)').toBeTruthy();
    const run = spawnSync(python!, ['-m', 'training.train', '--limit', '1500', '--epochs', '1', '--batch-size', '64',
      '--version', '0-smoke', '--out-dir', outDir], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/MNIST test accuracy/);

    const pointer = JSON.parse(readFileSync(join(outDir, 'current.json'), 'utf8'));
    expect(pointer).toMatchObject({ name: 'digit-cnn', version: '0-smoke', file: 'digit-cnn-v0-smoke.onnx' });
    const { card } = readCard(undefined, outDir);
    expect(card).toMatchObject({ version: '0-smoke', training: { epochs: 1, trainingImages: 1500 } });
    expect(card.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(card.parameters).toBeGreaterThan(10_000);

    const classifier = await loadClassifier(card, outDir);
    try {
      const reference = (card.referenceOutputs as { probabilities: number[][] }).probabilities;
      const test = loadMnist('t10k');
      for (const [i, expected] of reference.entries()) {
        const { probabilities, digit, confidence } = await classifier.classify(mnistPixels(test, i));
        expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
        expect(confidence).toBe(Math.max(...probabilities));
        expect(digit).toBe(probabilities.indexOf(confidence));
        for (let d = 0; d < 10; d++) expect(Math.abs(probabilities[d]! - expected[d]!)).toBeLessThanOrEqual(1e-4);
      }
    } finally {
      await classifier.release();
    }
  });
});
