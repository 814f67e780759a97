// The committed model, checked the way the server runs it (ONNX Runtime Web, WASM).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Classifier } from '../functions/inference/onnx-classifier.ts';
import { ensureDrawnDigits } from '../training/drawn-digits.ts';
import { evaluateDrawn, evaluateMnist, loadClassifier, MODEL_DIR, readCard, type ModelCard } from '../training/evaluate.ts';
import { loadMnist, mnistPixels } from '../training/mnist.ts';

let card: ModelCard;
let classifier: Classifier;

beforeAll(async () => {
  card = readCard().card;
  classifier = await loadClassifier(card);
});
afterAll(() => classifier?.release());

describe('the committed model', () => {
  it('is the file its card describes', () => {
    const bytes = readFileSync(join(MODEL_DIR, card.file));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(card.sha256);
    expect(bytes.length).toBe(card.bytes);
  });

  it('computes what PyTorch computed, within 1e-4', async () => {
    const reference = card.referenceOutputs as { probabilities: number[][] };
    const test = loadMnist('t10k');
    for (const [i, expected] of reference.probabilities.entries()) {
      const { probabilities } = await classifier.classify(mnistPixels(test, i));
      for (let d = 0; d < 10; d++) expect(Math.abs(probabilities[d]! - expected[d]!)).toBeLessThanOrEqual(1e-4);
    }
  });

  it('reaches at least 99.5% on the 10,000 MNIST test images', { timeout: 300_000 }, async () => {
    const result = await evaluateMnist(classifier);
    expect(result.count).toBe(10_000);
    expect(result.accuracy).toBeGreaterThanOrEqual(0.995);
  });

  it('recognises the drawn-digit set through the full PNG pipeline', { timeout: 300_000 }, async (ctx) => {
    const dir = ensureDrawnDigits();
    if (!dir) {
      if (process.env.CI) throw new Error('CI must be able to generate the drawn-digit set (python3-numpy, python3-pil)');
      ctx.skip();
      return;
    }
    const result = await evaluateDrawn(classifier, dir);
    expect(result.count).toBe(1000);
    expect(result.accuracy).toBeGreaterThanOrEqual(0.97);
    // Temperature scaling makes the confidence a probability: off by at most 3 points on average.
    expect(result.ece).toBeLessThan(0.03);
    // The card records the same figure, so what the README quotes is what the model does.
    const recorded = (card.evaluation.drawnDigits as { accuracy: number } | undefined)?.accuracy;
    expect(recorded).toBeCloseTo(result.accuracy, 6);
  });
});
