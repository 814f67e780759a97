// The model's input contract: turns a person's drawing (canvas ImageData or a decoded PNG/JPEG of
// any size, any ink and background colours) into the 28x28 picture MNIST itself is made of:
// white ink on black, 0..1, the digit fitted into 20x20 and centred by its centre of mass.
// training/preprocess.py is the Python twin; model/preprocess-parity.test.ts holds them to 1e-3,
// so every step here is float64 and mirrors the twin operation for operation.
// No Node APIs: this runs in browsers, Node and Cloudflare Workers.

/** Side of the square picture the model reads. */
export const MODEL_INPUT_SIZE = 28;
/** Side of the box the digit's bigger side is fitted into (MNIST: 20x20 inside 28x28). */
export const FIT_SIZE = 20;
/** Below this lower-median border alpha the background counts as transparent. */
export const TRANSPARENT_BACKGROUND_ALPHA = 0.5;
/** Strongest ink must differ from the background by this much (0..1), else the drawing is empty. */
export const MIN_CONTRAST = 0.15;
/** Ink weaker than this fraction of the strongest ink is dropped (anti-aliasing halos, JPEG noise). */
export const NOISE_FLOOR = 0.1;
/** A drawing needs at least this much total ink (in full-strength pixels)... */
export const MIN_INK_PIXELS = 2;
/** ...and at least this fraction of the image's pixels, so a stray click is reported, never guessed. */
export const MIN_INK_FRACTION = 0.0002;
/**
 * Added before rounding the paste position: symmetric drawings put the centre of mass exactly on a
 * half pixel, where summation order alone (here vs numpy) would otherwise pick different sides.
 */
export const CENTRE_TIE_EPSILON = 1e-9;

export interface RgbaImage {
  /** 4 bytes per pixel (r, g, b, a), row-major; canvas ImageData fits. */
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
}

export type ModelInput =
  | { ok: true; /** 784 values, row-major 28x28, 0..1, white ink on black */ pixels: Float32Array }
  | { ok: false; reason: 'no-ink' | 'too-little-ink'; message: string };

export type Refusal = Extract<ModelInput, { ok: false }>;

const NO_INK: Refusal = {
  ok: false,
  reason: 'no-ink',
  message: 'The drawing is empty: nothing stands out from the background.',
};
const TOO_LITTLE_INK: Refusal = {
  ok: false,
  reason: 'too-little-ink',
  message: 'There is too little ink to read a digit: draw the digit larger or with more strokes.',
};

export function toModelInput(image: RgbaImage): ModelInput {
  return inkToModelInput(inkOf(image), image.width, image.height);
}

/**
 * Each pixel's distance from the background (0..1, before stretching to the strongest ink), the
 * contract's first step: model/segment-number.ts cuts a row of digits apart on it.
 */
export function inkOf(image: RgbaImage): Float64Array {
  checkImage(image);
  return image.width === 0 || image.height === 0 ? new Float64Array(0) : rawInk(image);
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

  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  for (let y = 0, p = 0; y < height; y++) {
    for (let x = 0; x < width; x++, p++) {
      if (ink[p] > 0) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  const patch = fitCrop(ink, width, x0, y0, x1 - x0 + 1, y1 - y0 + 1);
  // What the model reads obeys the rule too, so the page's pixels of an accepted drawing are never refused.
  return checkModelInput(centreByMass(patch));
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

/**
 * The near-empty rule, one for every form a drawing comes in. `ink` is each pixel's distance from the
 * background (0..1); it is stretched in place so the strongest ink is 1, less the noise floor. Refused:
 * nothing stands out by MIN_CONTRAST (no-ink), or less total ink than MIN_INK_PIXELS full-strength
 * pixels or MIN_INK_FRACTION of the picture (too-little-ink: a stray click is reported, never guessed).
 */
function stretchInk(ink: Float64Array, write = true): Refusal | undefined {
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

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

interface Patch {
  values: Float64Array;
  width: number;
  height: number;
}

/**
 * Area-averaging weights mapping `src` samples onto `dst`: output j covers [j*src/dst, (j+1)*src/dst)
 * and source i weighs its overlap with that interval divided by the interval's length.
 */
interface AreaWeights {
  first: Int32Array; // first source index of each output
  count: Int32Array; // number of source indices of each output
  weights: Float64Array; // packed, `count[j]` entries per output
  offset: Int32Array; // where output j's weights start in `weights`
}

function areaWeights(src: number, dst: number): AreaWeights {
  const first = new Int32Array(dst);
  const count = new Int32Array(dst);
  const offset = new Int32Array(dst);
  const span = src / dst;
  const packed: number[] = [];
  for (let j = 0; j < dst; j++) {
    const lo = (j * src) / dst;
    const hi = ((j + 1) * src) / dst;
    const i0 = Math.floor(lo);
    const i1 = Math.min(src, Math.ceil(hi));
    first[j] = i0;
    count[j] = i1 - i0;
    offset[j] = packed.length;
    for (let i = i0; i < i1; i++) packed.push((Math.min(hi, i + 1) - Math.max(lo, i)) / span);
  }
  return { first, count, weights: Float64Array.from(packed), offset };
}

/** Crops (x0, y0, w, h) out of `ink` and fits it into FIT_SIZE keeping the aspect ratio. */
function fitCrop(ink: Float64Array, stride: number, x0: number, y0: number, w: number, h: number): Patch {
  const scale = FIT_SIZE / Math.max(w, h);
  const tw = Math.max(1, Math.floor(w * scale + 0.5));
  const th = Math.max(1, Math.floor(h * scale + 0.5));
  const wx = areaWeights(w, tw);
  const wy = areaWeights(h, th);
  const values = new Float64Array(tw * th);
  const row = new Float64Array(w);
  for (let r = 0; r < th; r++) {
    // Rows first: one output row is a weighted sum of source rows...
    row.fill(0);
    for (let k = 0; k < wy.count[r]; k++) {
      const weight = wy.weights[wy.offset[r] + k];
      const src = (y0 + wy.first[r] + k) * stride + x0;
      for (let x = 0; x < w; x++) row[x] += weight * ink[src + x];
    }
    // ...then each output pixel a weighted sum of that row's columns.
    for (let c = 0; c < tw; c++) {
      let sum = 0;
      for (let k = 0; k < wx.count[c]; k++) sum += wx.weights[wx.offset[c] + k] * row[wx.first[c] + k];
      values[r * tw + c] = sum;
    }
  }
  return { values, width: tw, height: th };
}

/** Pastes the patch into a black 28x28 field so its index centre of mass sits at (14, 14), like MNIST. */
function centreByMass({ values, width, height }: Patch): Float32Array {
  let mass = 0, mx = 0, my = 0;
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const v = values[r * width + c];
      mass += v;
      mx += c * v;
      my += r * v;
    }
  }
  const centre = MODEL_INPUT_SIZE / 2;
  const left = pastePosition(centre - mx / mass, width);
  const top = pastePosition(centre - my / mass, height);
  const pixels = new Float32Array(MODEL_INPUT_SIZE * MODEL_INPUT_SIZE);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) pixels[(top + r) * MODEL_INPUT_SIZE + left + c] = values[r * width + c];
  }
  return pixels;
}

function pastePosition(ideal: number, size: number): number {
  const rounded = Math.floor(ideal + 0.5 + CENTRE_TIE_EPSILON);
  return Math.min(Math.max(rounded, 0), MODEL_INPUT_SIZE - size);
}
