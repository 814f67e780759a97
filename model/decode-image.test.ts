import { deflateSync } from 'node:zlib';
import { encode as encodeJpeg } from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { decodeImage, readImageSize } from './decode-image.ts';
import { ImageDecodeError } from './image-decode-error.ts';
import { MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE, MAX_JPEG_SCANS, MAX_JPEG_SEGMENTS, MAX_PNG_CHUNKS } from './image-limits.ts';
import { decodeError, pixels } from './testing/decode-results.ts';
import { be32, chunk, concat, ihdr, png, scanline, SIGNATURE } from './testing/png-writer.ts';

describe('decodeImage: JPEG', () => {
  it('decodes to RGBA close to what was encoded', () => {
    const width = 32, height = 16;
    const data = new Uint8Array(width * height * 4);
    for (let p = 0; p < width * height; p++) data.set(p % width < 16 ? [250, 230, 80, 255] : [30, 60, 200, 255], 4 * p);
    const jpeg = new Uint8Array(encodeJpeg({ data, width, height }, 95).data);
    expect(readImageSize(jpeg)).toEqual({ format: 'jpeg', width, height });
    const image = decodeImage(jpeg);
    expect([image.width, image.height]).toEqual([width, height]);
    const at = (x: number, y: number) => Array.from(image.data.subarray(4 * (y * width + x), 4 * (y * width + x) + 4));
    for (const [got, want] of [[at(4, 8), [250, 230, 80, 255]], [at(28, 8), [30, 60, 200, 255]]]) {
      got.forEach((v, c) => expect(Math.abs(v - want[c])).toBeLessThanOrEqual(6));
    }
  });
});

