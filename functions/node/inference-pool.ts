// The model on worker threads, each with its own single-threaded WASM session, so that the event loop
// keeps reading requests, writing answers and talking to the database while models run. A classifier
// of the pool is the same `Classifier` as one in process: each model version loaded gets its threads,
// and releasing it stops them once their runs are done. A run goes to the thread with the fewest in
// flight; a thread that dies fails only its own runs and is replaced.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Classification, Classifier, ModelInfo } from '../inference/onnx-classifier.ts';
import type { InferenceJob, InferenceReply, InferenceStart } from './inference-worker.ts';

/** A thread for each core but one, which the event loop keeps; at least one. */
export const threadsForCores = () => Math.max(1, availableParallelism() - 1);

/**
 * INFERENCE_THREADS: N threads run the model (default one a core but one, at least one); 0 runs it on the
 * event loop, which answered single requests about as fast (docs/benchmarks.md).
 */
export function inferenceThreadsFromEnv(value: string | undefined): number {
  if (value === undefined || value === '') return threadsForCores();
  if (value === '0') return 0;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`INFERENCE_THREADS must be 0 or a whole number of threads, got ${value}`);
  return n;
}

// From source the thread needs tsx; the bundled server (Docker) has a bundled entry beside it.
const ENTRY = import.meta.url.endsWith('.ts')
  ? new URL('./inference-worker.mjs', import.meta.url)
  : new URL('./inference-worker.bundle.mjs', import.meta.url);

const PIXELS = 28 * 28;

interface Run {
  resolve(result: Classification): void;
  reject(error: Error): void;
}

interface Thread {
  worker: Worker;
  runs: Map<number, Run>;
}

/** Starts one thread on the model; resolves once its session is loaded and warmed up. */
function startThread(start: InferenceStart, onExit: (thread: Thread, error: Error) => void): Promise<Thread> {
  const thread: Thread = { worker: new Worker(ENTRY, { workerData: start }), runs: new Map() };
  thread.worker.unref(); // the pool never keeps the process alive
  return new Promise((resolve, reject) => {
    let loaded = false;
    thread.worker.on('message', (reply: InferenceReply) => {
      if ('loaded' in reply) return ((loaded = true), resolve(thread));
      if ('loadFailed' in reply) return reject(new Error(reply.loadFailed));
      const run = thread.runs.get(reply.id);
      thread.runs.delete(reply.id);
      if ('result' in reply) run?.resolve(reply.result);
      else run?.reject(new Error(`inference failed: ${reply.failed}`));
    });
    // 'error' is followed by 'exit'.
    thread.worker.on('error', (error) => (loaded ? onExit(thread, error) : reject(error)));
    thread.worker.on('exit', (code) => loaded && onExit(thread, new Error(`the inference thread exited (${code})`)));
  });
}

/** Loads models onto `threads` threads each: what createModelHolder takes in place of the in-process classifier. */
export function createInferencePool(threads = threadsForCores()) {
  return async (bytes: Uint8Array, model: ModelInfo): Promise<Classifier> => {
    const start: InferenceStart = { bytes, model };
    let released = false;
    const alive: Thread[] = [];
    let nextId = 0;

    const onExit = (thread: Thread, error: Error) => {
      const at = alive.indexOf(thread);
      if (at < 0) return;
      alive.splice(at, 1);
      for (const run of thread.runs.values()) run.reject(error);
      if (!released) void startThread(start, onExit).then((fresh) => (released ? void fresh.worker.terminate() : alive.push(fresh)), () => undefined);
    };
    // A model that does not load on one thread loads on none: the others are stopped and the error stands.
    const started = await Promise.allSettled(Array.from({ length: threads }, () => startThread(start, onExit)));
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) {
      released = true;
      await Promise.all(started.map((s) => s.status === 'fulfilled' && s.value.worker.terminate()));
      throw failed.reason;
    }
    alive.push(...started.map((s) => (s as PromiseFulfilledResult<Thread>).value));

    const inFlight = new Set<Promise<unknown>>();
    const classify = (pixels: Float32Array): Promise<Classification> => {
      if (pixels.length !== PIXELS) return Promise.reject(new RangeError(`expected ${PIXELS} pixels, got ${pixels.length}`));
      if (released || !alive.length) return Promise.reject(new Error(released ? 'the classifier is released' : 'no inference thread is running'));
      const thread = alive.reduce((a, b) => (b.runs.size < a.runs.size ? b : a));
      const id = nextId++;
      const result = new Promise<Classification>((resolve, reject) => thread.runs.set(id, { resolve, reject }));
      inFlight.add(result);
      void result.catch(() => undefined).finally(() => inFlight.delete(result));
      // A copy of its own moves to the thread (the caller's array may be a view of a larger buffer).
      const own = new Float32Array(pixels);
      thread.worker.postMessage({ id, pixels: own } satisfies InferenceJob, [own.buffer]);
      return result;
    };

    // Release waits for the runs in flight, so a reload never cuts off a request.
    const release = async () => {
      released = true;
      await Promise.allSettled([...inFlight]);
      await Promise.all(alive.splice(0).map((t) => t.worker.terminate()));
    };
    return { model, classify, release };
  };
}
