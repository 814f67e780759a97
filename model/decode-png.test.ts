import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeImage, readImageSize } from './decode-image.ts';
import { decodeError, pixels } from './testing/decode-results.ts';
import { png } from './testing/png-writer.ts';

describe('decodeImage: PNG colour types and bit depths', () => {
  it('greyscale 8-bit', () => {
    expect(pixels(png({ width: 3, height: 1, depth: 8, colourType: 0, samples: [0, 128, 255] }))).toEqual([
      [0, 0, 0, 255], [128, 128, 128, 255], [255, 255, 255, 255],
    ]);
  });

  it('greyscale 1-, 2- and 4-bit with rows not ending on a byte boundary', () => {
    const oneBit = png({ width: 3, height: 2, depth: 1, colourType: 0, samples: [1, 0, 1, 0, 1, 1] });
    expect(pixels(oneBit).map((p) => p[0])).toEqual([255, 0, 255, 0, 255, 255]);
    const twoBit = png({ width: 3, height: 2, depth: 2, colourType: 0, samples: [0, 1, 2, 3, 2, 1] });
    expect(pixels(twoBit).map((p) => p[0])).toEqual([0, 85, 170, 255, 170, 85]);
    const fourBit = png({ width: 3, height: 1, depth: 4, colourType: 0, samples: [0, 7, 15] });
    expect(pixels(fourBit).map((p) => p[0])).toEqual([0, 119, 255]);
  });

  it('greyscale with a transparent key colour (tRNS)', () => {
    const keyed = png({ width: 3, height: 1, depth: 8, colourType: 0, samples: [255, 0, 255], trns: [0, 255] });
    expect(pixels(keyed)).toEqual([[255, 255, 255, 0], [0, 0, 0, 255], [255, 255, 255, 0]]);
  });

  it('greyscale + alpha, 8- and 16-bit', () => {
    expect(pixels(png({ width: 2, height: 1, depth: 8, colourType: 4, samples: [10, 20, 200, 255] }))).toEqual([
      [10, 10, 10, 20], [200, 200, 200, 255],
    ]);
    expect(pixels(png({ width: 1, height: 1, depth: 16, colourType: 4, samples: [0x1234, 0xfedc] }))).toEqual([
      [0x12, 0x12, 0x12, 0xfe],
    ]);
  });

  it('RGB 8-bit, with and without a transparent key colour', () => {
    const samples = [255, 0, 0, 0, 255, 0, 250, 230, 80];
    expect(pixels(png({ width: 3, height: 1, depth: 8, colourType: 2, samples }))).toEqual([
      [255, 0, 0, 255], [0, 255, 0, 255], [250, 230, 80, 255],
    ]);
    // tRNS holds the key colour as three 16-bit samples: red (255, 0, 0) here, then green.
    const keyedRed = png({ width: 3, height: 1, depth: 8, colourType: 2, samples, trns: [0, 255, 0, 0, 0, 0] });
    expect(pixels(keyedRed).map((p) => p[3])).toEqual([0, 255, 255]);
    const keyedGreen = png({ width: 3, height: 1, depth: 8, colourType: 2, samples, trns: [0, 0, 0, 255, 0, 0] });
    expect(pixels(keyedGreen).map((p) => p[3])).toEqual([255, 0, 255]);
  });

  it('RGBA 8- and 16-bit (16-bit keeps the high byte)', () => {
    expect(pixels(png({ width: 1, height: 2, depth: 8, colourType: 6, samples: [1, 2, 3, 4, 250, 251, 252, 0] }))).toEqual([
      [1, 2, 3, 4], [250, 251, 252, 0],
    ]);
    const wide = png({ width: 1, height: 1, depth: 16, colourType: 6, samples: [0xffff, 0x80ff, 0x00ff, 0x7f00] });
    expect(pixels(wide)).toEqual([[0xff, 0x80, 0x00, 0x7f]]);
    expect(pixels(png({ width: 1, height: 1, depth: 16, colourType: 0, samples: [0xabcd] }))).toEqual([[0xab, 0xab, 0xab, 255]]);
  });

  it('palette 8-bit and 2-bit, with per-entry transparency', () => {
    const plte = [255, 255, 255, 0, 0, 0, 30, 60, 200];
    expect(pixels(png({ width: 3, height: 1, depth: 8, colourType: 3, samples: [2, 1, 0], plte }))).toEqual([
      [30, 60, 200, 255], [0, 0, 0, 255], [255, 255, 255, 255],
    ]);
    const translucent = png({ width: 5, height: 1, depth: 2, colourType: 3, samples: [0, 1, 2, 1, 0], plte, trns: [0, 128] });
    expect(pixels(translucent)).toEqual([
      [255, 255, 255, 0], [0, 0, 0, 128], [30, 60, 200, 255], [0, 0, 0, 128], [255, 255, 255, 0],
    ]);
  });

  it('interlaced (Adam7) 8- and 16-bit PNGs decode like their plain twins; 1-bit interlaced is refused', () => {
    const width = 11, height = 9;
    const rgb = Array.from({ length: width * height * 3 }, (_, i) => (i * 37) % 256);
    const plain = pixels(png({ width, height, depth: 8, colourType: 2, samples: rgb }));
    expect(pixels(png({ width, height, depth: 8, colourType: 2, samples: rgb, interlaced: true }))).toEqual(plain);
    const grey16 = Array.from({ length: width * height }, (_, i) => (i * 2741) % 65536);
    const plain16 = pixels(png({ width, height, depth: 16, colourType: 0, samples: grey16 }));
    expect(pixels(png({ width, height, depth: 16, colourType: 0, samples: grey16, interlaced: true }))).toEqual(plain16);
    const bits = Array.from({ length: width * height }, (_, i) => i % 2);
    expect(decodeError(png({ width, height, depth: 1, colourType: 0, samples: bits, interlaced: true })).code).toBe('unsupported-image');
  });

  it('decodes every PNG the fixture script wrote (L, RGB, RGBA and P modes from PIL)', () => {
    const dir = new URL('./fixtures/', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.png'));
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const file of files) {
      const bytes = new Uint8Array(readFileSync(new URL(file, dir)));
      const { width, height } = readImageSize(bytes);
      const image = decodeImage(bytes);
      expect([image.width, image.height, image.data.length], file).toEqual([width, height, width * height * 4]);
    }
  });
});
