// Inference alone, no HTTP: onnxruntime-web (WASM, one thread, no proxy, as functions/inference runs it)
// against onnxruntime-node (native) on the same model file, at batch 1 and 64. Every model version in
// the model folder runs in WASM in the same rounds, so versions compare like for like (v1 against v2);
// the served one also runs through the server's classifier and natively. Native runs once with
// one intra-op thread (the fair comparison) and once with its default threads (the ceiling).
// A bare MatMul (bench/matmul-model.ts) runs in the same rounds: the runtimes' own arithmetic ceiling.
// The native reference is optional, installed apart from the app (`npm run bench:native`): without it
// only WASM is timed, and the bench says so.
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createOnnxClassifier } from '../functions/inference/onnx-classifier.ts';
import type { ModelFile } from '../functions/inference/model-holder.ts';
import { loadModelFromDir } from '../functions/node/model-files.ts';
import { nodeOrtWasm } from '../functions/node/ort-wasm.ts';
import { MODEL_INPUT_SIZE } from '../model/input-contract.ts';
import { MATMUL_SIZE, matmulMacs, matmulModel } from './matmul-model.ts';
import { median, timeLoop } from './stats.ts';

const PIXELS = MODEL_INPUT_SIZE * MODEL_INPUT_SIZE;

export const BATCHES: readonly number[] = [1, 64];

export const MATMUL = `matmul-${MATMUL_SIZE}` as const;

export interface InferenceRow {
  /** `digit-cnn-v2` and the like (see modelLabel), or the bare MatMul. */
  model: string;
  runtime: 'wasm' | 'native-1-thread' | 'native-default-threads' | 'wasm-classifier';
  batch: number;
  /** Median over rounds of the mean milliseconds per run. */
  msPerRun: number;
  msPerImage: number;
  /** Arithmetic throughput, for the MatMul (whose multiply-accumulates are known exactly). */
  gmacPerS?: number;
  rounds: number[];
}

interface Runner {
  model: InferenceRow['model'];
  runtime: InferenceRow['runtime'];
  batches: readonly number[];
  run(batch: number): Promise<unknown>;
  release(): Promise<void>;
}

/** What the bench uses of a runtime: onnxruntime-common's API, which onnxruntime-web and -node both export. */
export type Runtime = Pick<typeof import('onnxruntime-web/wasm'), 'InferenceSession' | 'Tensor'>;

export const NATIVE_MISSING = 'onnxruntime-node is not installed: `npm run bench:native` installs it into bench/node_modules';

/**
 * onnxruntime-node from bench/node_modules (bench/package.json, installed without its install script,
 * which would download GPU libraries; its CPU binding is in the package), or why there is none.
 * Installed but failing to load is an error, not an absence.
 */
export function loadNative(): { runtime: Runtime } | { missing: string } {
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    entry = require.resolve('onnxruntime-node');
  } catch {
    return { missing: NATIVE_MISSING };
  }
  try {
    return { runtime: require(entry) as Runtime };
  } catch (error) {
    throw new Error(`onnxruntime-node (${entry}) is installed but does not load: ${(error as Error).message}`);
  }
}

