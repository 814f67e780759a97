// One inference thread of node/inference-pool.ts: its own single-threaded WASM session of the model it
// was started with (inference/onnx-classifier.ts); pixels in, the classification out.
import { parentPort, workerData } from 'node:worker_threads';
import { createOnnxClassifier, type Classification, type ModelInfo } from '../inference/onnx-classifier.ts';
import { nodeOrtWasm } from './ort-wasm.ts';

export interface InferenceStart {
  bytes: Uint8Array;
  model: ModelInfo;
}
export interface InferenceJob {
  id: number;
  pixels: Float32Array;
}
export type InferenceReply = { loaded: true } | { loadFailed: string } | ({ id: number } & ({ result: Classification } | { failed: string }));

const message = (error: unknown) => (error instanceof Error ? (error.stack ?? error.message) : String(error));
const { bytes, model } = workerData as InferenceStart;

try {
  const classifier = await createOnnxClassifier(bytes, model, await nodeOrtWasm());
  parentPort!.on('message', ({ id, pixels }: InferenceJob) => {
    classifier.classify(pixels).then(
      (result) => parentPort!.postMessage({ id, result } satisfies InferenceReply),
      (error: unknown) => parentPort!.postMessage({ id, failed: message(error) } satisfies InferenceReply),
    );
  });
  parentPort!.postMessage({ loaded: true } satisfies InferenceReply);
} catch (error) {
  parentPort!.postMessage({ loadFailed: message(error) } satisfies InferenceReply);
}
