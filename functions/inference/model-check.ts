// What a published model version must satisfy before any replica serves it: a card that describes the
// input contract the server feeds and the outputs it reads, and that matches the bytes it came with.
// (That ONNX Runtime Web loads the bytes and answers with ten probabilities is checked by model-holder.ts.)
import { z } from 'zod';
import { describeIssue } from '../http/validate.ts';
import { sha256Hex, type StoredModel } from '../store/model-registry.ts';

/** A version that cannot be served: the admin gets a 4xx saying why, and nothing changes. */
export class ModelRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelRejectedError';
  }
}

/** Names and versions end up in file names and URLs: plain characters only. */
export const VERSION_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

// The card's words for the tensors (training/export.py writes them; the server relies on exactly these).
const PIXELS_INPUT = 'float32 [N, 1, 28, 28]';
const PROBABILITIES_OUTPUT = 'float32 [N, 10]';

const startsWith = (prefix: string) => z.string().refine((s) => s.startsWith(prefix), `must start with "${prefix}"`);

const cardSchema = z.object({
  name: z.string().regex(VERSION_PATTERN),
  version: z.string().regex(VERSION_PATTERN),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits'),
  bytes: z.number().int().positive().optional(),
  onnx: z.object({
    inputs: z.object({ pixels: startsWith(PIXELS_INPUT) }),
    outputs: z.object({ probabilities: startsWith(PROBABILITIES_OUTPUT) }),
  }),
});

/** Throws ModelRejectedError unless `card` describes `bytes` and the input contract the server feeds. */
export async function checkCard(card: unknown, bytes: Uint8Array): Promise<StoredModel> {
  const parsed = cardSchema.safeParse(card);
  if (!parsed.success) throw new ModelRejectedError(`the card is not valid: ${describeIssue(parsed.error)}`);
  const { name, version, sha256 } = parsed.data;
  if (parsed.data.bytes !== undefined && parsed.data.bytes !== bytes.length) {
    throw new ModelRejectedError(`the card says ${parsed.data.bytes} bytes, the .onnx has ${bytes.length}`);
  }
  const actual = await sha256Hex(bytes);
  if (actual !== sha256) throw new ModelRejectedError(`the .onnx has sha256 ${actual}, the card says ${sha256}`);
  return { name, version, bytes, card: card as Record<string, unknown> };
}
