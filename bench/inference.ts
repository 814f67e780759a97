// Inference alone, no HTTP: onnxruntime-web (WASM, one thread, no proxy, as functions/inference runs it)
// against onnxruntime-node (native) on the same model file, at batch 1 and 64. Native runs once with
// one intra-op thread (the fair comparison) and once with its default threads (the ceiling).
import { createRequire } from 'node:module';
import { createOnnxClassifier } from '../functions/inference/onnx-classifier.ts';
import { loadModelFromDir } from '../functions/node/model-files.ts';
import { nodeOrtWasm } from '../functions/node/ort-wasm.ts';
import { median, timeLoop } from './stats.ts';

export const BATCHES: readonly number[] = [1, 64];

export interface InferenceRow {
  runtime: 'wasm' | 'native-1-thread' | 'native-default-threads' | 'wasm-classifier';
  batch: number;
  /** Median over rounds of the mean milliseconds per run. */
  msPerRun: number;
  msPerImage: number;
  rounds: number[];
}

interface Runner {
  runtime: InferenceRow['runtime'];
  batches: readonly number[];
  run(batch: number): Promise<unknown>;
  release(): Promise<void>;
}

/** onnxruntime-node is a devDependency installed without its CUDA download; its CPU binding must load. */
export async function loadNative() {
  try {
    return await import('onnxruntime-node');
  } catch (error) {
    const dir = createRequire(import.meta.url).resolve('onnxruntime-node').replace(/dist\/index\.js$/, 'bin/napi-v6/linux/x64');
    throw new Error(`onnxruntime-node does not load (is ${dir}/onnxruntime_binding.node there?): ${(error as Error).message}`);
  }
}

async function runners(modelDir: string): Promise<Runner[]> {
  const file = await loadModelFromDir(modelDir);
  const wasm = await import('onnxruntime-web/wasm');
  const native = await loadNative();
  // The same settings createOnnxClassifier gives ORT (it configures the shared ort.env once).
  const classifier = await createOnnxClassifier(file.bytes, file, await nodeOrtWasm());
  const wasmSession = await wasm.InferenceSession.create(file.bytes, { graphOptimizationLevel: 'all' });
  const native1 = await native.InferenceSession.create(file.bytes, { graphOptimizationLevel: 'all', intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential' });
  const nativeN = await native.InferenceSession.create(file.bytes, { graphOptimizationLevel: 'all' });
  // Inputs made once: what is timed is the run, as the server reuses its input tensor.
  const inputs = (Tensor: typeof wasm.Tensor | typeof native.Tensor) =>
    new Map(BATCHES.map((b) => [b, new Tensor('float32', new Float32Array(b * 784).fill(0.5), [b, 1, 28, 28])]));
  const wasmInputs = inputs(wasm.Tensor);
  const nativeInputs = inputs(native.Tensor);
  const pixels = new Float32Array(784).fill(0.5);
  return [
    { runtime: 'wasm', batches: BATCHES, run: (b) => wasmSession.run({ pixels: wasmInputs.get(b)! }, ['probabilities']), release: () => wasmSession.release() },
    { runtime: 'wasm-classifier', batches: [1], run: () => classifier.classify(pixels), release: () => classifier.release() },
    { runtime: 'native-1-thread', batches: BATCHES, run: (b) => native1.run({ pixels: nativeInputs.get(b)! }, ['probabilities']), release: () => native1.release() },
    { runtime: 'native-default-threads', batches: BATCHES, run: (b) => nativeN.run({ pixels: nativeInputs.get(b)! }, ['probabilities']), release: () => nativeN.release() },
  ];
}

export async function benchInference(options: { modelDir: string; rounds: number; msPerMeasure: number }): Promise<InferenceRow[]> {
  const all = await runners(options.modelDir);
  const rounds = new Map<string, number[]>();
  try {
    // Warm-up: V8 tiers ORT's wasm up to optimised code only after it has run a while.
    for (const r of all) for (const b of r.batches) await timeLoop(() => r.run(b), options.msPerMeasure);
    for (let round = 0; round < options.rounds; round++) {
      for (const r of all) {
        for (const b of r.batches) {
          const key = `${r.runtime}/${b}`;
          rounds.set(key, [...(rounds.get(key) ?? []), await timeLoop(() => r.run(b), options.msPerMeasure)]);
        }
      }
    }
  } finally {
    for (const r of all) await r.release();
  }
  return all.flatMap((r) =>
    r.batches.map((batch) => {
      const xs = rounds.get(`${r.runtime}/${batch}`)!;
      const msPerRun = median(xs);
      return { runtime: r.runtime, batch, msPerRun, msPerImage: msPerRun / batch, rounds: xs };
    }),
  );
}
