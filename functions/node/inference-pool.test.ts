// The model on inference threads answers exactly as in process, concurrent runs included, and a release
// lets the runs in flight finish before the threads stop.
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sevenPixels } from '../testing/fixtures.ts';
import { createOnnxClassifier, type Classifier } from '../inference/onnx-classifier.ts';
import { createInferencePool, inferenceThreadsFromEnv } from './inference-pool.ts';
import { loadModelFromDir } from './model-files.ts';
import { nodeOrtWasm } from './ort-wasm.ts';

const seven = Float32Array.from(sevenPixels());
const file = await loadModelFromDir(fileURLToPath(new URL('../../model', import.meta.url)));
const model = { name: file.name, version: file.version };

describe('inference pool', () => {
  let inProcess: Classifier;
  let pooled: Classifier;
  beforeAll(async () => {
    inProcess = await createOnnxClassifier(file.bytes, model, await nodeOrtWasm());
    pooled = await createInferencePool(2)(file.bytes, model);
  });
  afterAll(async () => {
    await Promise.all([inProcess.release(), pooled.release()]);
  });

  it('answers what the model answers in process, for concurrent runs too', async () => {
    const expected = await inProcess.classify(seven);
    expect(pooled.model).toEqual(model);
    const inputs = Array.from({ length: 16 }, (_, i) => (i % 2 ? seven : new Float32Array(784)));
    const answers = await Promise.all(inputs.map((pixels) => pooled.classify(pixels)));
    expect(answers.filter((_, i) => i % 2)).toEqual(Array(8).fill(expected));
    expect(answers[0]).toEqual(await inProcess.classify(new Float32Array(784)));
  });

  it('takes a view of a larger buffer and leaves the caller its pixels', async () => {
    const buffer = new Float32Array(784 * 2);
    buffer.set(seven, 784);
    const view = buffer.subarray(784);
    expect(await pooled.classify(view)).toEqual(await inProcess.classify(seven));
    expect(Array.from(view)).toEqual(Array.from(seven));
  });

  it('reads INFERENCE_THREADS: a number of threads, one a core but one when unset, 0 for the event loop', () => {
    expect(['0', '1', '3'].map(inferenceThreadsFromEnv)).toEqual([0, 1, 3]);
    expect(inferenceThreadsFromEnv(undefined)).toBe(Math.max(1, availableParallelism() - 1));
    for (const bad of ['-1', '1.5', 'two']) expect(() => inferenceThreadsFromEnv(bad)).toThrow(/INFERENCE_THREADS/);
  });

  it('refuses anything but 784 pixels', async () => {
    await expect(pooled.classify(new Float32Array(10))).rejects.toThrow(RangeError);
  });

  it('fails to load what ONNX Runtime cannot run, with its reason', async () => {
    await expect(createInferencePool(2)(new Uint8Array([1, 2, 3]), model)).rejects.toThrow(/protobuf|model|parse/i);
  });

  it('finishes the runs in flight on release, then refuses new ones', async () => {
    const expected = await inProcess.classify(seven);
    const own = await createInferencePool(1)(file.bytes, model);
    const runs = Array.from({ length: 8 }, () => own.classify(seven));
    await own.release();
    expect(await Promise.all(runs)).toEqual(Array(8).fill(expected));
    await expect(own.classify(seven)).rejects.toThrow(/released/);
  });
});
