// The decode pool with real threads and the real decoder: the same answers as decoding in process,
// refusals keep their code, the event loop is free while a thread decodes, and close stops a decode midway.
import { afterEach, describe, expect, it } from 'vitest';
import { ImageDecodeError } from '../../model/image-decode-error.ts';
import { decodeInProcess } from '../http/image-input.ts';
import { blankImage, drawSeven, GIF_BYTES, pngBytes } from '../testing/fixtures.ts';
import { createDecodePool, type DecodePool } from './decode-pool.ts';

let pool: DecodePool | undefined;
/** 2000x2000 RGBA: a dark bar on white, quick to make, a few hundred ms to decode. */
function bigImage() {
  const image = blankImage(2000);
  for (let y = 400; y < 1600; y++) image.data.fill(0, (y * 2000 + 900) * 4, (y * 2000 + 1100) * 4);
  return pngBytes(image);
}
afterEach(async () => pool?.close());

describe('decode pool', () => {
  it('gives the same model input as decoding in process, for many uploads at once', async () => {
    pool = createDecodePool(2);
    const png = pngBytes(drawSeven());
    const expected = await decodeInProcess(png.slice());
    const inputs = await Promise.all(Array.from({ length: 8 }, () => pool!.decode(png.slice())));
    for (const input of inputs) expect(input).toEqual(expected);
    expect(expected.ok).toBe(true);
  });

  it('passes refusals through: an ImageDecodeError with its code, an empty drawing as not ok', async () => {
    pool = createDecodePool(1);
    const error = await pool.decode(GIF_BYTES.slice()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageDecodeError);
    expect((error as ImageDecodeError).code).toBe('unsupported-image');
    expect((await pool.decode(pngBytes(blankImage()))).ok).toBe(false);
  });

  it('leaves the event loop free while a large image decodes, and close stops it midway', async () => {
    pool = createDecodePool(1);
    const big = bigImage();
    const decoding = pool.decode(big);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const started = performance.now();
    await decoding;
    clearInterval(timer);
    const ms = performance.now() - started;
    // A blocked loop would tick about once; a free one about every 5 ms (generously: a tenth of that).
    expect(ticks).toBeGreaterThan(ms / 50);
    const again = pool.decode(bigImage()).catch((e: unknown) => e);
    await pool.close();
    expect(await again).toBeInstanceOf(Error);
  });
});
