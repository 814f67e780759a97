import { afterEach, describe, expect, it, vi } from 'vitest';
import { RASTER_SIZE, rasterizeStrokes } from './rasterize';
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