// One intra-op thread and no inter-op pool: native on the single core the WASM build uses.
const NATIVE_ONE_THREAD = { graphOptimizationLevel: 'all', intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential' } as const;

export const modelLabel = (model: { name: string; version: string }) => `${model.name}-v${model.version}`;

/** The model versions beside the served one: each card in the folder names its .onnx file. */
async function otherVersions(modelDir: string, served: string): Promise<{ label: string; bytes: Uint8Array }[]> {
  const cards = (await readdir(modelDir)).filter((f) => f.endsWith('.card.json')).sort();
  const versions = await Promise.all(cards.map(async (f) => JSON.parse(await readFile(path.join(modelDir, f), 'utf8')) as { name: string; version: string; file: string }));
  return Promise.all(versions.filter((v) => modelLabel(v) !== served)
    .map(async (v) => ({ label: modelLabel(v), bytes: new Uint8Array(await readFile(path.join(modelDir, v.file))) })));
}

async function runners(modelDir: string, file: ModelFile, native: Runtime | undefined): Promise<Runner[]> {
  const served = modelLabel(file);
  const wasm = await import('onnxruntime-web/wasm');
  // The same settings createOnnxClassifier gives ORT (it configures the shared ort.env once).
  const classifier = await createOnnxClassifier(file.bytes, file, await nodeOrtWasm());
  const wasmSession = await wasm.InferenceSession.create(file.bytes, { graphOptimizationLevel: 'all' });
  // Inputs made once: what is timed is the run, as the server reuses its input tensor.
  const inputs = (ort: Runtime) => new Map(BATCHES.map((b) => [b, new ort.Tensor('float32', new Float32Array(b * PIXELS).fill(0.5), [b, 1, MODEL_INPUT_SIZE, MODEL_INPUT_SIZE])]));
  const wasmInputs = inputs(wasm);
  const pixels = new Float32Array(PIXELS).fill(0.5);
  const cnn = (runtime: Runner['runtime'], batches: readonly number[], run: Runner['run'], release: Runner['release'], model = served): Runner =>
    ({ model, runtime, batches, run, release });
  const all = [
    cnn('wasm', BATCHES, (b) => wasmSession.run({ pixels: wasmInputs.get(b)! }, ['probabilities']), () => wasmSession.release()),
    cnn('wasm-classifier', [1], () => classifier.classify(pixels), () => classifier.release()),
  ];
  for (const other of await otherVersions(modelDir, served)) {
    const session = await wasm.InferenceSession.create(other.bytes, { graphOptimizationLevel: 'all' });
    all.push(cnn('wasm', BATCHES, (b) => session.run({ pixels: wasmInputs.get(b)! }, ['probabilities']), () => session.release(), other.label));
  }
  if (native) {
    const native1 = await native.InferenceSession.create(file.bytes, NATIVE_ONE_THREAD);
    const nativeN = await native.InferenceSession.create(file.bytes, { graphOptimizationLevel: 'all' });
    const nativeInputs = inputs(native);
    all.push(
      cnn('native-1-thread', BATCHES, (b) => native1.run({ pixels: nativeInputs.get(b)! }, ['probabilities']), () => native1.release()),
      cnn('native-default-threads', BATCHES, (b) => nativeN.run({ pixels: nativeInputs.get(b)! }, ['probabilities']), () => nativeN.release()),
    );
  }
  return [...all, ...(await matmulRunners(wasm, native))];
}

/** The bare MatMul in WASM and, where installed, natively on one thread. */
async function matmulRunners(wasm: Runtime, native: Runtime | undefined): Promise<Runner[]> {
  const bytes = matmulModel();
  const values = new Float32Array(MATMUL_SIZE * MATMUL_SIZE).fill(0.5);
  const dims = [MATMUL_SIZE, MATMUL_SIZE];
  const runner = async (ort: Runtime, runtime: Runner['runtime'], options: Parameters<Runtime['InferenceSession']['create']>[1]): Promise<Runner> => {
    const session = await ort.InferenceSession.create(bytes, options);
    const input = { a: new ort.Tensor('float32', values, dims), b: new ort.Tensor('float32', values, dims) };
    return { model: MATMUL, runtime, batches: [1], run: () => session.run(input), release: () => session.release() };
  };
  return [
    await runner(wasm, 'wasm', { graphOptimizationLevel: 'all' }),
    ...(native ? [await runner(native, 'native-1-thread', NATIVE_ONE_THREAD)] : []),
  ];
}

/** The rows, WASM and, where onnxruntime-node is installed, native; else `nativeMissing` says why not. */
export async function benchInference(options: { modelDir: string; rounds: number; msPerMeasure: number }): Promise<{ rows: InferenceRow[]; served: string; nativeMissing?: string }> {
  const loaded = loadNative();
  const file = await loadModelFromDir(options.modelDir);
  const all = await runners(options.modelDir, file, 'runtime' in loaded ? loaded.runtime : undefined);
  const rounds = new Map<string, number[]>();
  try {
    // Warm-up: V8 tiers ORT's wasm up to optimised code only after it has run a while.
    for (const r of all) for (const b of r.batches) await timeLoop(() => r.run(b), options.msPerMeasure);
    for (let round = 0; round < options.rounds; round++) {
      for (const r of all) {
        for (const b of r.batches) {
          const key = `${r.model}/${r.runtime}/${b}`;
          rounds.set(key, [...(rounds.get(key) ?? []), await timeLoop(() => r.run(b), options.msPerMeasure)]);
        }
      }
    }
  } finally {
    for (const r of all) await r.release();
  }
  const rows = all.flatMap((r) =>
    r.batches.map((batch) => {
      const xs = rounds.get(`${r.model}/${r.runtime}/${batch}`)!;
      const msPerRun = median(xs);
      const gmacPerS = r.model === MATMUL ? matmulMacs(MATMUL_SIZE) / msPerRun / 1e6 : undefined;
      return { model: r.model, runtime: r.runtime, batch, msPerRun, msPerImage: msPerRun / batch, gmacPerS, rounds: xs };
    }),
  );
  return { rows, served: modelLabel(file), nativeMissing: 'missing' in loaded ? loaded.missing : undefined };
}
