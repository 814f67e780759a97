// The model in a Worker: the version model/current.json named at build time, bundled as a data module,
// run by ORT on its precompiled wasm. Loaded once per isolate, on the first request.
import { createModelHolder } from '../inference/model-holder.ts';
import { model, modelBytes, ortWasm } from './bundled.generated.js';

export const models = createModelHolder(
  async () => ({ name: model.name, version: model.version, bytes: new Uint8Array(modelBytes) }),
  { wasmModule: ortWasm },
);

let loading: Promise<void> | undefined;

/** Resolves once the model is loaded, or has failed to load (then /api/ready answers 503 and the next request tries again). */
export function modelLoaded(): Promise<void> {
  loading ??= models.reload().then(
    () => undefined,
    (error: unknown) => {
      loading = undefined;
      console.log(`model ${model.name} v${model.version} failed to load: ${error instanceof Error ? error.message : error}`);
    },
  );
  return loading;
}
