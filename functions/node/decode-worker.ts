// One decode thread of node/decode-pool.ts: bytes in, the model's input (or the refusal) out.
import { parentPort } from 'node:worker_threads';
import { decodeOutcome, type DecodeOutcome } from '../http/image-input.ts';

export interface DecodeJob {
  id: number;
  bytes: Uint8Array;
}
export type DecodeReply = { id: number } & (DecodeOutcome | { failed: string });

parentPort!.on('message', ({ id, bytes }: DecodeJob) => {
  let reply: DecodeReply;
  try {
    reply = { id, ...decodeOutcome(bytes) };
  } catch (error) {
    reply = { id, failed: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  const pixels = 'input' in reply && reply.input.ok ? [reply.input.pixels.buffer as ArrayBuffer] : [];
  parentPort!.postMessage(reply, pixels);
});
