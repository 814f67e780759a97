import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodePng, RASTER_SIZE, rasterizeStrokes } from './rasterize';
import { recordingContext } from './testing/recording-context';

afterEach(() => vi.restoreAllMocks());

describe('rasterizeStrokes', () => {
  it('paints the strokes on a fixed-size offscreen square and reads its pixels', () => {
    const ctx = recordingContext();
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(ctx as never);
    const image = rasterizeStrokes([{ points: [{ x: 0.5, y: 0.5 }], width: 0.1 }]);
    expect(image?.width).toBe(RASTER_SIZE);
    expect(image?.data).toHaveLength(RASTER_SIZE * RASTER_SIZE * 4);
    const ops = ctx.calls.map((c) => c.op);
    expect(ops[0]).toBe('fillRect');
    expect(ops).toContain('arc');
    expect(ops.at(-1)).toBe('getImageData');
  });

  it('returns null where there is no 2D canvas', () => {
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
    expect(rasterizeStrokes([])).toBeNull();
  });

  it('paints a wide picture when asked, the pen sized by its height', () => {
    const ctx = recordingContext();
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(ctx as never);
    const image = rasterizeStrokes([{ points: [{ x: 0.5, y: 0.5 }], width: 0.1 }], 560, 280);
    expect([image?.width, image?.height]).toEqual([560, 280]);
    expect(ctx.calls[0]).toEqual({ op: 'fillRect', args: [0, 0, 560, 280] });
    expect(ctx.calls.find((c) => c.op === 'arc')?.args.slice(0, 3)).toEqual([280, 140, 14]);
  });
});

describe('encodePng', () => {
  const image = { data: new Uint8ClampedArray(4 * 3 * 2).fill(200), width: 3, height: 2 };

  it("puts the picture on a canvas of its size and returns the canvas's PNG", async () => {
    const ctx = recordingContext();
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(ctx as never);
    const png = new Blob(['png'], { type: 'image/png' });
    let size: number[] = [];
    vi.spyOn(HTMLCanvasElement.prototype, 'toBlob').mockImplementation(function (this: HTMLCanvasElement, done, type) {
      size = [this.width, this.height];
      expect(type).toBe('image/png');
      done(png);
    });
    await expect(encodePng(image)).resolves.toBe(png);
    expect(size).toEqual([3, 2]);
    const put = ctx.calls.find((c) => c.op === 'putImageData')!.args[0] as { data: Uint8ClampedArray };
    expect(Array.from(put.data)).toEqual(Array.from(image.data));
  });

  it('returns null where there is no 2D canvas', async () => {
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
    await expect(encodePng(image)).resolves.toBeNull();
  });
});
