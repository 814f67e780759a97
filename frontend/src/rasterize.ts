import { paintDrawing, type Stroke } from './stroke-path';

/** Height of the offscreen picture handed to the input contract (and side of a digit's square); independent of screen size and DPR. */
export const RASTER_SIZE = 280;

export type RasterImage = { data: Uint8ClampedArray; width: number; height: number };

function offscreen(width: number, height: number) {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas.getContext('2d', { willReadFrequently: true });
}

/**
 * Paints the strokes onto an offscreen canvas (a square by default) and reads the pixels back.
 * Returns null where the browser offers no 2D canvas, so the caller can say so instead of sending nothing.
 */
export function rasterizeStrokes(strokes: readonly Stroke[], width = RASTER_SIZE, height = width): RasterImage | null {
  const ctx = offscreen(width, height);
  if (!ctx) return null;
  paintDrawing(ctx, strokes, width, height);
  return ctx.getImageData(0, 0, width, height);
}
