// What the server read in one drawing, as the page holds it: the digits in reading order, each
// answered by its id, and for a number where each digit is on the pad.
import type { ModelInfo, NumberAnswer, Prediction } from './api-types';
import { RASTER_SIZE } from './rasterize';

/** One digit a drawing, or a number: several digits written side by side. */
export type Mode = 'digit' | 'number';
/**
 * The pad's shape in each mode, as the picture that is rasterised: a digit's square, a number's
 * strip twice as wide (a digit in each half at the same pen size, four on a phone's width).
 */
export const PAD: Record<Mode, { width: number; height: number }> = {
  digit: { width: RASTER_SIZE, height: RASTER_SIZE },
  number: { width: 2 * RASTER_SIZE, height: RASTER_SIZE },
};

/** A part of the pad in unit coordinates (0..1 of its width and height). */
export type Box = { x: number; y: number; width: number; height: number };
/** One digit the server read, answered by its id; a number's digits say where they are on the pad. */
export type Reading = Omit<Prediction, 'model'> & { box?: Box };
/**
 * What the server read in one drawing: its digits in reading order (one for POST /api/predict),
 * the model that read them and, for one digit, the 28x28 picture that was sent.
 */
export type Result = {
  kind: Mode;
  /** The digits read, in order: "7", "2026". */
  text: string;
  /** How sure the reading is: for a number, the confidence of its least sure digit. */
  confidence: number;
  readings: Reading[];
  model: ModelInfo;
  /** The 28x28 picture a digit is sent as; null for a number, which is sent as a picture of the pad. */
  pixels: Float32Array | null;
};
export const fromPrediction = ({ model, ...reading }: Prediction, pixels: Float32Array): Result => ({
  kind: 'digit',
  text: String(reading.digit),
  confidence: reading.confidence,
  readings: [reading],
  model,
  pixels,
});

/** The server's boxes are in the picture's pixels; the page draws them over a pad of any size. */
export const fromNumber = ({ text, digits, model }: NumberAnswer, size: { width: number; height: number }): Result => ({
  kind: 'number',
  text,
  confidence: Math.min(...digits.map((d) => d.confidence)),
  readings: digits.map(({ box, ...reading }) => ({
    ...reading,
    box: { x: box.x / size.width, y: box.y / size.height, width: box.width / size.width, height: box.height / size.height },
  })),
  model,
  pixels: null,
});
