import { createEffect, onCleanup, onMount } from 'solid-js';
import { appendPoint, paintDrawing, type Point, type Stroke } from './stroke-path';

type Props = {
  /** Finished strokes; a new array on every change (undo, clear, a new stroke). */
  strokes: readonly Stroke[];
  /** Width of the next stroke as a fraction of the canvas height (its side when square). */
  strokeWidth: number;
  onStroke: (stroke: Stroke) => void;
  disabled?: boolean;
  /** What the pad is for, for screen readers (the pad for one digit by default). */
  label?: string;
};

/**
 * The drawing surface. Pointer events cover mouse, touch and pen alike; `touch-action: none`
 * (styles.css) keeps a finger from scrolling the page. The backing store is the displayed size
 * times devicePixelRatio so lines stay crisp; strokes are kept in unit coordinates, so resizing
 * or rotating the phone repaints the same drawing. Its shape (square or a wide strip) is its CSS's.
 */
export function DrawingCanvas(props: Props) {
  let canvas!: HTMLCanvasElement;
  let ctx: CanvasRenderingContext2D | null = null;
  let width = 0; // displayed size in CSS pixels
  let height = 0;
  let rect: DOMRect | null = null;
  let current: Stroke | null = null;
  let pointerId: number | null = null;
  let frame = 0;
  let pending = false;

  const paint = () => {
    if (!ctx || width <= 0 || height <= 0) return;
    paintDrawing(ctx, current ? [...props.strokes, current] : props.strokes, width, height);
  };
  // Pointer events can fire faster than the screen refreshes; paint at most once per frame.
  const schedule = () => {
    if (typeof requestAnimationFrame !== 'function') return paint();
    if (pending) return;
    pending = true;
    frame = requestAnimationFrame(() => {
      pending = false;
      paint();
    });
  };

  const resize = () => {
    const box = canvas.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    width = box.width;
    height = box.height;
    canvas.width = Math.max(1, Math.round(width * dpr));
    canvas.height = Math.max(1, Math.round(height * dpr));
    // Resizing resets the context state, so the DPR transform is applied after it.
    ctx?.setTransform(canvas.width / Math.max(1, width), 0, 0, canvas.height / Math.max(1, height), 0, 0);
    paint();
  };

  onMount(() => {
    ctx = canvas.getContext('2d');
    resize();
    if (typeof ResizeObserver === 'function') {
      const observer = new ResizeObserver(resize);
      observer.observe(canvas);
      onCleanup(() => observer.disconnect());
    }
    // Touches on the pad are drawing, never gestures: without this a tap on Predict right after a
    // stroke can be taken for the second half of a double tap (and swallowed) by Chromium.
    const noGesture = (e: TouchEvent) => e.cancelable && e.preventDefault();
    canvas.addEventListener('touchstart', noGesture, { passive: false });
    onCleanup(() => canvas.removeEventListener('touchstart', noGesture));
    // Moving the window to a screen with another pixel ratio changes no CSS size, only the DPR.
    window.addEventListener('resize', resize);
    onCleanup(() => {
      window.removeEventListener('resize', resize);
      if (pending) cancelAnimationFrame(frame);
    });
  });

  createEffect(() => {
    void props.strokes;
    schedule();
  });

  const toPoint = (e: { clientX: number; clientY: number }): Point => {
    const box = rect ?? canvas.getBoundingClientRect();
    return { x: (e.clientX - box.left) / (box.width || 1), y: (e.clientY - box.top) / (box.height || 1) };
  };

  const onPointerDown = (e: PointerEvent) => {
    if (props.disabled || pointerId !== null) return; // one pen at a time: a resting palm is ignored
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    e.preventDefault();
    pointerId = e.pointerId;
    canvas.setPointerCapture?.(e.pointerId);
    rect = canvas.getBoundingClientRect();
    current = { points: [], width: props.strokeWidth };
    appendPoint(current.points, toPoint(e));
    schedule();
  };

  const onPointerMove = (e: PointerEvent) => {
    if (e.pointerId !== pointerId || !current) return;
    e.preventDefault();
    // Coalesced events carry the samples the browser merged between frames: smoother fast strokes.
    const samples = e.getCoalescedEvents?.() ?? [];
    let changed = false;
    for (const s of samples.length ? samples : [e]) changed = appendPoint(current.points, toPoint(s)) || changed;
    if (changed) schedule();
  };

  const finish = (e: PointerEvent) => {
    if (e.pointerId !== pointerId) return;
    pointerId = null;
    rect = null;
    const stroke = current;
    current = null;
    if (stroke && stroke.points.length > 0) props.onStroke(stroke);
    else schedule();
  };

  return (
    <canvas
      ref={canvas}
      class="pad"
      data-testid="digit-canvas"
      role="img"
      aria-label={props.label ?? 'Drawing area: draw one digit from 0 to 9 with a mouse, finger or pen'}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={finish}
      onPointerCancel={finish}
      onLostPointerCapture={finish}
      onContextMenu={(e) => e.preventDefault()}
    />
  );
}
