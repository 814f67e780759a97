// A minimal PNG writer for the decoder's tests, independent of the decoder under test, so every
// colour type, bit depth and header can be built byte by byte.
import { deflateSync } from 'node:zlib';
import { crc32 } from './crc32.ts';

export function be32(v: number): number[] {
  return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
}
export function chunk(type: string, data: ArrayLike<number>): Uint8Array {
  const body = Uint8Array.from([...type].map((c) => c.charCodeAt(0)).concat(Array.from(data)));
  return Uint8Array.from([...be32(data.length), ...body, ...be32(crc32(body))]);
}
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}
export const SIGNATURE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
export function ihdr(width: number, height: number, depth: number, colourType: number, interlace = 0): Uint8Array {
  return chunk('IHDR', [...be32(width), ...be32(height), depth, colourType, 0, 0, interlace]);
}
/** One scanline: filter type 0 (None), then the samples packed at the bit depth. */
export function scanline(samples: number[], depth: number): Uint8Array {
  const out = new Uint8Array(1 + Math.ceil((samples.length * depth) / 8));
  samples.forEach((v, i) => {
    if (depth === 16) out.set([v >> 8, v & 255], 1 + 2 * i);
    else out[1 + ((i * depth) >> 3)] |= v << (8 - depth - ((i * depth) & 7));
  });
  return out;
}

export interface PngSpec {
  width: number;
  height: number;
  depth: 1 | 2 | 4 | 8 | 16;
  colourType: 0 | 2 | 3 | 4 | 6;
  /** Samples row by row, channel by channel, at the image's bit depth. */
  samples: number[];
  plte?: number[];
  trns?: number[];
  interlaced?: boolean;
}
// Adam7: seven passes over sub-images, each [x0, y0, xStep, yStep].
const ADAM7 = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]];
export function png({ width, height, depth, colourType, samples, plte, trns, interlaced = false }: PngSpec): Uint8Array {
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colourType];
  const pixel = (x: number, y: number) => samples.slice((y * width + x) * channels, (y * width + x + 1) * channels);
  const subImages = interlaced
    ? ADAM7.map(([x0, y0, dx, dy]) => {
        const xs = Array.from({ length: Math.ceil((width - x0) / dx) }, (_, i) => x0 + i * dx);
        const ys = Array.from({ length: Math.ceil((height - y0) / dy) }, (_, i) => y0 + i * dy);
        return xs.length && ys.length ? ys.map((y) => xs.flatMap((x) => pixel(x, y))) : [];
      })
    : [Array.from({ length: height }, (_, y) => samples.slice(y * width * channels, (y + 1) * width * channels))];
  const raw = concat(...subImages.flat().map((row) => scanline(row, depth)));
  return concat(
    SIGNATURE,
    ihdr(width, height, depth, colourType, interlaced ? 1 : 0),
    ...(plte ? [chunk('PLTE', plte)] : []),
    ...(trns ? [chunk('tRNS', trns)] : []),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', []),
  );
}
