import { describe, expect, it } from 'vitest';
import { appendPoint, INK, PAPER, paintDrawing, type PathSink, strokesInPixels, traceStroke } from './stroke-path';
import { recordingContext } from './testing/recording-context';

const ops = (ctx: ReturnType<typeof recordingContext>) => ctx.calls.map((c) => c.op);

describe('traceStroke', () => {
  it('draws a tap as a filled dot of the stroke width', () => {
    const ctx = recordingContext();
    traceStroke(ctx as unknown as PathSink, { points: [{ x: 0.5, y: 0.25 }], width: 0.1 }, 200);
    expect(ops(ctx)).toEqual(['beginPath', 'arc', 'fill']);
    expect(ctx.calls[1].args.slice(0, 3)).toEqual([100, 50, 10]);
    expect(ctx.fillStyle).toBe(INK);
  });

  it('curves through the midpoints of the samples with round caps', () => {
    const ctx = recordingContext();
    const points = [
      { x: 0, y: 0 },
      { x: 0.5, y: 0 },
      { x: 0.5, y: 0.5 },
      { x: 1, y: 0.5 },
    ];
    traceStroke(ctx as unknown as PathSink, { points, width: 0.05 }, 100);
    expect(ops(ctx)).toEqual(['beginPath', 'moveTo', 'quadraticCurveTo', 'quadraticCurveTo', 'lineTo', 'stroke']);
    // Control point = sample, end point = midpoint to the next sample.
    expect(ctx.calls[2].args).toEqual([50, 0, 50, 25]);
    expect(ctx.calls[3].args).toEqual([50, 50, 75, 50]);
    expect(ctx.calls[4].args).toEqual([100, 50]);
    expect(ctx.lineWidth).toBe(5);
    expect(ctx.lineCap).toBe('round');
    expect(ctx.lineJoin).toBe('round');
  });

  it('ignores a stroke without points', () => {
    const ctx = recordingContext();
    traceStroke(ctx as unknown as PathSink, { points: [], width: 0.1 }, 100);
    expect(ctx.calls).toEqual([]);
  });
});

describe('paintDrawing', () => {
  it('covers the square with paper before painting the strokes in order', () => {
    const ctx = recordingContext();
    const dot = { points: [{ x: 0.1, y: 0.1 }], width: 0.1 };
    paintDrawing(ctx as unknown as PathSink, [dot, dot], 50);
    expect(ctx.calls[0]).toEqual({ op: 'fillRect', args: [0, 0, 50, 50] });
    expect(ops(ctx).filter((o) => o === 'arc')).toHaveLength(2);
    expect(PAPER).not.toBe(INK);
  });
});

describe('a wide canvas', () => {
  it('spreads points over its width and height and sizes the pen by its height', () => {
    const ctx = recordingContext();
    const stroke = { points: [{ x: 0.5, y: 0.5 }, { x: 1, y: 1 }], width: 0.1 };
    paintDrawing(ctx as unknown as PathSink, [stroke], 400, 200);
    expect(ctx.calls[0]).toEqual({ op: 'fillRect', args: [0, 0, 400, 200] });
    expect(ctx.calls.find((c) => c.op === 'moveTo')?.args).toEqual([200, 100]);
    expect(ctx.calls.find((c) => c.op === 'lineTo')?.args).toEqual([400, 200]);
    expect(ctx.lineWidth).toBe(20);
  });
});

describe('appendPoint', () => {
  it('clamps to the canvas and skips samples that barely moved', () => {
    const pts: { x: number; y: number }[] = [];
    expect(appendPoint(pts, { x: -0.2, y: 1.4 })).toBe(true);
    expect(pts[0]).toEqual({ x: 0, y: 1 });
    expect(appendPoint(pts, { x: 0.0005, y: 1 })).toBe(false);
    expect(appendPoint(pts, { x: 0.05, y: 0.9 })).toBe(true);
    expect(pts).toHaveLength(2);
  });
});

describe('strokesInPixels', () => {
  it("puts a drawing's strokes in pixels of the canvas, pens by its height, to a tenth of a pixel", () => {
    const strokes = [{ points: [{ x: 0.123456, y: 0.5 }, { x: 1, y: 0.98765 }], width: 0.0714 }];
    expect(strokesInPixels(strokes, 560, 280)).toEqual({
      strokes: [{ points: [[69.1, 140], [560, 276.5]], pen: 20 }],
      width: 560,
      height: 280,
    });
  });
});
