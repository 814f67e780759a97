// Holds the classifier currently in use, and swaps it when an admin asks for a reload after retraining.
import { createOnnxClassifier, type Classifier, type ModelInfo, type OrtWasmOptions } from './onnx-classifier.ts';

export interface ModelFile extends ModelInfo {
  bytes: Uint8Array;
}

export interface ModelHolder {
  /** The loaded classifier, or undefined before the first load succeeded. */
  current(): Classifier | undefined;
  /** Loads the model the runtime adapter currently points at (model/current.json in Node). */
  reload(): Promise<ModelInfo>;
}

export function createModelHolder(loadModel: () => Promise<ModelFile>, wasm: OrtWasmOptions = {}): ModelHolder {
  let classifier: Classifier | undefined;
  let loading: Promise<ModelInfo> | undefined;
  return {
    current: () => classifier,
    reload() {
      // Concurrent reloads share one load.
      loading ??= (async () => {
        try {
          const file = await loadModel();
          const next = await createOnnxClassifier(file.bytes, { name: file.name, version: file.version }, wasm);
          const previous = classifier;
          classifier = next;
          if (previous) void previous.release().catch(() => undefined);
          return next.model;
        } finally {
          loading = undefined;
        }
      })();
      return loading;
    },
  };
}
