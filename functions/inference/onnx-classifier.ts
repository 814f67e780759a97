// Runs the digit CNN with onnxruntime-web's WASM backend, the one build that works the same in Node
// and in Workers. One session per model, created once, warmed up, and run one request at a time.
import * as ort from 'onnxruntime-web/wasm';
import { MODEL_INPUT_SIZE } from '../../model/input-contract.ts';

export interface ModelInfo {
  name: string;
  version: string;
}

export interface Classification {
  digit: number;
  confidence: number;
  probabilities: number[];
  /** False when the model judges the drawing not a digit at all; `digit` is then only the nearest one. */
  isDigit: boolean;
}

export interface Classifier {
  readonly model: ModelInfo;
  /** `pixels`: 784 values in 0..1, row-major 28x28, white ink on black. */
  classify(pixels: Float32Array): Promise<Classification>;
  release(): Promise<void>;
}

/** Where the runtime finds ORT's .wasm: a URL/path prefix, the binary itself, or a module compiled ahead of time. */
export interface OrtWasmOptions {
  wasmPaths?: ort.Env.WasmPrefixOrFilePaths;
  wasmBinary?: ArrayBufferLike | Uint8Array;
  /**
   * ORT's wasm compiled by the platform (Cloudflare Workers: a CompiledWasm module import). Workers refuse
   * to compile WebAssembly from bytes at run time, so ORT must be handed this module instead.
   */
  wasmModule?: WebAssembly.Module;
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
  if (options.wasmModule) answerInstantiationWith(options.wasmModule);
  configured = true;
}

/**
 * ORT's emscripten loader has no way in for a compiled module: given `wasmBinary` it calls
 * `WebAssembly.instantiate(bytes, imports)`, and it looks for a fetchable URL from `import.meta.url`,
 * which is empty in Workers. So ORT gets an empty `wasmBinary` (that also selects its embedded loader,
 * single-threaded, with no file lookup), and `WebAssembly.instantiate` answers that one impossible
 * call, empty bytes, by instantiating the precompiled module. Every other call goes through unchanged.
 */
function answerInstantiationWith(module: WebAssembly.Module): void {
  ort.env.wasm.wasmBinary = new Uint8Array(0);
  const instantiate = WebAssembly.instantiate.bind(WebAssembly) as (
    source: BufferSource | WebAssembly.Module,
    imports?: WebAssembly.Imports,
  ) => Promise<unknown>;
  const isEmptyBytes = (source: unknown) =>
    (ArrayBuffer.isView(source) || source instanceof ArrayBuffer) && source.byteLength === 0;
  WebAssembly.instantiate = ((source: BufferSource | WebAssembly.Module, imports?: WebAssembly.Imports) =>
    isEmptyBytes(source)
      ? instantiate(module, imports).then((instance) => ({ instance, module }))
      : instantiate(source, imports)) as typeof WebAssembly.instantiate;
}

const SIDE = MODEL_INPUT_SIZE;
const PIXELS = SIDE * SIDE;

const yieldToEventLoop = (): Promise<void> =>
  new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

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

  // Models from v2 on also say whether the drawing is a digit at all (an `isDigit` output, its
  // threshold inside the graph); for an older model every drawing is one.
  const fetches = session.outputNames.includes('isDigit') ? ['probabilities', 'isDigit'] : ['probabilities'];
  const run = async (pixels: Float32Array): Promise<Classification> => {
    input.set(pixels);
    const outputs = await session.run({ pixels: tensor }, fetches);
    const probabilities = Array.from(outputs.probabilities!.data as Float32Array);
    let digit = 0;
    for (let d = 1; d < probabilities.length; d++) if (probabilities[d]! > probabilities[digit]!) digit = d;
    const isDigit = outputs.isDigit ? Boolean(outputs.isDigit.data[0]) : true;
    return { digit, confidence: probabilities[digit]!, probabilities, isDigit };
  };

  const classify = (pixels: Float32Array): Promise<Classification> => {
    if (pixels.length !== PIXELS) throw new RangeError(`expected ${PIXELS} pixels, got ${pixels.length}`);
    // A turn of the event loop between queued runs lets I/O (answers, inserts) through: under load,
    // back-to-back runs pushed p99 at 64 connections from 157 ms to over a second.
    const result = queue.then(yieldToEventLoop).then(() => run(pixels));
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
