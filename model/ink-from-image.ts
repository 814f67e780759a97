// The input contract's first step (input-contract.ts): each pixel's ink is its distance from the
// background colour, so black on white, white on black, coloured and transparent drawings all give
// the same ink. Mirrors _raw_ink in training/preprocess.py operation for operation, in float64.

/** Below this lower-median border alpha the background counts as transparent. */
export const TRANSPARENT_BACKGROUND_ALPHA = 0.5;

export interface RgbaImage {
  /** 4 bytes per pixel (r, g, b, a), row-major; canvas ImageData fits. */
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
}

/**
 * Each pixel's distance from the background (0..1, before stretching to the strongest ink), the
 * contract's first step: model/segment-number.ts cuts a row of digits apart on it.
 */
export function inkOf(image: RgbaImage): Float64Array {
  checkImage(image);
  return image.width === 0 || image.height === 0 ? new Float64Array(0) : rawInk(image);
}

function checkImage({ data, width, height }: RgbaImage): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    throw new RangeError(`image size must be non-negative integers, got ${width}x${height}`);
  }
  if (data.length < width * height * 4) {
    throw new RangeError(`image data holds ${data.length} bytes, ${width}x${height} RGBA needs ${width * height * 4}`);
  }
}

/** Per-pixel distance from the background, 0..1 (before normalising to the peak). */
function rawInk({ data, width, height }: RgbaImage): Float64Array {
  const n = width * height;
  const ink = new Float64Array(n);
  const border = borderPixels(width, height);
  if (lowerMedianByte(data, border, 3) / 255 < TRANSPARENT_BACKGROUND_ALPHA) {
    // Transparent background: whatever was painted is ink, whatever its colour.
    for (let p = 0; p < n; p++) ink[p] = data[4 * p + 3] / 255;
    return ink;
  }
  const br = lowerMedianByte(data, border, 0) / 255;
  const bg = lowerMedianByte(data, border, 1) / 255;
  const bb = lowerMedianByte(data, border, 2) / 255;
  for (let p = 0; p < n; p++) {
    const o = 4 * p;
    const a = data[o + 3] / 255;
    // Composite over the background colour, then take the RMS distance from it.
    const dr = a * (data[o] / 255) + (1 - a) * br - br;
    const dg = a * (data[o + 1] / 255) + (1 - a) * bg - bg;
    const db = a * (data[o + 2] / 255) + (1 - a) * bb - bb;
    ink[p] = Math.sqrt((dr * dr + dg * dg + db * db) / 3);
  }
  return ink;
}

/** Indices of the first/last row and first/last column, each pixel once. */
function borderPixels(width: number, height: number): Int32Array {
  const out: number[] = [];
  for (let y = 0; y < height; y++) {
    if (y === 0 || y === height - 1) {
      for (let x = 0; x < width; x++) out.push(y * width + x);
    } else {
      out.push(y * width);
      if (width > 1) out.push(y * width + width - 1);
    }
  }
  return Int32Array.from(out);
}

/** sorted[(n-1)>>1] of one channel over the given pixels, by a 256-bin histogram (no sort). */
function lowerMedianByte(data: RgbaImage['data'], pixels: Int32Array, channel: number): number {
  const counts = new Uint32Array(256);
  for (let i = 0; i < pixels.length; i++) counts[data[4 * pixels[i] + channel]]++;
  const rank = (pixels.length - 1) >> 1;
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += counts[v];
    if (seen > rank) return v;
  }
  return 255; // unreachable for a non-empty pixel list
}
