// Request bodies for tests, made the way the page and people make them: a digit stroked onto a
// canvas-sized RGBA picture (dark ink, transparent background), exported as PNG/JPEG or reduced to
// the 784 model pixels. Pure JavaScript, so the Worker's tests can use them too.
import { encode as encodePng } from 'fast-png';
import { encode as encodeJpeg } from 'jpeg-js';
import { toModelInput, type RgbaImage } from '../../model/input-contract.ts';
import { crc32 } from '../../model/testing/crc32.ts';

const SIZE = 280;

/** A thick "7": a top bar and a diagonal, like someone would draw it with a mouse. */
/** Round-brush strokes (each a list of [x, y] in 0..1 of the side) on a `size` square, transparent unless opaque. */
export function drawStrokes(
  strokes: [number, number][][],
  size = SIZE,
  ink: [number, number, number] = [20, 20, 20],
  opaqueBackground = false,
): RgbaImage {
  const data = new Uint8ClampedArray(size * size * 4);
  if (opaqueBackground) data.fill(255);
  const radius = size / 28;
  const segment = (x0: number, y0: number, x1: number, y1: number) => {
    const steps = Math.ceil(Math.hypot(x1 - x0, y1 - y0));
    for (let s = 0; s <= steps; s++) {
      const cx = x0 + ((x1 - x0) * s) / steps;
      const cy = y0 + ((y1 - y0) * s) / steps;
      for (let y = Math.floor(cy - radius); y <= cy + radius; y++) {
        for (let x = Math.floor(cx - radius); x <= cx + radius; x++) {
          if (x < 0 || y < 0 || x >= size || y >= size || Math.hypot(x - cx, y - cy) > radius) continue;
          const p = (y * size + x) * 4;
          data.set([...ink, 255], p);
        }
      }
    }
  };
  for (const stroke of strokes) {
    for (let i = 1; i < stroke.length; i++) {
      const [x0, y0] = stroke[i - 1]!;
      const [x1, y1] = stroke[i]!;
      segment(x0 * size, y0 * size, x1 * size, y1 * size);
    }
  }
  return { data, width: size, height: size };
}

export function drawSeven(size = SIZE, ink: [number, number, number] = [20, 20, 20], opaqueBackground = false): RgbaImage {
  return drawStrokes([[[0.3, 0.25], [0.7, 0.25], [0.4, 0.8]]], size, ink, opaqueBackground);
}

/** Strokes of a few digits as people write them, in 0..1 of the digit's box. */
export const DIGIT_STROKES = {
  1: [[[0.5, 0.05], [0.5, 0.95]]],
  7: [[[0.1, 0.1], [0.9, 0.1], [0.4, 0.95]]],
  // A 4 in two strokes: the open corner, then the upright through its bar.
  4: [[[0.55, 0.05], [0.1, 0.6], [0.95, 0.6]], [[0.7, 0.3], [0.7, 0.95]]],
  // A 5 whose flag is drawn last and does not touch the body.
  5: [[[0.2, 0.1], [0.15, 0.45], [0.55, 0.42], [0.8, 0.65], [0.6, 0.92], [0.15, 0.85]], [[0.6, 0.08], [0.95, 0.08]]],
} satisfies Record<number, [number, number][][]>;

/** `digits` (of DIGIT_STROKES) in a row, each in a box a sixth of the side wide: strokes in 0..1 of the square. */
const numberLayout = (digits: string): [number, number][][] =>
  [...digits].flatMap((d, i) =>
    DIGIT_STROKES[Number(d) as keyof typeof DIGIT_STROKES].map((s) =>
      s.map(([u, v]): [number, number] => [0.04 + i * 0.24 + u * 0.17, 0.35 + v * 0.28]),
    ),
  );

/** `digits` (of DIGIT_STROKES) written in a row across a `size` square, each in a box a sixth of the side wide. */
export function drawNumber(digits: string, size = 560): RgbaImage {
  return drawStrokes(numberLayout(digits), size);
}

/** The same row as drawNumber's, as the strokes body of POST /api/numbers: pixels of the square, drawStrokes's pen. */
export function numberStrokes(digits: string, size = 560) {
  const strokes = numberLayout(digits).map((s) => ({ points: s.map(([u, v]) => [u * size, v * size]), pen: size / 14 }));
  return { strokes, width: size, height: size };
}

/** A five-pointed star in one stroke: a drawing that is no digit. */
export function drawStar(size = SIZE): RgbaImage {
  const points = Array.from({ length: 6 }, (_, i): [number, number] => {
    const a = -Math.PI / 2 + (i * 4 * Math.PI) / 5;
    return [0.5 + 0.35 * Math.cos(a), 0.52 + 0.35 * Math.sin(a)];
  });
  return drawStrokes([points], size, [20, 20, 20], true);
}

export function blankImage(size = SIZE): RgbaImage {
  return { data: new Uint8ClampedArray(size * size * 4).fill(255), width: size, height: size };
}

/** A stray click: one dark dot, 3 pixels across, on a blank canvas. */
export function strayDot(size = SIZE): RgbaImage {
  const image = blankImage(size);
  const centre = Math.floor(size / 2);
  for (let y = centre - 1; y <= centre + 1; y++) {
    for (let x = centre - 1; x <= centre + 1; x++) image.data.fill(20, (y * size + x) * 4, (y * size + x) * 4 + 3);
  }
  return image;
}

/** The 784 model pixels with one pixel lit: the least a JSON body can draw. */
export function singlePixel(): number[] {
  const pixels = new Array<number>(28 * 28).fill(0);
  pixels[14 * 28 + 14] = 1;
  return pixels;
}

/** Bytes backed by a plain ArrayBuffer, which fetch and Blob accept as a body. */
export type Bytes = Uint8Array<ArrayBuffer>;

export function pngBytes(image: RgbaImage): Bytes {
  return new Uint8Array(encodePng({ width: image.width, height: image.height, data: new Uint8Array(image.data), channels: 4, depth: 8 }));
}

export function jpegBytes(image: RgbaImage): Bytes {
  const { data } = encodeJpeg({ width: image.width, height: image.height, data: new Uint8Array(image.data) }, 90);
  return new Uint8Array(data);
}

/** The 784 model pixels of the drawing, as the page sends them. */
export function sevenPixels(): number[] {
  const input = toModelInput(drawSeven());
  if (!input.ok) throw new Error('the test drawing has no ink');
  return Array.from(input.pixels);
}


/** A valid PNG whose header (with a correct CRC) claims `width` x `height`. */
export function pngClaimingSize(width: number, height: number): Bytes {
  const png = pngBytes(drawSeven(28));
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  // IHDR data starts at byte 16 (8 signature + 4 length + 4 type); its CRC covers type and data.
  view.setUint32(16, width);
  view.setUint32(20, height);
  view.setUint32(29, crc32(png.subarray(12, 29)));
  return png;
}

/** The first half of a valid PNG: signature and header intact, image data cut off. */
export function truncatedPng(): Bytes {
  const png = pngBytes(drawSeven());
  return png.slice(0, Math.floor(png.length / 2));
}

/** PNG signature and header, then garbage where the image data should be. */
export function corruptPng(): Bytes {
  const png = pngBytes(drawSeven());
  const bytes = png.slice();
  for (let i = 40; i < bytes.length - 12; i++) bytes[i] = (i * 7919) & 0xff;
  return bytes;
}

export const GIF_BYTES = new TextEncoder().encode('GIF89a\x01\x00\x01\x00\x00\x00\x00;');
