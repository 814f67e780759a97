import { render } from '@solidjs/testing-library';
import { createSignal } from 'solid-js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DrawingCanvas } from './drawing-canvas';
import type { Stroke } from './stroke-path';
import { drawStroke, installPointerEvent, recordingContext } from './testing/recording-context';

// jsdom has no 2D context or layout: this test alone stubs both, so the pointer handling and
// DPR sizing are checked against a recording context.
let ctx: ReturnType<typeof recordingContext>;

beforeEach(() => {
  installPointerEvent();
  ctx = recordingContext();
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(ctx as never);
  vi.spyOn(HTMLCanvasElement.prototype, 'getBoundingClientRect').mockReturnValue({
    left: 10, top: 20, width: 200, height: 200, right: 210, bottom: 220, x: 10, y: 20,
  } as DOMRect);
  vi.stubGlobal('devicePixelRatio', 2);
  // Paint synchronously so assertions see the frame.
  vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => (cb(0), 1));
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

function setup(width = 0.1) {
  const [strokes, setStrokes] = createSignal<Stroke[]>([]);
  const onStroke = vi.fn((s: Stroke) => setStrokes([...strokes(), s]));
  const view = render(() => <DrawingCanvas strokes={strokes()} strokeWidth={width} onStroke={onStroke} />);
  const canvas = view.getByTestId('digit-canvas') as HTMLCanvasElement;
  return { canvas, onStroke, setStrokes, strokes };
}

describe('DrawingCanvas', () => {
  it('scales the backing store by devicePixelRatio and draws in CSS pixels', () => {
    const { canvas } = setup();
    expect(canvas.width).toBe(400);
    expect(canvas.height).toBe(400);
    expect(ctx.calls.find((c) => c.op === 'setTransform')?.args).toEqual([2, 0, 0, 2, 0, 0]);
    expect(ctx.calls.find((c) => c.op === 'fillRect')?.args).toEqual([0, 0, 200, 200]);
  });

  it('turns a drag into one stroke in unit coordinates and paints it as curves', () => {
    const { canvas, onStroke } = setup(0.08);
    drawStroke(canvas, [
      [110, 40],
      [110, 80],
      [112, 140],
      [110, 200],
    ]);
    expect(onStroke).toHaveBeenCalledTimes(1);
    const stroke = onStroke.mock.calls[0][0];
    expect(stroke.width).toBe(0.08);
    expect(stroke.points[0]).toEqual({ x: 0.5, y: 0.1 });
    expect(stroke.points.at(-1)).toEqual({ x: 0.5, y: 0.9 });
    expect(stroke.points).toHaveLength(4);
    expect(ctx.calls.some((c) => c.op === 'quadraticCurveTo')).toBe(true);
  });

  it('accepts touch and pen, but ignores a second finger and non-primary mouse buttons', () => {
    const { canvas, onStroke } = setup();
    drawStroke(canvas, [[50, 50], [60, 90]], { pointerType: 'touch', pointerId: 7 });
    drawStroke(canvas, [[70, 50], [80, 90]], { pointerType: 'pen', pointerId: 8 });
    expect(onStroke).toHaveBeenCalledTimes(2);

    drawStroke(canvas, [[50, 50], [60, 90]], { button: 2 });
    expect(onStroke).toHaveBeenCalledTimes(2);

    const touch = { bubbles: true, pointerType: 'touch' };
    canvas.dispatchEvent(new PointerEvent('pointerdown', { ...touch, pointerId: 1, clientX: 50, clientY: 50 }));
    canvas.dispatchEvent(new PointerEvent('pointerdown', { ...touch, pointerId: 2, clientX: 150, clientY: 150 }));
    canvas.dispatchEvent(new PointerEvent('pointermove', { ...touch, pointerId: 2, clientX: 160, clientY: 180 }));
    canvas.dispatchEvent(new PointerEvent('pointerup', { ...touch, pointerId: 2 }));
    expect(onStroke).toHaveBeenCalledTimes(2);
    canvas.dispatchEvent(new PointerEvent('pointermove', { ...touch, pointerId: 1, clientX: 60, clientY: 120 }));
    canvas.dispatchEvent(new PointerEvent('pointerup', { ...touch, pointerId: 1 }));
    expect(onStroke).toHaveBeenCalledTimes(3);
    expect(onStroke.mock.calls[2][0].points).toHaveLength(2);
  });

  it('repaints from the strokes it is given, so undo and clear show at once', () => {
    const { canvas, setStrokes, strokes } = setup();
    drawStroke(canvas, [[50, 50], [60, 90]]);
    drawStroke(canvas, [[100, 50], [100, 90]]);
    ctx.calls.length = 0;
    setStrokes(strokes().slice(0, -1));
    expect(ctx.calls.filter((c) => c.op === 'stroke')).toHaveLength(1);
    ctx.calls.length = 0;
    setStrokes([]);
    expect(ctx.calls.map((c) => c.op)).toEqual(['fillRect']);
  });

  it('keeps touch from scrolling the page through its CSS class and exposes an accessible name', () => {
    const { canvas } = setup();
    expect(canvas.classList.contains('pad')).toBe(true);
    expect(canvas.getAttribute('aria-label')).toMatch(/draw one digit/i);
  });

  it('a wide pad: the backing store follows both sides, strokes are in units of each', () => {
    vi.spyOn(HTMLCanvasElement.prototype, 'getBoundingClientRect').mockReturnValue({
      left: 0, top: 0, width: 400, height: 200, right: 400, bottom: 200, x: 0, y: 0,
    } as DOMRect);
    const { canvas, onStroke } = setup();
    expect([canvas.width, canvas.height]).toEqual([800, 400]);
    expect(ctx.calls.find((c) => c.op === 'fillRect')?.args).toEqual([0, 0, 400, 200]);
    drawStroke(canvas, [[100, 50], [300, 150]]);
    expect(onStroke.mock.calls[0][0].points).toEqual([{ x: 0.25, y: 0.25 }, { x: 0.75, y: 0.75 }]);
  });
});
