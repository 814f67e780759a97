// An uploaded image to the model's input: decoding plus the input contract, the CPU-heavy part of a
// request. In process by default (the Worker runtime has no threads); the Node server hands it to a
// pool of worker threads (node/decode-pool.ts) so the event loop keeps answering meanwhile.
import { decodeImage } from '../../model/decode-image.ts';
import { ImageDecodeError, type ImageDecodeErrorCode } from '../../model/image-decode-error.ts';
import { toModelInput, type ModelInput } from '../../model/input-contract.ts';

/** Decodes an upload and applies the input contract; rejects with ImageDecodeError for bad images. */
export type DecodeToInput = (bytes: Uint8Array) => Promise<ModelInput>;

export const decodeInProcess: DecodeToInput = async (bytes) => toModelInput(decodeImage(bytes));

/** What crosses a thread boundary: the input, or the refusal (an Error loses its class when cloned). */
export type DecodeOutcome = { input: ModelInput } | { refused: { code: ImageDecodeErrorCode; message: string } };

export function decodeOutcome(bytes: Uint8Array): DecodeOutcome {
  try {
    return { input: toModelInput(decodeImage(bytes)) };
  } catch (error) {
    if (error instanceof ImageDecodeError) return { refused: { code: error.code, message: error.message } };
    throw error;
  }
}

export function fromOutcome(outcome: DecodeOutcome): ModelInput {
  if ('input' in outcome) return outcome.input;
  throw new ImageDecodeError(outcome.refused.code, outcome.refused.message);
}
