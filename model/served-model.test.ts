// The committed model, checked the way the server runs it (ONNX Runtime Web, WASM).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Classifier } from '../functions/inference/onnx-classifier.ts';
import { DRAWN_DIGITS, ensureSet, type EvaluationSet, HELD_OUT_WRITERS } from '../training/evaluation-sets.ts';
import { evaluateDrawn, evaluateMnist, evaluateWriters, loadClassifier, MODEL_DIR, readCard, type ModelCard } from '../training/evaluate.ts';
import { loadMnist, mnistPixels } from '../training/mnist.ts';

/** The set's folder, drawn first if needed; where no Python can draw it the test is skipped, but never in CI. */
function drawnOrSkip(set: EvaluationSet, ctx: { skip(): void }): string | null {
  const dir = ensureSet(set);
  if (dir) return dir;
  if (process.env.CI) throw new Error(`CI must be able to draw ${set.module}'s set (python3-numpy, python3-pil)`);
  ctx.skip();
  return null;
}

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

  it('reaches at least 99.5% on the 10,000 MNIST test images, and calls at most 1% of them not a digit', { timeout: 300_000 }, async () => {
    const result = await evaluateMnist(classifier);
    expect(result.count).toBe(10_000);
    expect(result.accuracy).toBeGreaterThanOrEqual(0.995);
    expect(result.notDigit).toBeLessThanOrEqual(0.01);
  });

  it('recognises the drawn-digit set through the full PNG pipeline', { timeout: 300_000 }, async (ctx) => {
    const dir = drawnOrSkip(DRAWN_DIGITS, ctx);
    if (!dir) return;
    const result = await evaluateDrawn(classifier, dir);
    expect(result.count).toBe(1000);
    expect(result.accuracy).toBeGreaterThanOrEqual(0.975);
    // Temperature scaling makes the confidence a probability: off by at most 3 points on average.
    expect(result.ece).toBeLessThan(0.03);
    // The card records the same figure, so what the README quotes is what the model does.
    const recorded = (card.evaluation.drawnDigits as { accuracy: number } | undefined)?.accuracy;
    expect(recorded).toBeCloseTo(result.accuracy, 6);
  });

  it('reads real pen-drawn digits of writers it never trained on, and refuses their letters', { timeout: 600_000 }, async (ctx) => {
    const dir = drawnOrSkip(HELD_OUT_WRITERS, ctx);
    if (!dir) return;
    const result = await evaluateWriters(classifier, dir);
    expect(result.count).toBeGreaterThan(2000);
    expect(result.accuracy).toBeGreaterThanOrEqual(0.97);
    expect(result.ece).toBeLessThanOrEqual(0.02);
    expect(result.digitsRefused).toBeLessThanOrEqual(0.01);
    expect(result.letters.count).toBeGreaterThan(5000);
    expect(result.letters.refused).toBeGreaterThanOrEqual(0.9);
    const recorded = card.evaluation.heldOutWriters as { accuracy: number; letters: { refused: number } } | undefined;
    expect(recorded?.accuracy).toBeCloseTo(result.accuracy, 6);
    expect(recorded?.letters.refused).toBeCloseTo(result.letters.refused, 6);
  });
});
