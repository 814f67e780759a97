// POST /api/numbers: a drawing of one or more digits in a row in (the same bodies as /api/predict, or
// the strokes themselves, as the page sends them), each digit read on its own, the number out. Every
// digit is stored as its own prediction, with its own 28x28 input, so it takes feedback by its id and
// retrains like any other.
import { Hono } from 'hono';
import { z } from 'zod';
import { decodeImage } from '../../model/decode-image.ts';
import { MODEL_INPUT_SIZE } from '../../model/input-contract.ts';
import { MAX_IMAGE_PIXELS } from '../../model/image-limits.ts';
import { paintCost } from '../../model/paint-strokes.ts';
import { readInk, readNumber, readStrokes, type DigitScore, type NumberSegmentation, type SegmentedDigit } from '../../model/segment-number.ts';
import type { AppDeps, AppEnv } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { decodingUpload, isUpload, unsupportedMediaType, uploadBytes } from '../http/drawing-body.ts';
import { predictionRow, servedClassifier } from '../http/served-model.ts';
import type { Classification } from '../inference/onnx-classifier.ts';
import { mediaType, parseOrThrow, readJson } from '../http/validate.ts';
import type { Source } from '../store/store.ts';
import { predictJsonSchema } from './predict.ts';

/** Most strokes one drawing may have: a 12-digit number takes a few dozen. */
export const MAX_STROKES = 200;
/** Most points in all: the page samples a pointer about every few pixels, a few thousand for a long number. */
export const MAX_STROKE_POINTS = 10_000;
/** Widest pen, in pixels (the page's widest is 40 on its 280-pixel height). */
export const MAX_PEN = 64;
/**
 * Most pixels painting the strokes may visit (paintCost): eight times the largest image's pixels, so
 * that painting the dearest drawing allowed costs about what decoding the dearest image does (SECURITY.md).
 */
export const MAX_PAINT_COST = 8 * MAX_IMAGE_PIXELS;

/**
 * A drawing as its strokes, in pixels of a `width` x `height` canvas: each stroke's points, in the
 * order drawn, and the width of its round pen. Points off the canvas are allowed and only clipped.
 */
export const strokesJsonSchema = z
  .object({
    strokes: z
      .array(z.object({ points: z.array(z.tuple([z.number(), z.number()])).min(1), pen: z.number().min(1).max(MAX_PEN) }))
      .min(1)
      .max(MAX_STROKES),
    width: z.number().int().min(MODEL_INPUT_SIZE).max(4096),
    height: z.number().int().min(MODEL_INPUT_SIZE).max(4096),
    source: z.enum(['canvas', 'api']).default('api'),
  })
  .refine((d) => d.width * d.height <= MAX_IMAGE_PIXELS, { message: `width x height is over ${MAX_IMAGE_PIXELS} pixels`, path: ['width'] })
  .refine((d) => d.strokes.reduce((n, s) => n + s.points.length, 0) <= MAX_STROKE_POINTS, {
    message: `more than ${MAX_STROKE_POINTS} points in all`,
    path: ['strokes'],
  })
  .refine((d) => paintCost(d.strokes) <= MAX_PAINT_COST, {
    message: `painting the strokes would visit more than ${MAX_PAINT_COST} pixels (fewer points, shorter strokes or a thinner pen)`,
    path: ['strokes'],
  });

const hasStrokes = (body: unknown) => typeof body === 'object' && body !== null && 'strokes' in body;

function accepted(segmentation: NumberSegmentation): SegmentedDigit[] {
  if (segmentation.ok) return segmentation.digits;
  if (segmentation.reason === 'too-many-digits') throw new ApiError(422, 'too-many-digits', segmentation.message);
  throw new ApiError(422, 'empty-drawing', segmentation.message);
}

export function numbersRoute(deps: AppDeps) {
  return new Hono<AppEnv>().post(
    '/',
    async (c) => {
      const type = mediaType(c.req.header('content-type'));
      // Where touching digits are cut is the model's call: a cut holds where both sides read surer. The
      // model is looked up only once the body is read, so bad input is a 4xx even before it is loaded.
      const score: DigitScore = async (pixels) => {
        const r = await servedClassifier(deps).classify(pixels);
        return r.isDigit ? r.confidence : 0;
      };
      let digits: SegmentedDigit[];
      let source: Source;
      if (type === 'application/json') {
        const json = await readJson(c);
        if (hasStrokes(json)) {
          const body = parseOrThrow(strokesJsonSchema, json, 'invalid-strokes');
          digits = accepted(await readStrokes(body.strokes, body.width, body.height, score));
          source = body.source;
        } else {
          // 784 pixels are a small picture, white ink on black: ink already, read like any other.
          const body = parseOrThrow(predictJsonSchema, json, 'invalid-pixels');
          digits = accepted(await readInk(Float64Array.from(body.pixels), MODEL_INPUT_SIZE, MODEL_INPUT_SIZE, score));
          source = body.source;
        }
      } else if (isUpload(type)) {
        const bytes = await uploadBytes(c, type);
        digits = accepted(await decodingUpload(() => readNumber(decodeImage(bytes), score)));
        source = 'upload';
      } else {
        throw unsupportedMediaType();
      }

      const classifier = servedClassifier(deps);
      const results: Classification[] = [];
      for (const digit of digits) results.push(await classifier.classify(digit.pixels));
      // All rows at once: the store's batcher writes them in one INSERT.
      const rows = await Promise.all(
        digits.map((digit, i) =>
          c.var.store.insertPrediction(predictionRow(c, deps, { result: results[i]!, pixels: digit.pixels, model: classifier.model, source })),
        ),
      );
      return c.json({
        text: results.map((r) => r.digit).join(''),
        digits: digits.map((digit, i) => ({
          id: rows[i]!.id,
          digit: results[i]!.digit,
          confidence: results[i]!.confidence,
          probabilities: results[i]!.probabilities,
          isDigit: results[i]!.isDigit,
          box: digit.box,
        })),
        model: classifier.model,
      });
    },
  );
}