describe('decodeImage: bad input', () => {
  const good = png({ width: 4, height: 4, depth: 8, colourType: 0, samples: Array(16).fill(200) });
  const jpeg = new Uint8Array(encodeJpeg({ data: new Uint8Array(16 * 16 * 4).fill(128), width: 16, height: 16 }, 90).data);

  it('random bytes and empty bodies are unsupported-image', () => {
    let seed = 99;
    const random = Uint8Array.from({ length: 500 }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
    for (const bytes of [random, new Uint8Array(0), new TextEncoder().encode('GIF89a.....')]) {
      expect(decodeError(bytes).code).toBe('unsupported-image');
      expect(() => readImageSize(bytes)).toThrow(ImageDecodeError);
    }
  });

  it('truncated or damaged PNGs are corrupt-image', () => {
    for (const cut of [12, 30, good.length - 20, good.length - 1]) {
      expect(decodeError(good.subarray(0, cut)).code, `cut at ${cut}`).toBe('corrupt-image');
    }
    const badCrc = good.slice();
    badCrc[good.length - 14] ^= 0xff; // inside the IDAT chunk's CRC or data
    expect(decodeError(badCrc).code).toBe('corrupt-image');
    const doubleHeader = concat(good.subarray(0, 33), ihdr(60000, 60000, 8, 0), good.subarray(33));
    expect(decodeError(doubleHeader).code).toBe('corrupt-image');
  });

  it('truncated or damaged JPEGs are corrupt-image', () => {
    expect(decodeError(jpeg.subarray(0, Math.floor(jpeg.length / 2))).code).toBe('corrupt-image');
    expect(decodeError(jpeg.subarray(0, 4)).code).toBe('corrupt-image');
    const garbled = jpeg.slice();
    for (let i = 20; i < garbled.length - 2; i++) garbled[i] = 0xff;
    expect(decodeError(garbled).code).toBe('corrupt-image');
  });

  it('a PNG declaring 100000x100000 is image-too-large, refused from the header without decoding', () => {
    const bomb = concat(SIGNATURE, ihdr(100000, 100000, 8, 6), chunk('IDAT', deflateSync(new Uint8Array(1000))), chunk('IEND', []));
    expect(readImageSize(bomb)).toEqual({ format: 'png', width: 100000, height: 100000 });
    const started = performance.now();
    expect(decodeError(bomb).code).toBe('image-too-large');
    expect(performance.now() - started).toBeLessThan(50); // decoding 10^10 pixels would take far longer
  });

  it('enforces the side and pixel limits for PNG and JPEG', () => {
    const side = Math.floor(Math.sqrt(MAX_IMAGE_PIXELS)) + 1;
    for (const [w, h] of [[MAX_IMAGE_SIDE + 1, 1], [1, MAX_IMAGE_SIDE + 1], [side, side]]) {
      expect(decodeError(concat(SIGNATURE, ihdr(w, h, 8, 0), chunk('IEND', []))).code, `${w}x${h}`).toBe('image-too-large');
    }
    // Patch the JPEG's frame header (SOF0) to claim 60000x60000.
    const huge = jpeg.slice();
    const sof = huge.findIndex((b, i) => b === 0xff && huge[i + 1] === 0xc0);
    huge.set([60000 >> 8, 60000 & 255, 60000 >> 8, 60000 & 255], sof + 5);
    expect(readImageSize(huge)).toEqual({ format: 'jpeg', width: 60000, height: 60000 });
    expect(decodeError(huge).code).toBe('image-too-large');
  });

  it('a small PNG whose image data inflates far beyond its size (zlib bomb) is corrupt-image', () => {
    const bomb = concat(SIGNATURE, ihdr(10, 10, 8, 0), chunk('IDAT', deflateSync(new Uint8Array(64 * 2 ** 20))), chunk('IEND', []));
    expect(bomb.length).toBeLessThan(100_000);
    expect(decodeError(bomb).code).toBe('corrupt-image');
  });

  it('a bomb split over many IDAT chunks is measured as a whole', () => {
    const data = deflateSync(new Uint8Array(64 * 2 ** 20));
    const parts = Array.from({ length: Math.ceil(data.length / 4000) }, (_, i) => chunk('IDAT', data.subarray(i * 4000, (i + 1) * 4000)));
    expect(parts.length).toBeGreaterThan(10);
    expect(decodeError(concat(SIGNATURE, ihdr(10, 10, 8, 0), ...parts, chunk('IEND', []))).code).toBe('corrupt-image');
  });

  it('image data too small to inflate past 16 MiB is decoded as declared, extra rows ignored', () => {
    const rows = Array.from({ length: 1000 }, (_, y) => scanline(Array(10).fill(y % 256), 8));
    const extra = concat(SIGNATURE, ihdr(10, 10, 8, 0), chunk('IDAT', deflateSync(concat(...rows))), chunk('IEND', []));
    expect(pixels(extra)).toEqual(Array.from({ length: 100 }, (_, p) => Array(3).fill(Math.floor(p / 10)).concat(255)));
  });
});

describe('decodeImage: work bounded before decoding', () => {
  const grey = (size: number) => png({ width: size, height: size, depth: 8, colourType: 0, samples: Array(size * size).fill(200) });
  /** `good` with `extra` chunks inserted after IHDR (byte 33). */
  const withChunks = (good: Uint8Array, ...extra: Uint8Array[]) => concat(good.subarray(0, 33), ...extra, good.subarray(33));
  /** A single-component baseline JPEG whose scan (SOS segment and data) is repeated `scans` times. */
  function jpegWithScans(scans: number): Uint8Array {
    const jpeg = new Uint8Array(encodeJpeg({ data: new Uint8Array(64 * 64 * 4).fill(90), width: 64, height: 64 }, 90).data);
    const sos = jpeg.findIndex((b, i) => b === 0xff && jpeg[i + 1] === 0xda);
    const scan = jpeg.subarray(sos, jpeg.length - 2);
    return concat(jpeg.subarray(0, sos), ...Array(scans).fill(scan), Uint8Array.from([0xff, 0xd9]));
  }

  it('ancillary chunks are dropped unread: an iCCP profile that does not even inflate is ignored', () => {
    const good = grey(4);
    const badProfile = chunk('iCCP', [...new TextEncoder().encode('icc'), 0, 0, ...Array(64).fill(0xab)]);
    const text = chunk('tEXt', new TextEncoder().encode('Comment\0hello'));
    expect(pixels(withChunks(good, badProfile, text))).toEqual(pixels(good));
  });

  it('tRNS is still applied when other ancillary chunks are dropped', () => {
    const keyed = png({ width: 2, height: 1, depth: 8, colourType: 0, samples: [255, 0], trns: [0, 255] });
    const gamma = chunk('gAMA', be32(45455));
    expect(pixels(withChunks(keyed, gamma)).map((p) => p[3])).toEqual([0, 255]);
  });

  it(`more than ${MAX_PNG_CHUNKS} chunks is corrupt-image, as many is decoded`, () => {
    const good = grey(4);
    const notes = (n: number) => Array.from({ length: n }, () => chunk('tIME', [7, 234, 1, 1, 0, 0, 0]));
    expect(pixels(withChunks(good, ...notes(MAX_PNG_CHUNKS - 4)))).toEqual(pixels(good));
    expect(decodeError(withChunks(good, ...notes(MAX_PNG_CHUNKS))).code).toBe('corrupt-image');
  });

  it('image data in one-byte IDAT chunks decodes up to the chunk limit', () => {
    const data = deflateSync(concat(...Array.from({ length: 4 }, () => scanline([200, 200, 200, 200], 8))));
    const parts = Array.from(data, (b) => chunk('IDAT', [b]));
    expect(pixels(concat(SIGNATURE, ihdr(4, 4, 8, 0), ...parts, chunk('IEND', [])))).toEqual(pixels(grey(4)));
  });

  it('16-bit PNGs are held to the decoded-byte budget: RGBA gets half the pixels of 8-bit RGBA', () => {
    const side = Math.ceil(Math.sqrt(MAX_IMAGE_PIXELS / 2)) + 1;
    const header = (depth: number, colourType: number) => concat(SIGNATURE, ihdr(side, side, depth, colourType), chunk('IEND', []));
    expect(decodeError(header(16, 6)).code).toBe('image-too-large');
    // The same size at 8 bits passes the budget (and fails later, for want of image data).
    expect(decodeError(header(8, 6)).code).toBe('corrupt-image');
  });

  it(`a JPEG of more than ${MAX_JPEG_SCANS} scans is image-too-large; as many is decoded`, () => {
    expect(decodeImage(jpegWithScans(MAX_JPEG_SCANS)).width).toBe(64);
    expect(decodeError(jpegWithScans(MAX_JPEG_SCANS + 1)).code).toBe('image-too-large');
  });

  it(`a JPEG of more than ${MAX_JPEG_SEGMENTS} marker segments is corrupt-image`, () => {
    const jpeg = jpegWithScans(1);
    const comment = Uint8Array.from([0xff, 0xfe, 0, 4, 0x68, 0x69]);
    const withComments = (n: number) => concat(jpeg.subarray(0, 2), ...Array(n).fill(comment), jpeg.subarray(2));
    expect(decodeImage(withComments(MAX_JPEG_SEGMENTS - 20)).width).toBe(64);
    expect(decodeError(withComments(MAX_JPEG_SEGMENTS)).code).toBe('corrupt-image');
  });
});
