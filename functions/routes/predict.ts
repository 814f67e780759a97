// POST /api/predict: a drawing in (JSON pixels, a PNG/JPEG body, or a multipart upload), a digit out.
// Every successful prediction is stored with its 28x28 input for later retraining.
import { Hono } from 'hono';
import { z } from 'zod';
import { checkModelInput, MODEL_INPUT_SIZE, type ModelInput } from '../../model/input-contract.ts';
import type { AppDeps, AppEnv } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { decodingUpload, isUpload, unsupportedMediaType, uploadBytes } from '../http/drawing-body.ts';
import { decodeInProcess, type DecodeToInput } from '../http/image-input.ts';
import { predictionRow, servedClassifier } from '../http/served-model.ts';
import { mediaType, parseOrThrow, readJson } from '../http/validate.ts';
import type { Source } from '../store/store.ts';

export const PIXEL_COUNT = MODEL_INPUT_SIZE * MODEL_INPUT_SIZE;

export const predictJsonSchema = z.object({
  pixels: z.array(z.number().min(0).max(1)).length(PIXEL_COUNT),
  source: z.enum(['canvas', 'api']).default('api'),
});

async function imageToPixels(bytes: Uint8Array, decode: DecodeToInput): Promise<Float32Array> {
  return accepted(await decodingUpload(() => decode(bytes)));
}

/** The input contract's near-empty rule, the same for every body form: refused, never guessed. */
function accepted(input: ModelInput): Float32Array {
  if (!input.ok) throw new ApiError(422, 'empty-drawing', input.message);
  return input.pixels;
}

export function predictRoute(deps: AppDeps) {
  return new Hono<AppEnv>().post(
    '/',
    async (c) => {
      const type = mediaType(c.req.header('content-type'));
      let pixels: Float32Array;
      let source: Source;
      if (type === 'application/json') {
        const body = parseOrThrow(predictJsonSchema, await readJson(c), 'invalid-pixels');
        pixels = accepted(checkModelInput(body.pixels));
        source = body.source;
      } else if (isUpload(type)) {
        pixels = await imageToPixels(await uploadBytes(c, type), deps.decodeImage ?? decodeInProcess);
        source = 'upload';
      } else {
        throw unsupportedMediaType();
      }

      const classifier = servedClassifier(deps);
      const result = await classifier.classify(pixels);
      const row = await c.var.store.insertPrediction(predictionRow(c, deps, { result, pixels, model: classifier.model, source }));
      return c.json({
        id: row.id,
        digit: result.digit,
        confidence: result.confidence,
        probabilities: result.probabilities,
        isDigit: result.isDigit,
        model: classifier.model,
      });
    },
  );
}
