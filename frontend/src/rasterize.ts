import { paintDrawing, type Stroke } from './stroke-path';

/** Side of the offscreen picture handed to the input contract; independent of screen size and DPR. */
export const RASTER_SIZE = 280;

export type RasterImage = { data: Uint8ClampedArray; width: number; height: number };

/**
 * Paints the strokes onto an offscreen canvas and reads the pixels back. Returns null where the
 * browser offers no 2D canvas, so the caller can say so instead of sending nothing.
 */
export function rasterizeStrokes(strokes: readonly Stroke[], size = RASTER_SIZE): RasterImage | null {
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) return null;
  paintDrawing(ctx, strokes, size);
  return ctx.getImageData(0, 0, size, size);
}
