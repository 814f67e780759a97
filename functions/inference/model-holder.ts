// Holds the classifier currently in use and keeps it on the version the database calls current: every
// replica checks (Node: a poller; a Worker: per isolate, every few seconds) and loads a new version's
// bytes only when the version changed. Publishing and rollback go through here too, so a version is
// loaded in ONNX Runtime Web, and refused if it does not load, before any replica is told to serve it.
import { ModelRejectedError } from './model-check.ts';
import { createOnnxClassifier, type Classifier, type ModelInfo, type OrtWasmOptions } from './onnx-classifier.ts';
import type { ModelRegistry, ModelVersion, StoredModel } from '../store/model-registry.ts';

export interface ModelFile extends ModelInfo {
  bytes: Uint8Array;
}

/** Versions in the database, for the admin endpoints. */
export interface ModelVersions {
  list(): Promise<ModelVersion[]>;
  /** Checks `model` (its card by the caller, its loading here), adds it as current and serves it. */
  publish(model: StoredModel): Promise<ModelInfo>;
  /** Makes a published version current and serves it (rollback, promotion); null for an unknown version. */
  setCurrent(version: string): Promise<ModelInfo | null>;
}

export interface ModelHolder {
  /** The loaded classifier, or undefined before the first load succeeded. */
  current(): Classifier | undefined;
  /** Serves the version that is current now (in the database, or the one file), loading it only if it changed. */
  reload(): Promise<ModelInfo>;
  /** Present when versions live in a database. */
  versions?: ModelVersions;
}

export interface DatabaseModels {
  registry: ModelRegistry;
  /** The version shipped with this process (model/ on Node, the bundled one in a Worker): seeds an empty database. */
  seed: () => Promise<StoredModel>;
  /**
   * Serve the seed when the database cannot be asked and nothing is loaded yet (a Worker isolate's first
   * request during an outage); the next check moves on to the current version. Off: the first load fails.
   */
  seedWhenUnreachable?: boolean;
}

/** Makes a classifier of a model's bytes: in process (the default), or on Node's inference threads. */
export type CreateClassifier = typeof createOnnxClassifier;

const sameModel = (a: ModelInfo | undefined, b: ModelInfo) => a?.name === b.name && a.version === b.version;

/**
 * From a database (`DatabaseModels`), or from `loadModel` alone: then every reload loads the file it
 * returns (a single process with no database of versions, and tests).
 */
export function createModelHolder(
  from: DatabaseModels | (() => Promise<ModelFile>),
  wasm: OrtWasmOptions = {},
  create: CreateClassifier = createOnnxClassifier,
): ModelHolder {
  let classifier: Classifier | undefined;

  // One change at a time (a check, a publish, a rollback), so an older version never replaces a newer one.
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const result = queue.then(work);
    queue = result.catch(() => undefined);
    return result;
  };

  const serve = (next: Classifier) => {
    const previous = classifier;
    classifier = next;
    // Release waits for the runs queued on it, so a swap never cuts off a request in flight.
    if (previous && previous !== next) void previous.release().catch(() => undefined);
    return next.model;
  };

  /** Loads `file` in ONNX Runtime Web and checks that it answers as the API needs: ten probabilities. */
  const load = async (file: ModelFile): Promise<Classifier> => {
    const loaded = await create(file.bytes, { name: file.name, version: file.version }, wasm);
    const { probabilities } = await loaded.classify(new Float32Array(28 * 28));
    if (probabilities.length !== 10) {
      await loaded.release();
      throw new Error(`the model gives ${probabilities.length} probabilities, not 10`);
    }
    return loaded;
  };

  if (typeof from === 'function') {
    let loading: Promise<ModelInfo> | undefined;
    return {
      current: () => classifier,
      reload: () => (loading ??= exclusive(async () => serve(await load(await from()))).finally(() => (loading = undefined))),
    };
  }

  const loadOrReject = (file: ModelFile) =>
    load(file).catch((error: unknown) => {
      throw new ModelRejectedError(`ONNX Runtime Web cannot run it: ${error instanceof Error ? error.message : String(error)}`);
    });

  const { registry, seed } = from;
  const loadVersion = async (version: string) => {
    const stored = await registry.get(version);
    if (!stored) throw new Error(`model version ${version} is current but not in the database`);
    return load(stored);
  };

  const check = async (): Promise<ModelInfo> => {
    let now: ModelInfo | null;
    try {
      now = await registry.current();
      if (!now) {
        await registry.seed(await seed());
        now = await registry.current();
      }
    } catch (error) {
      if (classifier || !from.seedWhenUnreachable) throw error;
      return serve(await load(await seed()));
    }
    if (!now) throw new Error('the database names no current model version');
    if (classifier && sameModel(classifier.model, now)) return classifier.model;
    return serve(await loadVersion(now.version));
  };

  let checking: Promise<ModelInfo> | undefined;
  return {
    current: () => classifier,
    // Concurrent checks share one.
    reload: () => (checking ??= exclusive(check).finally(() => (checking = undefined))),
    versions: {
      list: () => registry.list(),
      publish: (model) =>
        exclusive(async () => {
          const loaded = await loadOrReject(model);
          try {
            await registry.publish(model);
          } catch (error) {
            await loaded.release();
            throw error;
          }
          return serve(loaded);
        }),
      setCurrent: (version) =>
        exclusive(async () => {
          const stored = await registry.get(version);
          if (!stored) return null;
          const loaded = classifier && sameModel(classifier.model, stored) ? classifier : await loadOrReject(stored);
          let moved = false;
          try {
            moved = await registry.setCurrent(version);
          } finally {
            if (!moved && loaded !== classifier) await loaded.release();
          }
          return moved ? serve(loaded) : null;
        }),
    },
  };
}

/**
 * Checks every `intervalMs` whether the current version changed (Node: MODEL_POLL_SECONDS). A failed
 * check keeps the version in service and is logged once until checks succeed again. Returns the stop.
 */
export function pollModels(models: ModelHolder, intervalMs: number, log: (line: string) => void): () => void {
  let failing = false;
  const timer = setInterval(() => {
    const before = models.current()?.model.version ?? 'none';
    models.reload().then(
      (model) => {
        if (failing) log('model check: the database answers again');
        failing = false;
        if (model.version !== before) log(`model ${model.name} v${model.version} now served (was v${before})`);
      },
      (error: unknown) => {
        if (!failing) log(`model check failed, v${before} stays in service: ${error instanceof Error ? error.message : String(error)}`);
        failing = true;
      },
    );
  }, intervalMs);
  // A pending check never keeps the process alive.
  (timer as { unref?: () => void }).unref?.();
  return () => clearInterval(timer);
}
