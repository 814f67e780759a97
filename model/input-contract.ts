// The model's input contract: turns a person's drawing (canvas ImageData or a decoded PNG/JPEG of
// any size, any ink and background colours) into the 28x28 picture MNIST itself is made of:
// white ink on black, 0..1, the digit fitted into 20x20 and centred by its centre of mass.
// training/preprocess.py is the Python twin; model/preprocess-parity.test.ts holds them to 1e-3,
// so every step is float64 and mirrors the twin operation for operation.
// No Node APIs: this runs in browsers, Node and Cloudflare Workers.
//
// The steps live beside this file: ink-from-image.ts (ink, whatever the colours), near-empty-rule.ts
// (stretch to the strongest ink, refuse a stray click) and fit-and-centre.ts (crop, fit, centre).
// Their constants and pieces are exported from here too, the one name for the contract's users.
import { inkOf, type RgbaImage } from './ink-from-image.ts';
import { NO_INK, stretchInk, type Refusal } from './near-empty-rule.ts';
import { fitAndCentre, MODEL_INPUT_SIZE } from './fit-and-centre.ts';

export { inkOf, TRANSPARENT_BACKGROUND_ALPHA, type RgbaImage } from './ink-from-image.ts';
export { MIN_CONTRAST, MIN_INK_FRACTION, MIN_INK_PIXELS, NOISE_FLOOR, refuseNearEmpty, type Refusal } from './near-empty-rule.ts';
export { CENTRE_TIE_EPSILON, FIT_SIZE, MODEL_INPUT_SIZE } from './fit-and-centre.ts';

export type ModelInput =
  | { ok: true; /** 784 values, row-major 28x28, 0..1, white ink on black */ pixels: Float32Array }
  | Refusal;

export function toModelInput(image: RgbaImage): ModelInput {
  return inkToModelInput(inkOf(image), image.width, image.height);
}

/**
 * The rest of the contract on an ink plane of `width` x `height` (as `inkOf` gives it; changed in
 * place): near-empty rule, crop, fit, centre. A part of a picture cut out with its own ink only
 * reads exactly as if it had been drawn alone.
 */
export function inkToModelInput(ink: Float64Array, width: number, height: number): ModelInput {
  if (width === 0 || height === 0) return { ...NO_INK };
  const refusal = stretchInk(ink);
  if (refusal) return refusal;
  // What the model reads obeys the rule too, so the page's pixels of an accepted drawing are never refused.
  return checkModelInput(fitAndCentre(ink, width, height));
}

/**
 * A model input given as its 784 pixels (`{"pixels": [...]}` of POST /api/predict, white ink on black):
 * the same near-empty rule as for an image, so a single lit pixel is refused whatever form it comes in.
 */
export function checkModelInput(pixels: ArrayLike<number>): ModelInput {
  const n = MODEL_INPUT_SIZE * MODEL_INPUT_SIZE;
  if (pixels.length !== n) throw new RangeError(`a model input has ${n} pixels, got ${pixels.length}`);
  const refusal = stretchInk(Float64Array.from(pixels));
  return refusal ?? { ok: true, pixels: Float32Array.from(pixels) };
}
