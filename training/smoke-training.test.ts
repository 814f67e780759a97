// A short real training run (small subset, one epoch): export, card and pointer, loaded by the
// server's own ONNX Runtime Web classifier; then the same version quantized to int8.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadClassifier, readCard, type ModelCard } from './evaluate.ts';
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

    await expectReferenceOutputs(card);
  });

  it('quantizes that version to an int8 graph that ONNX Runtime Web runs as its card says, reading as the float one did', async () => {
    const run = spawnSync(python!, ['-m', 'training.quantize', '--from', '0-smoke', '--version', '0-smoke-int8',
      '--model-dir', outDir, '--calibration-images', '400', '--no-select', '--no-current'], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const float = readCard('0-smoke', outDir).card;
    const { card } = readCard('0-smoke-int8', outDir);
    expect(card).toMatchObject({ version: '0-smoke-int8', file: 'digit-cnn-v0-smoke-int8.onnx', quantization: { parent: '0-smoke' } });
    // int8 weights: well under half the float file.
    expect(card.bytes as number).toBeLessThan((float.bytes as number) / 2);
    await expectReferenceOutputs(card);

    const [floatModel, int8Model] = await Promise.all([loadClassifier(float, outDir), loadClassifier(card, outDir)]);
    try {
      const test = loadMnist('t10k');
      let differ = 0;
      for (let i = 0; i < 500; i++) {
        const pixels = mnistPixels(test, i);
        if ((await floatModel.classify(pixels)).digit !== (await int8Model.classify(pixels)).digit) differ++;
      }
      expect(differ).toBeLessThanOrEqual(5);
    } finally {
      await Promise.all([floatModel.release(), int8Model.release()]);
    }
  });
});

/** ONNX Runtime Web gives the card's reference outputs (what PyTorch computed) within 1e-4. */
async function expectReferenceOutputs(card: ModelCard): Promise<void> {
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
}
