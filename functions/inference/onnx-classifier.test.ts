// The real model through onnxruntime-web's WASM backend.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelHolder } from './model-holder.ts';
import { sevenPixels } from '../testing/fixtures.ts';
import { loadTestModels } from '../testing/test-deps.ts';

describe('ONNX classifier', () => {
  let models: ModelHolder;
  beforeAll(async () => {
    models = await loadTestModels();
  });

  it('answers a probability distribution whose largest entry is the digit', async () => {
    const r = await models.current()!.classify(Float32Array.from(sevenPixels()));
    expect(r.probabilities).toHaveLength(10);
    expect(r.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(r.confidence).toBe(r.probabilities[r.digit]);
    expect(Math.max(...r.probabilities)).toBe(r.confidence);
  });

  it('keeps concurrent requests apart although they share one input buffer', async () => {
    const classifier = models.current()!;
    const seven = Float32Array.from(sevenPixels());
    const shifted = new Float32Array(784);
    shifted.set(seven.subarray(56), 0); // the same drawing two rows higher: different probabilities
    const alone = [await classifier.classify(seven), await classifier.classify(shifted)];
    const together = await Promise.all([seven, shifted, seven, shifted].map((p) => classifier.classify(p)));
    expect(alone[0]!.probabilities).not.toEqual(alone[1]!.probabilities);
    expect(together).toEqual([alone[0], alone[1], alone[0], alone[1]]);
  });

  it('refuses input that is not 28x28', async () => {
    expect(() => models.current()!.classify(new Float32Array(783))).toThrow(RangeError);
  });

  it('reloads into a new session and keeps answering', async () => {
    const before = models.current();
    const info = await models.reload();
    expect(models.current()).not.toBe(before);
    expect(models.current()!.model).toEqual(info);
    expect((await models.current()!.classify(Float32Array.from(sevenPixels()))).probabilities).toHaveLength(10);
  });
});
