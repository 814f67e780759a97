// A few worker threads that decode uploads (decoding plus the input contract), so that however long the
// largest allowed image takes, the event loop keeps answering: health checks, other requests, SIGTERM.
// Jobs wait in order for a free thread; a thread that dies is replaced and fails only its own job.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ModelInput } from '../../model/input-contract.ts';
import { fromOutcome } from '../http/image-input.ts';
import type { DecodeJob, DecodeReply } from './decode-worker.ts';

/** One core is left to the event loop and the model; at least one thread, at most four. */
export const defaultDecodeThreads = () => Math.max(1, Math.min(4, availableParallelism() - 1));

// From source the thread needs tsx; the bundled server (Docker) has a bundled entry beside it.
const ENTRY = import.meta.url.endsWith('.ts')
  ? new URL('./decode-worker.mjs', import.meta.url)
  : new URL('./decode-worker.bundle.mjs', import.meta.url);

interface Pending {
  bytes: Uint8Array;
  resolve(input: ModelInput): void;
  reject(error: Error): void;
}

export interface DecodePool {
  decode(bytes: Uint8Array): Promise<ModelInput>;
  /** Stops every thread at once, mid-decode or not; queued and running jobs reject. */
  close(): Promise<void>;
}

export function createDecodePool(threads = defaultDecodeThreads()): DecodePool {
  const alive = new Set<Worker>();
  const idle: Worker[] = [];
  const running = new Map<Worker, Pending>();
  const queue: Pending[] = [];
  let nextId = 0;
  let closed = false;

  const spawnThread = () => {
    const worker = new Worker(ENTRY);
    worker.unref(); // a pool never keeps the process alive
    alive.add(worker);
    worker.on('message', (reply: DecodeReply) => {
      const job = running.get(worker);
      running.delete(worker);
      if (job) {
        try {
          if ('failed' in reply) throw new Error(`decoding failed: ${reply.failed}`);
          job.resolve(fromOutcome(reply));
        } catch (error) {
          job.reject(error as Error);
        }
      }
      idle.push(worker);
      dispatch();
    });
    worker.on('error', (error) => finish(worker, error));
    worker.on('exit', (code) => finish(worker, new Error(`the decode thread exited (${code})`)));
    idle.push(worker);
  };

  // A thread that failed or exited ('error' is followed by 'exit'): its job fails, a fresh thread takes its place.
  const finish = (worker: Worker, error: Error) => {
    if (!alive.delete(worker)) return;
    if (idle.includes(worker)) idle.splice(idle.indexOf(worker), 1);
    running.get(worker)?.reject(error);
    running.delete(worker);
    if (!closed) {
      spawnThread();
      dispatch();
    }
  };

  const dispatch = () => {
    while (idle.length && queue.length) {
      const worker = idle.pop()!;
      const job = queue.shift()!;
      running.set(worker, job);
      // A whole buffer of its own is moved to the thread rather than copied.
      const own = job.bytes.byteOffset === 0 && job.bytes.byteLength === job.bytes.buffer.byteLength;
      const bytes = own ? job.bytes : job.bytes.slice();
      worker.postMessage({ id: nextId++, bytes } satisfies DecodeJob, [bytes.buffer as ArrayBuffer]);
    }
  };

  for (let i = 0; i < threads; i++) spawnThread();

  return {
    decode: (bytes) =>
      new Promise<ModelInput>((resolve, reject) => {
        if (closed) return reject(new Error('the decode pool is closed'));
        queue.push({ bytes, resolve, reject });
        dispatch();
      }),
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new Error('the decode pool is closed'));
      await Promise.all([...alive].map((w) => w.terminate()));
    },
  };
}
