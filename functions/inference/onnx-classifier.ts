// Runs the digit CNN with onnxruntime-web's WASM backend, the one build that works the same in Node
// and in Workers. One session per model, created once, warmed up, and run one request at a time.
import * as ort from 'onnxruntime-web/wasm';

export interface ModelInfo {
  name: string;
  version: string;
}

export interface Classification {
  digit: number;
  confidence: number;
  probabilities: number[];
}

export interface Classifier {
  readonly model: ModelInfo;
  /** `pixels`: 784 values in 0..1, row-major 28x28, white ink on black. */
  classify(pixels: Float32Array): Promise<Classification>;
  release(): Promise<void>;
}

/** Where the runtime finds ORT's .wasm: a URL/path prefix, or the binary itself. */
export interface OrtWasmOptions {
  wasmPaths?: ort.Env.WasmPrefixOrFilePaths;
  wasmBinary?: ArrayBufferLike | Uint8Array;
}

let configured = false;
function configureOrt(options: OrtWasmOptions): void {
  if (configured) return;
  // A single thread and no proxy worker: neither threads nor workers exist in a Worker isolate,
  // and for a model this small they would only add overhead.
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  if (options.wasmPaths) ort.env.wasm.wasmPaths = options.wasmPaths;
  if (options.wasmBinary) ort.env.wasm.wasmBinary = options.wasmBinary;
  configured = true;
}

const SIDE = 28;
const PIXELS = SIDE * SIDE;

export async function createOnnxClassifier(
  modelBytes: Uint8Array,
  model: ModelInfo,
  wasm: OrtWasmOptions = {},
): Promise<Classifier> {
  configureOrt(wasm);
  const session = await ort.InferenceSession.create(modelBytes, { graphOptimizationLevel: 'all' });
  // One input buffer for every request: runs are serialized below, so it is never shared.
  const input = new Float32Array(PIXELS);
  const tensor = new ort.Tensor('float32', input, [1, 1, SIDE, SIDE]);
  let queue: Promise<unknown> = Promise.resolve();

  const run = async (pixels: Float32Array): Promise<Classification> => {
    input.set(pixels);
    const outputs = await session.run({ pixels: tensor }, ['probabilities']);
    const probabilities = Array.from(outputs.probabilities!.data as Float32Array);
    let digit = 0;
    for (let d = 1; d < probabilities.length; d++) if (probabilities[d]! > probabilities[digit]!) digit = d;
    return { digit, confidence: probabilities[digit]!, probabilities };
  };

  const classify = (pixels: Float32Array): Promise<Classification> => {
    if (pixels.length !== PIXELS) throw new RangeError(`expected ${PIXELS} pixels, got ${pixels.length}`);
    const result = queue.then(() => run(pixels));
    queue = result.catch(() => undefined);
    return result;
  };

  // The first run allocates and initialises kernels; pay for it now rather than on a request.
  await classify(new Float32Array(PIXELS));
  // Release waits for queued runs, so a reload never cuts off a request in flight.
  const release = async () => {
    await queue;
    await session.release();
  };
  return { model, classify, release };
}
