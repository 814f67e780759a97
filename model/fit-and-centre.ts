// The input contract's last steps (input-contract.ts): the ink's bounding box is fitted into 20x20
// keeping its aspect ratio and pasted into 28x28 centred by mass, as MNIST was made. Mirrors
// fit_and_centre in training/preprocess.py operation for operation, in float64.

/** Side of the square picture the model reads. */
export const MODEL_INPUT_SIZE = 28;
/** Side of the box the digit's bigger side is fitted into (MNIST: 20x20 inside 28x28). */
export const FIT_SIZE = 20;
/**
 * Added before rounding the paste position: symmetric drawings put the centre of mass exactly on a
 * half pixel, where summation order alone (here vs numpy) would otherwise pick different sides.
 */
export const CENTRE_TIE_EPSILON = 1e-9;

/**
 * Crops the ink (`width` x `height`, stretched to 0..1, some of it above 0) to its bounding box,
 * fits it into FIT_SIZE and centres it by mass in a black MODEL_INPUT_SIZE field.
 */
export function fitAndCentre(ink: Float64Array, width: number, height: number): Float32Array {
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
  return centreByMass(fitCrop(ink, width, x0, y0, x1 - x0 + 1, y1 - y0 + 1));
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
