// The near-empty rule, one for every form a drawing comes in (an image's ink, the 28x28 the model
// reads, the 784 pixels of a JSON body): a stray click is reported, never guessed. Mirrors
// _stretch_ink in training/preprocess.py.

/** Strongest ink must differ from the background by this much (0..1), else the drawing is empty. */
export const MIN_CONTRAST = 0.15;
/** Ink weaker than this fraction of the strongest ink is dropped (anti-aliasing halos, JPEG noise). */
export const NOISE_FLOOR = 0.1;
/** A drawing needs at least this much total ink (in full-strength pixels)... */
export const MIN_INK_PIXELS = 2;
/** ...and at least this fraction of the image's pixels, so a stray click is reported, never guessed. */
export const MIN_INK_FRACTION = 0.0002;

export interface Refusal {
  ok: false;
  reason: 'no-ink' | 'too-little-ink';
  message: string;
}

/** Copied (`{ ...NO_INK }`) by whoever answers with it, so no caller can change another's answer. */
export const NO_INK: Refusal = {
  ok: false,
  reason: 'no-ink',
  message: 'The drawing is empty: nothing stands out from the background.',
};
const TOO_LITTLE_INK: Refusal = {
  ok: false,
  reason: 'too-little-ink',
  message: 'There is too little ink to read a digit: draw the digit larger or with more strokes.',
};

/**
 * `ink` is each pixel's distance from the background (0..1); it is stretched in place so the strongest
 * ink is 1, less the noise floor. Refused: nothing stands out by MIN_CONTRAST (no-ink), or less total
 * ink than MIN_INK_PIXELS full-strength pixels or MIN_INK_FRACTION of the picture (too-little-ink).
 */
export function stretchInk(ink: Float64Array, write = true): Refusal | undefined {
  let peak = 0;
  for (let p = 0; p < ink.length; p++) if (ink[p] > peak) peak = ink[p];
  if (peak < MIN_CONTRAST) return { ...NO_INK };
  let total = 0;
  for (let p = 0; p < ink.length; p++) {
    const v = clamp01((ink[p] / peak - NOISE_FLOOR) / (1 - NOISE_FLOOR));
    if (write) ink[p] = v;
    total += v;
  }
  if (total < Math.max(MIN_INK_PIXELS, MIN_INK_FRACTION * ink.length)) return { ...TOO_LITTLE_INK };
  return undefined;
}

/** The near-empty rule on an ink plane as `inkOf` gives it, leaving the plane as it is. */
export function refuseNearEmpty(ink: Float64Array): Refusal | undefined {
  return stretchInk(ink, false);
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
